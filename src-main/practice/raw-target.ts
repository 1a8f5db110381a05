/**
 * The request-target exactly as the client sent it. A Fetch `Request` normalises its URL (it
 * percent-encodes `"` in the query, resolves `..`), but the products parse the raw query
 * themselves, each its own way (Python's `parse_qsl`, Ring's form decoding and then Metabase's own
 * second decoding), so the handlers read the raw form, kept beside the Request.
 */
const rawTargets = new WeakMap<Request, string>();

export interface RawTarget {
  /** The path, still percent-encoded. */
  readonly path: string;
  /** The query without its `?`; undefined when there is none. */
  readonly query?: string;
}

/** A Fetch Request for `origin` + `rawTarget` that remembers the raw target. */
export function practiceRequest(origin: string, rawTarget: string, init: RequestInit): Request {
  const request = new Request(`${origin}${rawTarget}`, init);
  rawTargets.set(request, rawTarget);
  return request;
}

export function rawTargetOf(request: Request): RawTarget {
  const raw = rawTargets.get(request) ?? `${new URL(request.url).pathname}${new URL(request.url).search}`;
  const mark = raw.indexOf('?');
  return mark < 0 ? { path: raw } : { path: raw.slice(0, mark), query: raw.slice(mark + 1) };
}

/** `scheme://host/`, as Starlette's `request.base_url` and Metabase's site URL give it. */
export function originOf(request: Request): string {
  return new URL(request.url).origin;
}

/** Percent-decoding that keeps a malformed escape as written, as Python's `unquote` does. */
export function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** application/x-www-form-urlencoded decoding of one query component: `+` is a space. */
export function formDecode(text: string): string {
  return percentDecode(text.replace(/\+/g, ' '));
}

/** The query's pairs in order, form-decoded (Python's `parse_qsl`, Ring's `form-decode`). */
export function queryPairs(query: string | undefined): [string, string][] {
  if (query === undefined || query === '') return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      return equals < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, equals)), formDecode(part.slice(equals + 1))];
    });
}

/** Python's `str(json)`-free JSON parse: undefined for no body, a SyntaxError for a bad one. */
export async function bodyText(request: Request): Promise<string> {
  return request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
}
