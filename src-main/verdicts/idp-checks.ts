/**
 * What the profile's IdP would reject in one response, judged as the exchange is recorded. Each
 * rule mirrors what the profile itself does with that response (src-main/idp/profiles/): where a
 * profile throws IdpOperationFailed with a `finding` id, the rule here gives the same id, so the
 * failed step and its finding name the same problem. Only the IdP's own traffic in event steps is
 * judged: a raw request step says what it expects itself.
 */
import type { ProfileName } from '../idp/profile.js';
import type { RunExchange } from '../runner/exchange.js';
import { idpFinding } from './catalog-idp.js';
import { describeErrorBody } from './error-body.js';
import { describeMismatch, eqFilterOf, filterMismatch } from './filter-match.js';
import type { Finding } from './finding.js';
import type { ExchangeUnderJudgement } from './judge.js';

type Json = Record<string, unknown>;

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An exchange's request as the profile wrote it: the path below the base URL, the raw query. */
export interface RequestParts {
  readonly method: string;
  /** `/Users/2819c223`, without the query (and without OneLogin's bare trailing `?`). */
  readonly path: string;
  /** The raw query; `''` for a bare trailing `?`; undefined for none. */
  readonly query?: string;
  readonly body: unknown;
}

export function requestParts(exchange: RunExchange, baseUrl: string): RequestParts {
  const base = baseUrl.replace(/\/+$/, '');
  const below = exchange.request.url.startsWith(base) ? exchange.request.url.slice(base.length) : new URL(exchange.request.url).pathname;
  const at = below.indexOf('?');
  return {
    method: exchange.request.method.toUpperCase(),
    path: at === -1 ? below : below.slice(0, at),
    ...(at === -1 ? {} : { query: below.slice(at + 1) }),
    body: parseJson(exchange.request.body),
  };
}

export const succeeded = (status: number): boolean => status >= 200 && status < 300;

/** `/Users` → Users, `/Users/abc` → Users with id abc. */
export function resourcePath(path: string): { type: 'Users' | 'Groups'; id?: string } | undefined {
  const match = /^\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(path);
  if (!match) return undefined;
  return { type: match[1] as 'Users' | 'Groups', ...(match[2] === undefined ? {} : { id: decodeURIComponent(match[2]) }) };
}

/** The operations of a PATCH body, ops lower-cased. */
export function patchOperations(body: unknown): { op: string; path?: string; value?: unknown }[] {
  const operations = isObject(body) ? (body.Operations ?? body.operations) : undefined;
  if (!Array.isArray(operations)) return [];
  return operations.filter(isObject).map((operation) => ({
    op: String(operation.op ?? '').toLowerCase(),
    ...(typeof operation.path === 'string' ? { path: operation.path } : {}),
    ...('value' in operation ? { value: operation.value } : {}),
  }));
}

/** The `active` a path-less replace sets (Okta's (de)activation), if the PATCH is one. */
export function pathLessActive(body: unknown): boolean | undefined {
  for (const operation of patchOperations(body)) {
    if (operation.op === 'replace' && operation.path === undefined && isObject(operation.value) && typeof operation.value.active === 'boolean') {
      return operation.value.active;
    }
  }
  return undefined;
}

