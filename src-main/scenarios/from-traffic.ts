/**
 * Turns recorded traffic into a scenario of raw request steps, so what a real Okta or Entra
 * tenant sent to Scimulator (through a tunnel) can be replayed against any other target.
 *
 * Ids the provider assigned are not valid on another target, so each id a create returned becomes
 * a capture (`save: { id3: $.id }`) and later paths and bodies say `${id3}` instead; the replay
 * then follows the new target's ids. Credentials are never recorded (the log redacts them) and
 * the replaying target supplies its own.
 */
import { stringify } from 'yaml';
import type { RequestLogEntry } from '../traffic/exchange-record.js';

/** Headers that belong to the connection or the credentials, not to what the IdP said. */
const TRANSPORT_HEADERS = new Set(['authorization', 'host', 'content-length', 'connection', 'transfer-encoding', 'cookie', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

export interface RecordedScenarioOptions {
  readonly name: string;
  readonly description?: string;
  /** The SCIM base path the entries' URLs start with, e.g. `/scim/v2`. */
  readonly basePath: string;
  /** Leave out these exchanges (the console's own requests). */
  readonly exclude?: (entry: RequestLogEntry) => boolean;
}

interface RecordedStep {
  name: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  expect: { status: number }[];
  save?: Record<string, string>;
}

function parsedBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The recorded text as a scenario string: a literal `${` is written `$${` (or the scenario would
 * read it as a variable), then every occurrence of a known id becomes its capture.
 */
function withCaptures(text: string, captures: ReadonlyMap<string, string>): string {
  let result = text.replace(/\$\{/g, '$$${');
  for (const [id, name] of captures) result = result.split(id).join(`\${${name}}`);
  return result;
}

function replaceIds(value: unknown, captures: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return withCaptures(value, captures);
  if (Array.isArray(value)) return value.map((item) => replaceIds(item, captures));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceIds(item, captures)]));
  }
  return value;
}

export function scenarioFromTraffic(entries: readonly RequestLogEntry[], options: RecordedScenarioOptions): string {
  const captures = new Map<string, string>();
  const steps: RecordedStep[] = [];
  for (const entry of entries) {
    if (options.exclude?.(entry)) continue;
    if (!entry.url.startsWith(options.basePath)) continue;
    const path = withCaptures(entry.url.slice(options.basePath.length) || '/', captures);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(entry.requestHeaders)) {
      if (!TRANSPORT_HEADERS.has(name.toLowerCase())) headers[name] = withCaptures(value, captures);
    }
    const body = replaceIds(parsedBody(entry.requestBody), captures);
    const step: RecordedStep = {
      name: `${entry.method} ${path.split('?')[0]}`,
      request: {
        method: entry.method,
        path,
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(body === undefined ? {} : { body }),
      },
      expect: [{ status: entry.status }],
    };
    if (entry.method === 'POST' && entry.status === 201) {
      const created = parsedBody(entry.responseBody) as { id?: unknown } | undefined;
      if (created && typeof created.id === 'string' && created.id !== '' && !captures.has(created.id)) {
        const name = `id${captures.size + 1}`;
        captures.set(created.id, name);
        step.save = { [name]: '$.id' };
      }
    }
    steps.push(step);
  }
  const document = {
    name: options.name,
    description: options.description ?? `Traffic recorded by scimulator serve --record (${steps.length} requests)`,
    steps,
  };
  return stringify(document, { lineWidth: 0 });
}
