/**
 * How a FastAPI app answers, for the two Python products (LiteLLM, Open WebUI): JSON rendered as
 * Starlette's JSONResponse renders it, `HTTPException` as `{"detail": …}`, request validation as
 * a 422 with pydantic v2's error list, and an unhandled exception as Starlette's plain-text 500.
 * The validators reproduce the pydantic v2 checks the products' request models make (lax mode),
 * with pydantic's own error types and messages.
 */

/** Starlette JSONResponse: compact separators, non-ASCII kept (`ensure_ascii=False`). */
export function fastapiJson(status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType, ...headers } });
}

/** `raise HTTPException(status, detail)`: the default handler's `{"detail": …}`. */
export function httpException(status: number, detail: unknown, headers: Record<string, string> = {}): Response {
  return fastapiJson(status, { detail }, 'application/json', headers);
}

/** An exception nothing handled: Starlette's ServerErrorMiddleware answers this, whatever the route. */
export function internalServerError(): Response {
  return new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** No route for the path (404) or none for the method (405, with `allow`). */
export function fastapiUnrouted(allowed: readonly string[]): Response {
  if (allowed.length === 0) return httpException(404, 'Not Found');
  return httpException(405, 'Method Not Allowed', { allow: allowed.join(', ') });
}

/** The empty 204 a route with `status_code=204` returns. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export type Loc = readonly (string | number)[];

export interface PydanticError {
  readonly type: string;
  readonly loc: Loc;
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

/** FastAPI's RequestValidationError handler: 422 `{"detail": [errors]}`. */
export function validationFailed(errors: readonly PydanticError[]): Response {
  return fastapiJson(422, { detail: errors });
}

/** A field check: returns the validated value, or pushes errors and returns undefined. */
export type Check = (value: unknown, loc: Loc, errors: PydanticError[]) => unknown;

export interface Field {
  readonly check: Check;
  /** Absent from the input: required fields fail with `missing`; others take this default. */
  readonly required?: boolean;
  readonly default?: unknown;
}

export const required = (check: Check): Field => ({ check, required: true });
export const optional = (check: Check, fallback: unknown = null): Field => ({ check, default: fallback });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A BaseModel: unknown keys ignored (pydantic's default), fields checked in declaration order. */
export function model(fields: Readonly<Record<string, Field>>, aliases: Readonly<Record<string, string>> = {}): Check {
  return (value, loc, errors) => {
    if (!isPlainObject(value)) {
      errors.push({ type: 'model_attributes_type', loc, msg: 'Input should be a valid dictionary or object to extract fields from', input: value });
      return undefined;
    }
    const result: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      const key = aliases[name] ?? name;
      if (!(key in value)) {
        if (field.required) errors.push({ type: 'missing', loc: [...loc, key], msg: 'Field required', input: value });
        else result[name] = field.default;
        continue;
      }
      const given = value[key];
      // An explicit null is valid only where the model says Optional (its default is None).
      if (given === null && !field.required && field.default === null) {
        result[name] = null;
        continue;
      }
      result[name] = field.check(given, [...loc, key], errors);
    }
    return result;
  };
}

export const str: Check = (value, loc, errors) => {
  if (typeof value === 'string') return value;
  errors.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: value });
  return undefined;
};

export const anything: Check = (value) => value;

const TRUE_WORDS = ['1', 'on', 't', 'true', 'y', 'yes'];
const FALSE_WORDS = ['0', 'off', 'f', 'false', 'n', 'no'];

/** pydantic's lax bool: true/false, 0/1 and the usual words, case-insensitively. */
export const bool: Check = (value, loc, errors) => {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
  }
  errors.push(
    typeof value === 'string' || typeof value === 'number'
      ? { type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input: value }
      : { type: 'bool_type', loc, msg: 'Input should be a valid boolean', input: value },
  );
  return undefined;
};

export function list(item: Check): Check {
  return (value, loc, errors) => {
    if (!Array.isArray(value)) {
      errors.push({ type: 'list_type', loc, msg: 'Input should be a valid list', input: value });
      return undefined;
    }
    return value.map((entry, index) => item(entry, [...loc, index], errors));
  };
}

