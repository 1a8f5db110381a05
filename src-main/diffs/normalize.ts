/**
 * Normalising SCIM traffic for comparison. Two runs of the same scenario never send or receive the
 * same bytes: the server picks its own ids, stamps times and versions, answers under its own
 * host and base path, and the run's names carry a fresh run tag. What a developer wants to see is
 * what differs beyond that, so before diffing:
 * - every id the server generated becomes a placeholder in the order first seen: `<User 1>` for
 *   the first user the run created, `<existing User 1>` for a user it only found; wherever that id
 *   appears (`id`, `members[].value`, `manager.value`, `$ref`, `meta.location`, URL paths, and
 *   inside longer text such as an error's `detail`);
 * - the IdP's own generated `externalId`s (from the run's requests) become `<externalId 1>`…;
 * - any other GUID the IdP made up for the run (Entra's probe for a random user or group,
 *   `userName eq "<guid>"`) becomes `<generated 1>`… in the order the run sent it: each run draws
 *   its own from its seed, and a server that echoes one back wrongly still shows;
 * - `meta.created`, `meta.lastModified` and `meta.version` are dropped (ETags are compared by
 *   presence only, in diff.ts);
 * - URLs lose their origin and base path: `https://a.example/scim/v2/Users/x` → `/Users/<User 1>`;
 * - the run tag is replaced by `<run>`;
 * - attributes that are null or an empty array are dropped: RFC 7643 §2.5 makes them equivalent to
 *   unassigned (https://www.rfc-editor.org/rfc/rfc7643#section-2.5);
 * - multi-valued attributes are sorted canonically, as RFC 7643 §2.4 says their order carries no
 *   meaning (https://www.rfc-editor.org/rfc/rfc7643#section-2.4). PATCH `Operations` keep their
 *   order (RFC 7644 §3.5.2 applies them in sequence), and so does a list asked for with `sortBy`.
 */
import type { RunExchange } from '../runner/exchange.js';
import type { RunRecord } from '../runner/run-record.js';

/** A request as compared: what the IdP asked for, without what only this run or this server made. */
export interface NormalisedRequest {
  readonly method: string;
  /** Below the base URL, ids mapped, e.g. `/Users/<User 1>`. */
  readonly path: string;
  /** Decoded (`%20` and `+` both read as a space), ids and run tag mapped; absent without a query. */
  readonly query?: string;
  /** The body as normalised JSON, or its text (ids and run tag mapped) when it is not JSON. */
  readonly body?: unknown;
}

export interface NormalisedResponse {
  readonly status: number;
  /** As normalised JSON, or text when it is not JSON; absent when the response had no body. */
  readonly body?: unknown;
}

