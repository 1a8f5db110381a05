/**
 * Targets that misbehave one way each: msw request handlers in front of a local provider, run in
 * process through msw's getResponse (no globals patched, no socket). A handler either answers by
 * itself or calls `forward` to get the provider's real answer and changes it; requests no handler
 * takes reach the provider unchanged.
 *
 * Also the judge made of the IdP checks alone (src-main/verdicts/idp-checks.ts and read-back.ts),
 * and a built-in run judged by it, with the findings it produced.
 */
import { getResponse, http, type RequestHandler } from 'msw';
import type { OutgoingRequest, ReceivedResponse } from '../../src-main/runner/http.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget, type LocalTarget } from '../../src-main/runner/targets/local-target.js';
import { idpExchangeChecks } from '../../src-main/verdicts/idp-checks.js';
import type { Judge } from '../../src-main/verdicts/judge.js';
import type { Finding } from '../../src-main/verdicts/finding.js';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';
import { readBackStep } from '../../src-main/verdicts/read-back.js';

export const idpJudge: Judge = { exchange: idpExchangeChecks, step: readBackStep };

/** Runs a built-in under its own profile, judged by the IdP checks; 429 waits are skipped. */
export async function judgedRun(
  name: string,
  target: Target,
  options: { readonly seed?: number; readonly exact?: boolean } = {},
): Promise<{ record: RunRecord; findings: Finding[] }> {
  const scenario = loadBuiltin(name);
  const findings: Finding[] = [];
  const record = await runScenario({
    scenario,
    target,
    profile: profileByName(scenario.profile ?? 'generic'),
    runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
    judge: idpJudge,
    ...(options.exact === undefined ? {} : { exact: options.exact }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    onEvent: (event) => {
      if (event.type === 'finding') findings.push(event.finding);
    },
    sleep: async () => undefined,
  });
  return { record, findings };
}

/** The provider's answer to a (possibly changed) request, as a fetch Response. */
export type Forward = (request: Request, change?: (outgoing: OutgoingRequest) => OutgoingRequest) => Promise<Response>;

export interface FaultyTarget extends Target {
  readonly local: LocalTarget;
}

/** The request as the profile wrote it, from the fetch Request msw hands a handler. */
async function outgoingFrom(request: Request, baseUrl: string): Promise<OutgoingRequest> {
  const url = request.url.slice(baseUrl.length);
  const at = url.indexOf('?');
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
  const headers: [string, string][] = [];
  request.headers.forEach((value, name) => headers.push([name, value]));
  return {
    method: request.method,
    path: at === -1 ? url : url.slice(0, at),
    ...(at === -1 ? {} : { query: url.slice(at + 1) }),
    headers,
    ...(body === '' ? {} : { body }),
  };
}

function responseFrom(received: ReceivedResponse): Response {
  const noBody = received.status === 204 || received.status === 304 || received.body === undefined;
  return new Response(noBody ? null : received.body, { status: received.status, headers: received.headers });
}

export async function faultyTarget(handlers: (forward: Forward) => RequestHandler[]): Promise<FaultyTarget> {
  const local = await createLocalTarget();
  const forward: Forward = async (request, change = (outgoing) => outgoing) =>
    responseFrom(await local.send(change(await outgoingFrom(request, local.baseUrl))));
  const all = [...handlers(forward), http.all('*', ({ request }) => forward(request))];
  return {
    key: 'faulty',
    baseUrl: local.baseUrl,
    local,
    async send(request) {
      const url = `${local.baseUrl}${request.path}${request.query === undefined ? '' : `?${request.query}`}`;
      const fetchRequest = new Request(url, {
        method: request.method,
        headers: request.headers.map(([name, value]) => [name, value] as [string, string]),
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const response = await getResponse(all, fetchRequest);
      if (!response) throw new Error(`no handler answered ${request.method} ${url}`);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      const body = await response.text();
      return { status: response.status, headers, ...(body === '' ? {} : { body }) };
    },
    close: () => local.close(),
  };
}

/** A JSON response with the SCIM media type. */
export function scimJson(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/scim+json' } });
}

/** The provider's answer with its JSON body changed. */
export async function changeJson(response: Response, change: (body: Record<string, unknown>) => unknown): Promise<Response> {
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  if (text === '') return new Response(null, { status: response.status, headers });
  return new Response(JSON.stringify(change(JSON.parse(text) as Record<string, unknown>)), { status: response.status, headers });
}
