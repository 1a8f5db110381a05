/**
 * What the request log must not keep in clear: credentials in headers (the bearer token,
 * cookies) and the passwords IdPs send in bodies (Okta sends a random `password` on every
 * create; a PATCH may replace `password`). Redaction keeps the shape a person debugging needs:
 * the auth scheme, the attribute's presence, the body's own formatting.
 */

const REDACTED = '[redacted]';

/** Headers whose whole value is a secret. `authorization` keeps its scheme (see below). */
const SECRET_HEADERS = new Set(['cookie', 'set-cookie', 'proxy-authorization', 'x-api-key']);

export function redactHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (name === 'authorization') {
      // Keep the scheme ("Bearer", "Basic"): it is what a person debugging auth needs to see.
      const space = value.indexOf(' ');
      result[name] = space === -1 ? REDACTED : `${value.slice(0, space)} ${REDACTED}`;
    } else if (SECRET_HEADERS.has(name)) {
      result[name] = REDACTED;
    } else {
      result[name] = value;
    }
  }
  return result;
}

const MENTIONS_PASSWORD = /password/i;
/** An attribute name or PATCH path that designates a password: `password`, `urn:…:password`. */
const PASSWORD_NAME = /(^|[.:])password$/i;
/** Fallback for bodies that are not JSON: `"password": "…"` pairs. */
const PASSWORD_PAIR = /("[^"]*password"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/**
 * The body with every password value replaced by "[redacted]". Values are found by parsing the
 * JSON (attribute keys, and PATCH operations whose `path` is a password) and replaced in the raw
 * text, so the logged body keeps the client's formatting. Most bodies never mention a password
 * and are returned as they are without being parsed.
 */
export function redactBody(body: string): string {
  if (!MENTIONS_PASSWORD.test(body)) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.replace(PASSWORD_PAIR, `$1"${REDACTED}"`);
  }
  const secrets = new Set<string>();
  collectPasswords(parsed, secrets);
  let redacted = body;
  for (const secret of secrets) redacted = redacted.split(JSON.stringify(secret)).join(`"${REDACTED}"`);
  return redacted;
}

function collectPasswords(value: unknown, secrets: Set<string>): void {
  // Iterative: a body nested thousands of levels deep must not overflow the stack here.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (Array.isArray(current)) {
      pending.push(...current);
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const object = current as Record<string, unknown>;
    const path = object.path;
    if (typeof path === 'string' && PASSWORD_NAME.test(path) && typeof object.value === 'string') secrets.add(object.value);
    for (const key of Object.keys(object)) {
      const child = object[key];
      if (PASSWORD_NAME.test(key) && typeof child === 'string') secrets.add(child);
      else if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
}
