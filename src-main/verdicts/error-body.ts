/**
 * What an error body says and which shape it has, in the words of the framework that wrote it, so
 * a finding can tell a developer "this is FastAPI's HTTPException body" rather than "not a SCIM
 * Error", and quote the reason the target gave (a SCIM Error's detail, a FastAPI validation
 * message, a plain-text page).
 */

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ErrorBody {
  /** Whether the body is a SCIM Error (RFC 7644 §3.12): an object whose schemas list the Error URN. */
  readonly scim: boolean;
  /** The shape, for a message: `FastAPI's {"detail": …} (an HTTPException)`, `plain text`, … */
  readonly shape: string;
  /** The reason the body gives, when it gives one: `Input should be 'add', 'remove' or 'replace' (body.Operations.0.op)`. */
  readonly reason?: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string, length = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

/** FastAPI's RequestValidationError body: `{"detail": [{"type", "loc", "msg", "input"}]}`. */
function validationReason(errors: readonly unknown[]): string | undefined {
  const described = errors.filter(isObject).flatMap((error) => {
    if (typeof error.msg !== 'string') return [];
    const at = Array.isArray(error.loc) ? ` (at ${error.loc.map(String).join('.')})` : '';
    return [`${error.msg}${at}`];
  });
  if (described.length === 0) return undefined;
  return described.length === 1 ? described[0] : `${described[0]} (and ${described.length - 1} more)`;
}

export function describeErrorBody(text: string | undefined): ErrorBody {
  if (text === undefined || text.trim() === '') return { scim: false, shape: 'no body' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { scim: false, shape: 'a plain-text body', reason: clip(text) };
  }
  if (!isObject(body)) return { scim: false, shape: `a bare JSON ${Array.isArray(body) ? 'array' : typeof body}` };
  const schemas = body.schemas;
  const detail = body.detail;
  if (Array.isArray(schemas) && schemas.includes(ERROR_SCHEMA)) {
    return { scim: true, shape: 'a SCIM Error', ...(typeof detail === 'string' ? { reason: clip(detail) } : {}) };
  }
  // FastAPI answers every HTTPException as {"detail": <whatever was raised>} and every request
  // that fails its pydantic models as a 422 {"detail": [{loc, msg, type}]}.
  if (typeof detail === 'string') return { scim: false, shape: 'FastAPI\'s {"detail": "…"} (an HTTPException)', reason: clip(detail) };
  if (isObject(detail)) {
    const inner = ['error', 'message', 'detail'].map((key) => detail[key]).find((value): value is string => typeof value === 'string');
    return { scim: false, shape: 'FastAPI\'s {"detail": {…}} (an HTTPException)', ...(inner === undefined ? {} : { reason: clip(inner) }) };
  }
  if (Array.isArray(detail)) {
    const reason = validationReason(detail);
    return { scim: false, shape: 'FastAPI\'s validation error {"detail": [{"loc", "msg", "type"}]}', ...(reason === undefined ? {} : { reason }) };
  }
  // Schema-validated APIs (Metabase's malli schemas, Rails, …) answer {"errors": {field: reason}}.
  if (isObject(body.errors)) {
    const [field, reason] = Object.entries(body.errors)[0] ?? [];
    return {
      scim: false,
      shape: 'a validation body {"errors": {…}}',
      ...(field === undefined ? {} : { reason: clip(`${field}: ${typeof reason === 'string' ? reason : JSON.stringify(reason)}`) }),
    };
  }
  // {"error": {"message": …}} (OpenAI-style proxies, LiteLLM's ProxyException) or {"error": "…"}.
  const error = body.error;
  if (typeof error === 'string') return { scim: false, shape: 'an {"error": "…"} body', reason: clip(error) };
  if (isObject(error) && typeof error.message === 'string') return { scim: false, shape: 'an {"error": {"message": …}} body', reason: clip(error.message) };
  if (typeof body.message === 'string') return { scim: false, shape: 'a {"message": "…"} body', reason: clip(body.message) };
  return { scim: false, shape: 'a JSON object of another shape' };
}