/** The SCIM endpoints whose position in a URL marks where the base URL ends. */
const ENDPOINT = /\/(Users|Groups|Me|Schemas|ResourceTypes|ServiceProviderConfigs?|Bulk|\.search)(?=[/?#]|$)/i;

/** Volatile `meta` attributes: they differ on every write by design. */
const VOLATILE_META = new Set(['created', 'lastModified', 'version']);

/** Attributes whose `value` is the id of another resource (RFC 7643 §4.1.2, §4.2, §4.3). */
const REFERENCE_CONTAINERS = new Set(['members', 'groups', 'manager']);

/** Arrays whose order is meaningful. */
const ORDERED_KEYS = new Set(['Operations']);

/** A GUID as the IdP generates them (RFC 9562 text form), anywhere in a request. */
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Ids shorter than this are replaced only where an id belongs, never inside free text ("1" is in many strings). */
const MIN_ID_LENGTH_IN_TEXT = 8;

/** What kind of resource a URL or a body names: `User`, `Group`, or the endpoint's own name. */
function resourceTypeOf(path: string, body: unknown): string {
  const meta = isObject(body) && isObject(body.meta) ? body.meta : undefined;
  if (meta && typeof meta.resourceType === 'string' && meta.resourceType !== '') return meta.resourceType;
  if (/\/Groups(?=[/?]|$)/i.test(path)) return 'Group';
  if (/\/Users(?=[/?]|$)/i.test(path)) return 'User';
  return 'Resource';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string | undefined): { json: true; value: unknown } | { json: false } {
  if (text === undefined || text.trim() === '') return { json: false };
  try {
    return { json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { json: false };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The part of a URL below the SCIM base: from the first SCIM endpoint on, or the path below `baseUrl`. */
export function relativeUrl(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (base !== '' && url.startsWith(base)) return url.slice(base.length) || '/';
  const endpoint = ENDPOINT.exec(url);
  if (endpoint) return url.slice(endpoint.index);
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/**
 * The ids a run's server generated, each with its placeholder. Ids from successful creates come
 * first, numbered per resource type in the order created, so the same scenario against two
 * targets numbers the same users the same way even when one target already holds other users;
 * ids the run only found (in a list or a read) come after, as `<existing User n>`.
 */
export class IdMap {
  private readonly placeholders = new Map<string, string>();
  /** Ids that are also the resource's name (LiteLLM's id is the userName): mapped only where an id belongs. */
  private readonly natural = new Set<string>();
  private readonly counters = new Map<string, number>();
  private pattern: RegExp | undefined;

  static of(record: Pick<RunRecord, 'exchanges' | 'target'>): IdMap {
    const map = new IdMap();
    const created: [string, string][] = [];
    const seen: [string, string][] = [];
    for (const exchange of record.exchanges) {
      const response = exchange.response;
      if (!response) continue;
      const body = parseJson(response.body);
      if (!body.json) continue;
      const path = relativeUrl(exchange.request.url, record.target.baseUrl);
      const isCreate = exchange.request.method.toUpperCase() === 'POST' && response.status >= 200 && response.status < 300;
      for (const resource of resourcesIn(body.value)) {
        if (typeof resource.id !== 'string' || resource.id === '') continue;
        const entry: [string, string] = [resource.id, resourceTypeOf(path, resource)];
        if ([resource.userName, resource.displayName, resource.externalId].includes(resource.id)) map.natural.add(resource.id);
        (isCreate && resource === body.value ? created : seen).push(entry);
      }
    }
    for (const [id, type] of created) map.add(id, type, '');
    for (const [id, type] of seen) map.add(id, type, 'existing ');
    // The IdP's own ids (Okta's `00u…` externalIds) come from the run's seed: mapped, a baseline
    // taken with another seed still compares, and a server that drops or changes one still shows.
    for (const exchange of record.exchanges) {
      const body = parseJson(exchange.request.body);
      if (body.json && isObject(body.value) && typeof body.value.externalId === 'string' && body.value.externalId !== '') {
        map.add(body.value.externalId, 'externalId', '');
      }
    }
    // What is left of the GUIDs in the requests the run made up itself: the server never named them.
    for (const exchange of record.exchanges) {
      const sent = `${decodeQuery(exchange.request.url)} ${exchange.request.body ?? ''}`;
      for (const guid of sent.match(GUID) ?? []) map.add(guid, 'generated', '');
    }
    return map;
  }

  private add(id: string, type: string, prefix: string): void {
    if (this.placeholders.has(id)) return;
    const key = `${prefix}${type}`;
    const next = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, next);
    this.placeholders.set(id, `<${key} ${next}>`);
    this.pattern = undefined;
  }

  /** The placeholder of an id, or undefined when the run never saw it. */
  get(id: string): string | undefined {
    return this.placeholders.get(id);
  }

  get size(): number {
    return this.placeholders.size;
  }

  /** Every known id of a useful length inside a text replaced by its placeholder, longest first. */
  replaceIn(text: string): string {
    if (this.pattern === undefined) {
      const ids = [...this.placeholders.keys()]
        .filter((id) => id.length >= MIN_ID_LENGTH_IN_TEXT && !this.natural.has(id)).sort((a, b) => b.length - a.length);
      this.pattern = ids.length === 0 ? /(?!)/g : new RegExp(ids.map(escapeRegExp).join('|'), 'g');
    }
    const mapped = text.replace(this.pattern, (id) => this.placeholders.get(id) ?? id);
    // A short id is still unmistakable between quotes: `members[value eq "1002"]`, `User "17"`.
    return mapped.replace(/"([^"\\]{1,200})"/g, (quoted, inner: string) => {
      const placeholder = this.natural.has(inner) ? undefined : this.placeholders.get(inner);
      return placeholder ? `"${placeholder}"` : quoted;
    });
  }

  /** Every path segment that is a known id (whatever its length, once URL-decoded) mapped. */
  replaceInPath(path: string): string {
    return path
      .split('/')
      .map((segment) => {
        let decoded = segment;
        try {
          decoded = decodeURIComponent(segment);
        } catch {
          // A malformed escape is kept as sent: it is part of what differs.
        }
        return this.placeholders.get(decoded) ?? this.replaceIn(segment);
      })
      .join('/');
  }
}

/** A single resource, or the resources of a ListResponse. */
function resourcesIn(body: unknown): Record<string, unknown>[] {
  if (!isObject(body)) return [];
  if (Array.isArray(body.Resources)) return body.Resources.filter(isObject);
  return [body];
}

export interface NormaliseOptions {
  readonly ids: IdMap;
  /** The run's tag (RunRecord.runTag): replaced by `<run>` wherever it appears, in any case. */
  readonly runTag?: string;
  readonly baseUrl: string;
  /** Keep `Resources` in the order returned (the request asked for `sortBy`). */
  readonly ordered?: boolean;
}

/** Reads a whole run's traffic with the same id map and run tag. */
export class Normaliser {
  private readonly runTagPattern: RegExp | undefined;

  constructor(private readonly options: NormaliseOptions) {
    this.runTagPattern = options.runTag ? new RegExp(escapeRegExp(options.runTag), 'gi') : undefined;
  }

  static of(record: Pick<RunRecord, 'exchanges' | 'target' | 'runTag'>): Normaliser {
    return new Normaliser({ ids: IdMap.of(record), runTag: record.runTag, baseUrl: record.target.baseUrl });
  }

  /** Text with ids and the run tag replaced. */
  text(text: string): string {
    const mapped = this.options.ids.replaceIn(text);
    return this.runTagPattern ? mapped.replace(this.runTagPattern, '<run>') : mapped;
  }

  /** A URL or path: origin and base path dropped, ids in the path mapped, the rest as text. */
  url(url: string): string {
    const relative = relativeUrl(url, this.options.baseUrl);
    const queryAt = relative.search(/[?#]/);
    const path = queryAt < 0 ? relative : relative.slice(0, queryAt);
    const rest = queryAt < 0 ? '' : relative.slice(queryAt);
    return this.text(`${this.options.ids.replaceInPath(path)}${rest}`);
  }

  /** A URL into a SCIM service (this one or another): other URLs, such as a photo's, are data. */
  private isScimUrl(value: string): boolean {
    return /^https?:\/\//i.test(value) && (value.startsWith(this.options.baseUrl) || ENDPOINT.test(value));
  }

  /** A JSON value, normalised (see the module comment). */
  value(value: unknown, ordered = this.options.ordered ?? false): unknown {
    return this.walk(value, undefined, undefined, ordered);
  }

  /** `container`: the attribute an array item or sub-attribute belongs to (`members` for `members[].value`). */
  private walk(value: unknown, key: string | undefined, container: string | undefined, ordered: boolean): unknown {
    if (typeof value === 'string') {
      const reference = key !== undefined && REFERENCE_CONTAINERS.has(key);
      if (key === 'id' || key === 'externalId' || reference || (key === 'value' && container !== undefined && REFERENCE_CONTAINERS.has(container))) {
        const placeholder = this.options.ids.get(value);
        if (placeholder) return placeholder;
      }
      if (key === '$ref' || key === 'location' || this.isScimUrl(value)) return this.url(value);
      return this.text(value);
    }
    if (Array.isArray(value)) {
      const items = value.map((item) => this.walk(item, undefined, key ?? container, ordered));
      const keepOrder = (key !== undefined && ORDERED_KEYS.has(key)) || (key === 'Resources' && ordered);
      return keepOrder ? items : sortCanonically(items);
    }
    if (isObject(value)) {
      const out: Record<string, unknown> = {};
      for (const name of Object.keys(value).sort()) {
        if (key === 'meta' && VOLATILE_META.has(name)) continue;
        const child = value[name];
        if (child === null || (Array.isArray(child) && child.length === 0)) continue;
        // A PATCH operation's value is read as the attribute its path names (`members`, `manager`).
        const as = name === 'value' && typeof value.op === 'string' ? patchTarget(value.path) ?? name : name;
        out[name] = this.walk(child, as, key ?? container, ordered);
      }
      return out;
    }
    return value;
  }

  /** A body as sent or received: normalised JSON, or normalised text, or undefined when empty. */
  body(text: string | undefined, ordered = false): unknown {
    if (text === undefined || text === '') return undefined;
    const parsed = parseJson(text);
    return parsed.json ? this.value(parsed.value, ordered) : this.text(text);
  }

  request(exchange: Pick<RunExchange, 'request'>): NormalisedRequest {
    const { method, url, body } = exchange.request;
    const relative = relativeUrl(url, this.options.baseUrl);
    const queryAt = relative.indexOf('?');
    const rawPath = queryAt < 0 ? relative : relative.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? undefined : relative.slice(queryAt + 1);
    const normalisedBody = this.body(body);
    return {
      method: method.toUpperCase(),
      path: this.text(this.options.ids.replaceInPath(rawPath)),
      ...(rawQuery === undefined || rawQuery === '' ? {} : { query: this.text(decodeQuery(rawQuery)) }),
      ...(normalisedBody === undefined ? {} : { body: normalisedBody }),
    };
  }

  response(exchange: Pick<RunExchange, 'request' | 'response'>): NormalisedResponse | undefined {
    const response = exchange.response;
    if (!response) return undefined;
    const body = this.body(response.body, /[?&]sortBy=/i.test(exchange.request.url));
    return { status: response.status, ...(body === undefined ? {} : { body }) };
  }
}

/** The attribute a PATCH path names, lower case: `members[value eq "x"]` → `members`, `urn:…:User:manager` → `manager`. */
function patchTarget(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return undefined;
  const attribute = path.split(/[[.]/)[0] ?? '';
  const name = attribute.slice(attribute.lastIndexOf(':') + 1).toLowerCase();
  return name === '' ? undefined : name;
}

/** A query string as a person reads it: `+` and `%20` both a space, every escape decoded. */
export function decodeQuery(query: string): string {
  return query
    .split('&')
    .map((pair) =>
      pair
        .split('=')
        .map((part) => {
          const spaced = part.replace(/\+/g, ' ');
          try {
            return decodeURIComponent(spaced);
          } catch {
            return spaced;
          }
        })
        .join('='),
    )
    .join('&');
}

/** JSON text with object keys sorted: equal values give equal keys. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson(value[name])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function sortCanonically(items: unknown[]): unknown[] {
  return items
    .map((item) => [canonicalJson(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}