export function literal(...choices: readonly string[]): Check {
  const expected = choices.length === 1 ? `'${choices[0]}'` : `${choices.slice(0, -1).map((c) => `'${c}'`).join(', ')} or '${choices.at(-1)}'`;
  return (value, loc, errors) => {
    if (typeof value === 'string' && choices.includes(value)) return value;
    errors.push({ type: 'literal_error', loc, msg: `Input should be ${expected}`, input: value, ctx: { expected } });
    return undefined;
  };
}

/** Top-level domains email-validator refuses (its SPECIAL_USE_DOMAIN_NAMES). */
const SPECIAL_USE = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];

/**
 * pydantic's EmailStr (email-validator, no deliverability check): the common refusals, and the
 * normalised address it returns (the domain lower-cased).
 */
export const email: Check = (value, loc, errors) => {
  if (typeof value !== 'string') return str(value, loc, errors);
  const fail = (reason: string) => {
    errors.push({ type: 'value_error', loc, msg: `value is not a valid email address: ${reason}`, input: value, ctx: { reason } });
    return undefined;
  };
  const at = value.split('@');
  if (at.length !== 2) return fail('The email address is not valid. It must have exactly one @-sign.');
  const [local, domain] = at as [string, string];
  if (local === '') return fail('There must be something before the @-sign.');
  if (domain === '') return fail('There must be something after the @-sign.');
  const lower = domain.toLowerCase();
  if (!lower.includes('.')) return fail('The part after the @-sign is not valid. It should have a period.');
  if (SPECIAL_USE.includes(lower.split('.').at(-1) ?? '')) {
    return fail('The part after the @-sign is a special-use or reserved name that cannot be used with email.');
  }
  return `${local}@${lower}`;
};

/**
 * The JSON body as FastAPI reads it before validating: a decode error is a 422 of its own (before
 * any dependency runs, so before authentication), a missing body is `missing` at `["body"]`.
 */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false; response: Response } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // Python's json reports a character position; JavaScript's message carries one on Node 20.
    const position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? 0);
    return {
      ok: false,
      response: validationFailed([
        { type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } },
      ]),
    };
  }
}

/** Validates the body against the endpoint's model (`Body(...)`: required). */
export function validateBody(body: unknown, check: Check, errors: PydanticError[]): unknown {
  if (body === undefined) {
    errors.push({ type: 'missing', loc: ['body'], msg: 'Field required', input: null });
    return undefined;
  }
  return check(body, ['body'], errors);
}

/**
 * A query parameter declared `int = Query(default, ge=…, le=…)`: the last occurrence wins
 * (Starlette's QueryParams), then pydantic's int parsing and bounds.
 */
export function queryInt(
  pairs: readonly (readonly [string, string])[],
  name: string,
  fallback: number,
  bounds: { readonly ge?: number; readonly le?: number },
  errors: PydanticError[],
): number {
  const given = [...pairs].reverse().find(([key]) => key === name)?.[1];
  if (given === undefined) return fallback;
  const loc = ['query', name];
  if (!/^\s*[-+]?\d+\s*$/.test(given)) {
    errors.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: given });
    return fallback;
  }
  const value = Number(given);
  if (bounds.ge !== undefined && value < bounds.ge) {
    errors.push({ type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${bounds.ge}`, input: given, ctx: { ge: bounds.ge } });
  } else if (bounds.le !== undefined && value > bounds.le) {
    errors.push({ type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${bounds.le}`, input: given, ctx: { le: bounds.le } });
  }
  return value;
}

/** A plain `Optional[str]` query parameter: the last occurrence. */
export function queryStr(pairs: readonly (readonly [string, string])[], name: string): string | undefined {
  return [...pairs].reverse().find(([key]) => key === name)?.[1];
}

/** Python's `datetime.isoformat()` of an aware UTC datetime: microseconds only when not zero. */
export function pythonIsoformat(date: Date, withMicroseconds = true): string {
  const base = date.toISOString().slice(0, 19);
  const millis = date.getUTCMilliseconds();
  return `${base}${withMicroseconds && millis !== 0 ? `.${String(millis).padStart(3, '0')}000` : ''}+00:00`;
}