/** A SCIM `active` as a target returns it: a boolean, or the string a target stored as sent. */
export function readActive(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

/** `: <the reason the error body gives>`, whatever its shape (a SCIM Error's detail, FastAPI's {"detail": …}, text). */
function detailOf(exchange: RunExchange): string {
  const { reason } = describeErrorBody(exchange.response?.body);
  return reason === undefined ? '' : `: ${reason}`;
}

/** Entra writes PATCH ops capitalised ("Replace", "Add", "Remove"); a target that matches them case-sensitively refuses them. */
function capitalisedOpHint(judged: Judged): string {
  if (judged.request.method !== 'PATCH') return '';
  const operations = isObject(judged.request.body) ? judged.request.body.Operations : undefined;
  const capitalised = Array.isArray(operations)
    ? operations.filter(isObject).map((operation) => operation.op).filter((op): op is string => typeof op === 'string' && op !== op.toLowerCase())
    : [];
  if (capitalised.length === 0 || !/\bop\b|operation/i.test(judged.exchange.response?.body ?? '')) return '';
  return ` Entra sends "op": ${JSON.stringify(capitalised[0])}; compare op names case-insensitively (RFC 7644 §3.5.2).`;
}

/** A lookup (`attr eq "value"`) answered with resources that do not match: the filter was ignored. */
function ignoredFilter(judged: Judged, resources: readonly unknown[], id: 'entra.filter-ignored' | 'okta.filter-ignored'): Finding[] {
  const target = resourcePath(judged.request.path);
  const filter = eqFilterOf(judged.request.query);
  if (!target || !filter) return [];
  const mismatch = filterMismatch(filter, resources);
  if (!mismatch) return [];
  const idp = id.startsWith('entra') ? 'Entra' : 'Okta';
  const what = target.type === 'Users' ? 'user' : 'group';
  return [
    findingFor(
      id,
      judged.exchange,
      `${judged.where}: ${describeMismatch(filter, mismatch, target.type)}. ${idp} takes a match as the ${what} to link, so it would link the wrong ${what}: apply the filter, and answer only the resources that match.`,
      { every: `${filter.attribute} eq ${JSON.stringify(filter.value)}` },
      { returned: mismatch.returned, others: mismatch.others },
    ),
  ];
}

/** Entra's schema discovery (gallery apps): GET /Schemas must answer a ListResponse of Schema resources. */
function schemaDiscovery(subject: ExchangeUnderJudgement): Finding[] {
  const { exchange } = subject;
  const request = requestParts(exchange, subject.baseUrl);
  if (request.method !== 'GET' || request.path !== '/Schemas' || !exchange.response) return [];
  const { status, body: text } = exchange.response;
  const body = parseJson(text);
  const where = `GET /Schemas`;
  let problem: string | undefined;
  const said = describeErrorBody(text).reason;
  const quoted = said === undefined ? '' : ` (${JSON.stringify(said)})`;
  if (status === 404) problem = `answered 404${quoted}: there is no /Schemas route`;
  else if (status !== 200) problem = `answered ${status}${quoted}`;
  else if (Array.isArray(body)) problem = `answered a bare JSON array of ${body.length} schema(s), not a ListResponse`;
  else if (!isObject(body) || !Array.isArray(body.Resources) || !(Array.isArray(body.schemas) && body.schemas.includes(LIST_RESPONSE_SCHEMA))) problem = 'did not answer a ListResponse';
  if (problem === undefined) return [];
  return [
    findingFor(
      'entra.schema-discovery-failed',
      exchange,
      `${where} ${problem}; Entra's schema discovery reads {"schemas": ["${LIST_RESPONSE_SCHEMA}"], "totalResults": …, "Resources": [<the User and Group Schema resources>]}.`,
      { status: 200, body: { schemas: [LIST_RESPONSE_SCHEMA], Resources: '[Schema, …]' } },
      { status, body: body ?? text ?? null },
    ),
  ];
}

/** Builds a finding of the catalog for one exchange. */
export function findingFor(id: string, exchange: RunExchange, message: string, expected?: unknown, actual?: unknown): Finding {
  const definition = idpFinding(id);
  return {
    id,
    severity: definition.severity,
    title: definition.title,
    message,
    step: exchange.step,
    exchange: exchange.index,
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
    reference: definition.reference,
  };
}

interface Judged {
  readonly exchange: RunExchange;
  readonly profile: ProfileName;
  readonly request: RequestParts;
  readonly status: number;
  readonly body: unknown;
  readonly eventType: string;
  /** `GET /Users?filter=…`, for messages. */
  readonly where: string;
}

export function idpExchangeChecks(subject: ExchangeUnderJudgement): Finding[] {
  const { exchange, event, profile } = subject;
  // Schema discovery is a request of its own in the Entra scenarios, not an event.
  if (!event && exchange.source === 'idp' && (profile === 'entra' || profile === 'entra-compliant')) return schemaDiscovery(subject);
  if (!event || !exchange.response || exchange.source !== 'idp') return [];
  const request = requestParts(exchange, subject.baseUrl);
  const judged: Judged = {
    exchange,
    profile,
    request,
    status: exchange.response.status,
    body: parseJson(exchange.response.body),
    eventType: event.type,
    where: `${request.method} ${request.path}${request.query === undefined ? '' : `?${request.query}`}`,
  };
  // A 429 is the run's retry policy's business, not a verdict on the target's SCIM.
  if (judged.status === 429) return [];
  switch (profile) {
    case 'entra':
    case 'entra-compliant':
      return entraChecks(judged);
    case 'okta':
    case 'okta-aiw':
      return oktaChecks(judged);
    case 'onelogin':
    case 'jumpcloud':
    case 'pingfederate':
      return rfcClientChecks(judged, profile);
    case 'generic':
      return [];
  }
}

function answered(judged: Judged): { status: number; body?: unknown } {
  return judged.body === undefined ? { status: judged.status } : { status: judged.status, body: judged.body };
}

function createdWithoutId(judged: Judged): boolean {
  const target = resourcePath(judged.request.path);
  if (judged.request.method !== 'POST' || !target || target.id !== undefined || !succeeded(judged.status)) return false;
  return !isObject(judged.body) || typeof judged.body.id !== 'string' || judged.body.id === '';
}

// ---- Microsoft Entra ID ----------------------------------------------------------------------

function entraChecks(judged: Judged): Finding[] {
  const { exchange, request, status, body, where } = judged;
  const target = resourcePath(request.path);
  const isFilter = request.method === 'GET' && target?.id === undefined && (request.query ?? '').includes('filter=');
  if (isFilter) {
    if (status === 404) {
      return [
        findingFor(
          'entra.filter-404',
          exchange,
          `${where} answered 404. For a filter that matches nothing, answer 200 with {"schemas":["${LIST_RESPONSE_SCHEMA}"],"totalResults":0,"Resources":[]}; Entra quarantines the job on a 404 here.`,
          { status: 200, body: { totalResults: 0, Resources: [] } },
          answered(judged),
        ),
      ];
    }
    if (status !== 200) {
      return [findingFor('entra.request-failed', exchange, `${where} answered ${status}${detailOf(exchange)}; Entra's lookup needs 200 with a ListResponse.`, { status: 200 }, answered(judged))];
    }
    const resources = isObject(body) ? (body.Resources ?? []) : undefined;
    const schemas = isObject(body) ? body.schemas : undefined;
    if (!Array.isArray(resources) || (Array.isArray(schemas) && !schemas.includes(LIST_RESPONSE_SCHEMA))) {
      return [
        findingFor(
          'entra.filter-not-list-response',
          exchange,
          `${where} answered 200, but the body is not a SCIM ListResponse with a "Resources" array and the ListResponse schema.`,
          { schemas: [LIST_RESPONSE_SCHEMA], Resources: [] },
          answered(judged).body ?? exchange.response?.body ?? null,
        ),
      ];
    }
    if (exchange.purpose.startsWith('probe') && resources.length > 0) {
      return [
        findingFor(
          'entra.probe-matched',
          exchange,
          `${where} filtered for a random GUID that no resource has, and ${resources.length} came back: apply the filter, and answer an empty ListResponse when nothing matches.`,
          { totalResults: 0 },
          { totalResults: isObject(body) ? body.totalResults : undefined, returned: resources.length },
        ),
      ];
    }
    return ignoredFilter(judged, resources, 'entra.filter-ignored');
  }
  if (createdWithoutId(judged)) {
    return [
      findingFor(
        'entra.create-without-id',
        exchange,
        `${where} answered ${status} without an "id": return the created resource, with its "id", in the 201 response.`,
        { status: 201, body: { id: '<the new id>' } },
        answered(judged),
      ),
    ];
  }
  if (request.method === 'PATCH' && target?.type === 'Groups' && target.id !== undefined && !succeeded(status)) {
    return [findingFor('entra.group-patch-status', exchange, `${where} answered ${status}${detailOf(exchange)}; Entra expects 204 No Content (or 200).${capitalisedOpHint(judged)}`, { status: 204 }, answered(judged))];
  }
  if (judged.profile === 'entra' && request.method === 'PATCH' && target?.type === 'Users' && succeeded(status)) {
    const sent = patchOperations(request.body).find((operation) => operation.path?.toLowerCase() === 'active' && operation.value === 'False');
    if (sent && isObject(body) && readActive(body.active) === true) {
      return [
        findingFor(
          'entra.string-boolean-misread',
          exchange,
          `${where} set "active" to the string "False", and the response shows the user still active: read "True"/"False" strings case-insensitively as booleans.`,
          { active: false },
          { active: body.active },
        ),
      ];
    }
  }
  if (succeeded(status)) return [];
  // A stale cached id: Entra matches the user or group again by its filter, nothing fails.
  if (request.method === 'GET' && target?.id !== undefined && status === 404) return [];
  return [findingFor('entra.request-failed', exchange, `${where} (${exchange.purpose}) answered ${status}${detailOf(exchange)}; Entra logs the operation as failed.${capitalisedOpHint(judged)}`, { status: '2xx' }, answered(judged))];
}

// ---- Okta --------------------------------------------------------------------------------------

/** The paging fields Okta reads, as wrongly typed as they came; empty when they are integers. */
function badPagingFields(body: unknown): Record<string, unknown> {
  if (!isObject(body)) return { body: body ?? null };
  const bad: Record<string, unknown> = {};
  const total = body.totalResults ?? body.totalresults;
  if (typeof total !== 'number' || !Number.isInteger(total)) bad.totalResults = total ?? null;
  for (const field of ['startIndex', 'itemsPerPage'] as const) {
    if (body[field] !== undefined && (typeof body[field] !== 'number' || !Number.isInteger(body[field]))) bad[field] = body[field];
  }
  const resources = body.Resources ?? body.resources ?? [];
  if (!Array.isArray(resources)) bad.Resources = resources;
  return bad;
}

const DEACTIVATING_EVENTS = new Set(['deactivateUser', 'reactivateUser', 'unassignUser']);

function oktaChecks(judged: Judged): Finding[] {
  const { exchange, request, status, body, where, profile } = judged;
  const target = resourcePath(request.path);
  if (request.method === 'GET' && target && target.id === undefined) {
    // "no match" may be a 404 or an empty ListResponse for Okta (OKTA_SCIM_20).
    if (status === 404 && (request.query ?? '').includes('filter=')) return [];
    if (!succeeded(status)) {
      return [findingFor('okta.request-failed', exchange, `${where} (${exchange.purpose}) answered ${status}${detailOf(exchange)}.`, { status: 200 }, answered(judged))];
    }
    const bad = badPagingFields(body);
    if (Object.keys(bad).length === 0) {
      const resources = isObject(body) ? (body.Resources ?? body.resources) : undefined;
      return Array.isArray(resources) ? ignoredFilter(judged, resources, 'okta.filter-ignored') : [];
    }
    return [
      findingFor(
        'okta.paging-not-integer',
        exchange,
        `${where} answered a list whose paging fields are not integers (${Object.entries(bad).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}): send totalResults, startIndex and itemsPerPage as JSON integers and "Resources" as an array.`,
        { totalResults: 'integer', startIndex: 'integer', itemsPerPage: 'integer' },
        bad,
      ),
    ];
  }
  if (createdWithoutId(judged)) {
    return [
      findingFor(
        'okta.create-without-id',
        exchange,
        `${where} answered ${status} without an "id"; Okta fails the assignment with "Create new user returned empty user". Return the created resource with its "id".`,
        { status: 201, body: { id: '<the new id>' } },
        answered(judged),
      ),
    ];
  }
  const activeSent = request.method === 'PATCH' && target?.type === 'Users' ? pathLessActive(request.body) : undefined;
  if (!succeeded(status)) {
    if (profile === 'okta' && request.method === 'PATCH' && target?.type === 'Groups' && patchOperations(request.body).some((op) => op.path === undefined && isObject(op.value) && 'id' in op.value)) {
      return [
        findingFor(
          'okta.group-rename-failed',
          exchange,
          `${where} answered ${status}${detailOf(exchange)} to Okta's path-less replace of {id, displayName}: accept it (ignore an "id" equal to the group's own).`,
          { status: [200, 204] },
          answered(judged),
        ),
      ];
    }
    if (profile === 'okta' && activeSent !== undefined) {
      return [
        findingFor(
          'okta.path-less-patch-unsupported',
          exchange,
          `${where} answered ${status}${detailOf(exchange)} to {"op":"replace","value":{"active":${activeSent}}}: support a replace without "path" whose value is an object of attributes (RFC 7644 §3.5.2.3).`,
          { status: [200, 204] },
          answered(judged),
        ),
      ];
    }
    return [findingFor('okta.request-failed', exchange, `${where} (${exchange.purpose}) answered ${status}${detailOf(exchange)}.`, { status: '2xx' }, answered(judged))];
  }
  if (profile === 'okta' && activeSent !== undefined && isObject(body) && readActive(body.active) !== undefined && readActive(body.active) !== activeSent) {
    return [
      findingFor(
        'okta.path-less-patch-unsupported',
        exchange,
        `${where} answered ${status} to {"op":"replace","value":{"active":${activeSent}}}, but the user it returned has "active": ${JSON.stringify(body.active)}: the path-less replace was ignored.`,
        { active: activeSent },
        { active: body.active },
      ),
    ];
  }
  if (profile === 'okta-aiw' && request.method === 'PUT' && target?.type === 'Users' && DEACTIVATING_EVENTS.has(judged.eventType) && isObject(request.body)) {
    const sent = request.body.active;
    if (typeof sent === 'boolean' && isObject(body) && readActive(body.active) !== undefined && readActive(body.active) !== sent) {
      return [
        findingFor(
          'okta-aiw.put-active-ignored',
          exchange,
          `${where} carried "active": ${sent}, but the user it returned has "active": ${JSON.stringify(body.active)}.`,
          { active: sent },
          { active: body.active },
        ),
      ];
    }
  }
  return [];
}

// ---- OneLogin, JumpCloud, PingFederate ---------------------------------------------------------

/** DELETE answered with these means "not supported" to JumpCloud, which deactivates instead. */
const DELETE_UNSUPPORTED = new Set([405, 501]);

function rfcClientChecks(judged: Judged, profile: 'onelogin' | 'jumpcloud' | 'pingfederate'): Finding[] {
  const { exchange, request, status, body, where } = judged;
  const failed = `${profile}.request-failed`;
  const target = resourcePath(request.path);
  if (profile === 'jumpcloud' && request.method === 'DELETE' && DELETE_UNSUPPORTED.has(status)) {
    return [
      findingFor(
        'jumpcloud.delete-unsupported',
        exchange,
        `${where} answered ${status}: JumpCloud deactivates the user instead${exchange.purpose.includes('test') ? ', and the test user must be deleted by hand' : ''}.`,
        { status: 204 },
        answered(judged),
      ),
    ];
  }
  if (!succeeded(status)) {
    if (profile === 'onelogin' && (request.method === 'POST' || request.method === 'PUT') && status === 400 && /schema|urn:scim/i.test(exchange.response?.body ?? '')) {
      return [
        findingFor(
          'onelogin.schema-urn-rejected',
          exchange,
          `${where} answered 400${detailOf(exchange)}: accept OneLogin's "urn:scim:schemas:core:2.0" and "urn:scim:schemas:extension:enterprise:2.0" in "schemas".`,
          { status: [200, 201] },
          answered(judged),
        ),
      ];
    }
    if (profile === 'onelogin' && request.query === '' && (status === 404 || status === 405)) {
      return [
        findingFor(
          'onelogin.trailing-question-mark',
          exchange,
          `${where}? answered ${status}: route "${request.path}?" (an empty query) as "${request.path}".`,
          { status: '2xx' },
          answered(judged),
        ),
      ];
    }
    return [findingFor(failed, exchange, `${where} (${exchange.purpose}) answered ${status}${detailOf(exchange)}.`, { status: '2xx' }, answered(judged))];
  }
  if (createdWithoutId(judged)) {
    return [findingFor(failed, exchange, `${where} answered ${status} without an "id", so the IdP cannot link the resource.`, { body: { id: '<the new id>' } }, answered(judged))];
  }
  if (request.method === 'GET' && target && target.id === undefined && !(isObject(body) && typeof body.totalResults === 'number')) {
    return [
      findingFor(failed, exchange, `${where} answered ${status}, but not a SCIM ListResponse with a numeric "totalResults".`, { totalResults: 'integer', Resources: [] }, answered(judged).body ?? null),
    ];
  }
  return [];
}
