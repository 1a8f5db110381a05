/**
 * The JSON path subset scenarios use to read a response body (`save: { userId: $.id }`,
 * `expect: [{ json: { $.active: true } }]`). Every path names at most one value, which is what an
 * assertion or a capture needs; no installed library offers that subset, so it is evaluated here.
 *
 * Grammar (names are matched exactly, as JSON does; SCIM's case-insensitivity is not applied, so
 * an assertion also checks that the target spells attributes as the schema does):
 *
 *   path     := '$' segment*
 *   segment  := '.' name                   $.name.givenName
 *             | '[' integer ']'             $.emails[0]   ($.emails[-1] is the last)
 *             | '[' quoted ']'              $['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']
 *             | '[?(@' rel op literal ')]'  $.emails[?(@.type == 'work')]: the FIRST element that matches
 *   name     := [A-Za-z_$][A-Za-z0-9_$-]*
 *   rel      := ('.' name | '[' quoted ']')*   (empty: the element itself)
 *   op       := '==' | '!='
 *   literal  := quoted | number | true | false | null
 *   quoted   := '…' or "…" (backslash escapes the quote and itself)
 *
 * `.length` of an array or a string is its length (`$.Resources.length`), unless an object has a
 * real `length` member.
 */

export type JsonPathSegment =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | {
      readonly kind: 'filter';
      readonly path: readonly JsonPathSegment[];
      readonly operator: '==' | '!=';
      readonly value: string | number | boolean | null;
    };

export interface JsonPath {
  readonly text: string;
  readonly segments: readonly JsonPathSegment[];
}

export class JsonPathError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    reason: string,
  ) {
    super(`invalid JSON path \`${path}\`: ${reason} at character ${offset + 1}`);
    this.name = 'JsonPathError';
  }
}

const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$-]/;

class PathReader {
  position = 0;
  constructor(readonly text: string) {}

  fail(reason: string): never {
    throw new JsonPathError(this.text, this.position, reason);
  }

  peek(offset = 0): string | undefined {
    return this.text[this.position + offset];
  }

  atEnd(): boolean {
    return this.position >= this.text.length;
  }

  skipSpaces(): void {
    while (this.peek() === ' ') this.position++;
  }

  expect(literal: string): void {
    if (!this.text.startsWith(literal, this.position)) this.fail(`expected \`${literal}\``);
    this.position += literal.length;
  }

  name(): string {
    const start = this.position;
    if (!NAME_START.test(this.peek() ?? '')) this.fail('expected a member name');
    while (NAME_PART.test(this.peek() ?? '')) this.position++;
    return this.text.slice(start, this.position);
  }

  quoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted name');
    this.position++;
    let value = '';
    for (;;) {
      const char = this.peek();
      if (char === undefined) this.fail(`unclosed ${quote}`);
      this.position++;
      if (char === quote) return value;
      if (char === '\\') {
        const escaped = this.peek();
        if (escaped === undefined) this.fail(`unclosed ${quote}`);
        value += escaped;
        this.position++;
      } else {
        value += char;
      }
    }
  }

  integer(): number {
    const match = /^-?\d+/.exec(this.text.slice(this.position));
    if (!match) this.fail('expected an index');
    this.position += match[0].length;
    return Number(match[0]);
  }

  literal(): string | number | boolean | null {
    const char = this.peek();
    if (char === "'" || char === '"') return this.quoted();
    const match = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.position));
    if (!match) this.fail('expected a value (a quoted string, a number, true, false or null)');
    this.position += match[0].length;
    return JSON.parse(match[0]) as number | boolean | null;
  }

  /** Members after `@` in a filter. */
  relativePath(): JsonPathSegment[] {
    const segments: JsonPathSegment[] = [];
    for (;;) {
      if (this.peek() === '.') {
        this.position++;
        segments.push({ kind: 'member', name: this.name() });
      } else if (this.peek() === '[' && (this.peek(1) === "'" || this.peek(1) === '"')) {
        this.position++;
        segments.push({ kind: 'member', name: this.quoted() });
        this.expect(']');
      } else {
        return segments;
      }
    }
  }

  segment(): JsonPathSegment {
    if (this.peek() === '.') {
      this.position++;
      return { kind: 'member', name: this.name() };
    }
    if (this.peek() !== '[') this.fail('expected `.` or `[`');
    this.position++;
    const next = this.peek();
    let segment: JsonPathSegment;
    if (next === "'" || next === '"') {
      segment = { kind: 'member', name: this.quoted() };
    } else if (next === '?') {
      this.expect('?(@');
      const path = this.relativePath();
      this.skipSpaces();
      const operator = this.text.startsWith('==', this.position) ? '==' : this.text.startsWith('!=', this.position) ? '!=' : this.fail('expected `==` or `!=`');
      this.position += 2;
      this.skipSpaces();
      const value = this.literal();
      this.skipSpaces();
      this.expect(')');
      segment = { kind: 'filter', path, operator, value };
    } else {
      segment = { kind: 'index', index: this.integer() };
    }
    this.expect(']');
    return segment;
  }
}

/** Parses a path of the subset above; throws JsonPathError saying where it goes wrong. */
export function parseJsonPath(text: string): JsonPath {
  const reader = new PathReader(text);
  reader.expect('$');
  const segments: JsonPathSegment[] = [];
  while (!reader.atEnd()) segments.push(reader.segment());
  return { text, segments };
}

export type JsonPathResult = { readonly found: true; readonly value: unknown } | { readonly found: false };

const NOT_FOUND: JsonPathResult = { found: false };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(value: unknown, segment: JsonPathSegment): JsonPathResult {
  switch (segment.kind) {
    case 'member':
      if (isRecord(value) && Object.hasOwn(value, segment.name)) return { found: true, value: value[segment.name] };
      if (segment.name === 'length' && (Array.isArray(value) || typeof value === 'string')) return { found: true, value: value.length };
      return NOT_FOUND;
    case 'index': {
      if (!Array.isArray(value)) return NOT_FOUND;
      const index = segment.index < 0 ? value.length + segment.index : segment.index;
      return index >= 0 && index < value.length ? { found: true, value: value[index] } : NOT_FOUND;
    }
    case 'filter': {
      if (!Array.isArray(value)) return NOT_FOUND;
      const match = value.find((element) => {
        const result = walk(element, segment.path);
        const equal = result.found && result.value === segment.value;
        return segment.operator === '==' ? equal : result.found && !equal;
      });
      return match === undefined ? NOT_FOUND : { found: true, value: match };
    }
  }
}

function walk(value: unknown, segments: readonly JsonPathSegment[]): JsonPathResult {
  let result: JsonPathResult = { found: true, value };
  for (const segment of segments) {
    if (!result.found) return result;
    result = step(result.value, segment);
  }
  return result;
}

/** The value a path names in a JSON document, or `{ found: false }`. */
export function evaluateJsonPath(path: JsonPath | string, document: unknown): JsonPathResult {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  return walk(document, parsed.segments);
}
