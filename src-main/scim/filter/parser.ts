/**
 * Parser for SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (RFC 7644 §3.5.2).
 *
 * Grammar (precedence not > and > or, both binary operators left-associative):
 *
 *   filter    = orExpr EOF
 *   orExpr    = andExpr *("or" andExpr)
 *   andExpr   = term *("and" term)
 *   term      = "not" "(" orExpr ")" / "(" orExpr ")" / attrPath "[" orExpr "]" [subAttrExp] / attrExp
 *   attrExp   = attrPath ("pr" / compareOp compValue)
 *   subAttrExp = "." ATTRNAME ("pr" / compareOp compValue)      ; Entra, see below
 *
 * Keywords and operators are case-insensitive (PingOne sends `userName Eq "x"`), attribute names
 * keep the client's casing (resolution against a schema is case-insensitive and happens later).
 *
 * Errors are ScimErrors (400 invalidFilter, or invalidPath for PATCH paths) whose detail reads
 * `Invalid filter at position N: expected …, found …` with a 1-based character position.
 */
import { invalidFilter, invalidPath, type ScimError } from '../errors.js';
import { allSchemas, parseAttrPath, type AttrPath } from '../schema/resource-types.js';
import type { CompValue, CompareOp, Filter, PatchPath } from './ast.js';
import { LexError, Lexer, type Token } from './lexer.js';

/**
 * Parentheses, `not (` and `[` deeper than this are rejected. Real filters nest two or three
 * levels; the limit keeps the recursive parser (and everything that walks the AST recursively)
 * far away from the stack limit on hostile input.
 */
export const MAX_FILTER_DEPTH = 64;

/**
 * Comparisons (`attr op value` and `attr pr`, counted inside `[...]` too) allowed in one filter.
 * `a or b or c ...` chains need no nesting, so the depth limit alone does not bound the AST:
 * the query planner, root-search narrowing and PATCH value-path helpers walk and/or chains
 * recursively. Real filters have a handful of terms; batch lookups such as
 * `id eq "1" or id eq "2" or ...` stay far below 1000, and 1000 keeps every walker a few
 * thousand frames away from the stack limit.
 */
export const MAX_FILTER_TERMS = 1000;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const OPERATOR_LIST = 'eq, ne, co, sw, ew, gt, ge, lt, le';

/** RFC 7643 §2.1 ATTRNAME, plus a leading "$" for `$ref` (RFC 7643 §2.3.7 / §4.1.2 use it). */
const ATTR_NAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
/** RFC 8259 §6 number. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
/** RFC 8141: "urn:" NID ":" NSS. */
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[^\s]+$/i;

const MAX_SHOWN = 40;

const SCHEMA_BY_LOWER_ID = new Map(allSchemas.map((schema) => [schema.id.toLowerCase(), schema]));

function shorten(text: string): string {
  return text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + '…' : text;
}

type Mode = 'filter' | 'path';

/** What encloses the expression being parsed; drives "expected … to close …" messages and nesting rules. */
interface Enclosure {
  readonly kind: 'top' | 'paren' | 'bracket';
  /** The opening token, for "to close the ( at position N". */
  readonly open?: Token;
  /** For a bracket: the attribute the value filter belongs to, as written. */
  readonly attribute?: string;
}

const TOP: Enclosure = { kind: 'top' };

class Parser {
  private readonly lexer: Lexer;
  private depth = 0;
  private terms = 0;
  private last: Token | undefined;

  constructor(
    readonly text: string,
    private readonly mode: Mode,
  ) {
    this.lexer = new Lexer(text);
  }

  fail(offset: number, message: string): never {
    const make: (detail: string) => ScimError = this.mode === 'filter' ? invalidFilter : invalidPath;
    throw make(`Invalid ${this.mode} at position ${offset + 1}: ${message}`);
  }

  peek(): Token {
    try {
      return this.lexer.peek();
    } catch (error) {
      if (error instanceof LexError) this.fail(error.offset, error.problem);
      throw error;
    }
  }

  next(): Token {
    const token = this.peek();
    this.lexer.next();
    this.last = token;
    return token;
  }

  describe(token: Token): string {
    switch (token.kind) {
      case 'eof':
        return `end of ${this.mode}`;
      case 'string':
        return `the string ${shorten(token.text)}`;
      default:
        return `"${shorten(token.text)}"`;
    }
  }

  /** ` after "x"` naming the last consumed token, so messages say where the parser was. */
  private after(): string {
    if (!this.last) return '';
    return this.last.kind === 'string' ? ` after ${shorten(this.last.text)}` : ` after "${shorten(this.last.text)}"`;
  }

  private enter(open: Token): void {
    this.depth++;
    if (this.depth > MAX_FILTER_DEPTH) {
      this.fail(open.start, `nesting is deeper than ${MAX_FILTER_DEPTH} levels of parentheses and brackets`);
    }
  }

  private leave(): void {
    this.depth--;
  }

  private countTerm(token: Token): void {
    this.terms++;
    if (this.terms > MAX_FILTER_TERMS) {
      this.fail(
        token.start,
        `the ${this.mode} has more than ${MAX_FILTER_TERMS} comparisons, the most this server accepts in one ${this.mode}; split the query into several requests`,
      );
    }
  }

  // ---- filters ----------------------------------------------------------------------------

  parseFilterText(): Filter {
    const first = this.peek();
    if (first.kind === 'eof') this.fail(0, 'the filter is empty; expected an expression such as userName eq "bjensen"');
    const filter = this.parseOr(TOP);
    const token = this.peek();
    if (token.kind !== 'eof') {
      if (token.kind === 'rparen') this.fail(token.start, 'unexpected ")" without a matching "("');
      if (token.kind === 'rbracket') this.fail(token.start, 'unexpected "]" without a matching "["');
      this.fail(token.start, `expected "and", "or" or end of filter${this.after()}, found ${this.describe(token)}`);
    }
    return filter;
  }

  private parseOr(enclosure: Enclosure): Filter {
    let left = this.parseAnd(enclosure);
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'word' || token.text.toLowerCase() !== 'or') return left;
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(enclosure) };
    }
  }

  private parseAnd(enclosure: Enclosure): Filter {
    let left = this.parseTerm(enclosure);
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'word' || token.text.toLowerCase() !== 'and') return left;
      this.next();
      left = { kind: 'and', left, right: this.parseTerm(enclosure) };
    }
  }

  private expectClose(enclosure: Enclosure): void {
    const token = this.peek();
    const wanted = enclosure.kind === 'bracket' ? 'rbracket' : 'rparen';
    if (token.kind === wanted) {
      this.next();
      return;
    }
    const close = enclosure.kind === 'bracket' ? ']' : ')';
    const open = enclosure.open!;
    this.fail(
      token.start,
      `expected "and", "or" or "${close}"${this.after()} to close the "${open.text}" opened at position ${open.start + 1}, found ${this.describe(token)}`,
    );
  }

  private parseTerm(enclosure: Enclosure): Filter {
    const token = this.peek();
    const expected = 'expected an attribute name, "not (" or "("';
    if (token.kind === 'lparen') {
      this.next();
      this.enter(token);
      const inner = this.parseOr({ kind: 'paren', open: token, attribute: enclosure.attribute });
      this.expectClose({ kind: 'paren', open: token });
      this.leave();
      return inner;
    }
    if (token.kind === 'string') {
      this.fail(
        token.start,
        `${expected}${this.after()}, found ${this.describe(token)}; the attribute comes first, as in userName eq "bjensen"`,
      );
    }
    if (token.kind !== 'word') this.fail(token.start, `${expected}${this.after()}, found ${this.describe(token)}`);
    const lower = token.text.toLowerCase();
    if (lower === 'not') {
      this.next();
      const open = this.peek();
      if (open.kind !== 'lparen') {
        this.fail(open.start, `expected "(" after "not", found ${this.describe(open)}; write not (expression)`);
      }
      this.next();
      this.enter(open);
      const inner = this.parseOr({ kind: 'paren', open, attribute: enclosure.attribute });
      this.expectClose({ kind: 'paren', open });
      this.leave();
      return { kind: 'not', filter: inner };
    }
    if (lower === 'and' || lower === 'or') {
      this.fail(token.start, `${expected}${this.after()}, found the keyword "${token.text}"`);
    }
    if (COMPARE_OPS.has(lower) || lower === 'pr') {
      this.fail(token.start, `${expected}${this.after()}, found the operator "${token.text}"; the attribute comes first, as in userName eq "bjensen"`);
    }
    const path = this.attrPath(token);
    this.next();
    const following = this.peek();
    if (following.kind === 'lbracket') return this.parseValuePath(path, token, enclosure);
    return this.parseAttrExp(path, token.text);
  }

  private parseValuePath(path: AttrPath, pathToken: Token, enclosure: Enclosure): Filter {
    const open = this.next();
    if (enclosure.attribute !== undefined) {
      this.fail(
        open.start,
        `value filters cannot be nested: "${shorten(pathToken.text)}[" appears inside "${shorten(enclosure.attribute)}[...]"`,
      );
    }
    this.checkValuePathAttribute(path, pathToken);
    this.enter(open);
    const bracket: Enclosure = { kind: 'bracket', open, attribute: pathToken.text };
    const inner = this.parseOr(bracket);
    this.expectClose(bracket);
    this.leave();
    const dotted = this.peek();
    if (dotted.kind === 'word' && dotted.text.startsWith('.')) {
      // Entra's `emails[type eq "work"].value eq "x"` (not in the RFC 7644 filter grammar, but sent
      // as a matching filter): the comparison is folded into the bracket so that both conditions
      // must hold for the same element, which is what Entra means.
      this.next();
      const subAttr = this.subAttrName(dotted);
      const label = `${shorten(pathToken.text)}[...].${subAttr}`;
      const comparison = this.parseAttrExp({ name: subAttr }, label);
      return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: comparison } };
    }
    return { kind: 'valuePath', path, filter: inner };
  }

  private parseAttrExp(path: AttrPath, label: string): Filter {
    const token = this.peek();
    this.countTerm(token);
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'pr') {
        this.next();
        const extra = this.peek();
        if (extra.kind === 'string' || (extra.kind === 'word' && isValueWord(extra.text))) {
          this.fail(extra.start, `"pr" (present) takes no value, found ${this.describe(extra)}`);
        }
        return { kind: 'present', path };
      }
      if (COMPARE_OPS.has(lower)) {
        this.next();
        return { kind: 'compare', path, op: lower as CompareOp, value: this.parseValue(token) };
      }
    }
    this.fail(
      token.start,
      `expected a comparison operator (${OPERATOR_LIST}) or "pr" after attribute "${shorten(label)}", found ${this.describe(token)}`,
    );
  }

  private parseValue(operator: Token): CompValue {
    const token = this.next();
    const expected = `expected a value after "${operator.text}" (a string in double quotes, a number, true, false or null)`;
    if (token.kind === 'string') return token.value!;
    if (token.kind !== 'word') this.fail(token.start, `${expected}, found ${this.describe(token)}`);
    const lower = token.text.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (JSON_NUMBER.test(token.text)) {
      const number = Number(token.text);
      if (!Number.isFinite(number)) this.fail(token.start, `the number ${shorten(token.text)} is too large`);
      return number;
    }
    const unquoted = token.text.replace(/^'(.*)'$/, '$1');
    this.fail(
      token.start,
      `${expected}, found ${this.describe(token)}; string values must be in double quotes, as in ${shorten(JSON.stringify(unquoted))}`,
    );
  }

  // ---- paths ------------------------------------------------------------------------------

  /** Validates a word as `[URN ":"] ATTRNAME ["." ATTRNAME]` and splits it. */
  attrPath(token: Token): AttrPath {
    const text = token.text;
    const what = `an attribute name`;
    if (JSON_NUMBER.test(text) || text.startsWith('.') || text.startsWith('-')) {
      this.fail(token.start, `expected ${what}${this.after()}, found ${this.describe(token)}`);
    }
    const schema = text.length >= 4 && (text.charCodeAt(0) | 0x20) === 0x75 /* u */ ? SCHEMA_BY_LOWER_ID.get(text.toLowerCase()) : undefined;
    if (schema) {
      this.fail(
        token.start,
        `"${shorten(text)}" is a schema URI, not an attribute; name one of its attributes, as in "${schema.id}:${schema.attributes[0]?.name ?? 'attribute'}"`,
      );
    }
    const path = parseAttrPath(text);
    let nameOffset = token.start;
    if (path.uri !== undefined) {
      if (!URN.test(path.uri) || path.uri.toLowerCase() === 'urn') {
        this.fail(token.start, `"${shorten(text)}" is not a valid attribute path: a schema URI must look like urn:<namespace>:<name> and be followed by ":" and an attribute name`);
      }
      nameOffset += path.uri.length + 1;
    }
    this.checkName(path.name, nameOffset, text);
    if (path.subAttr !== undefined) this.checkName(path.subAttr, nameOffset + path.name.length + 1, text);
    return path;
  }

  private checkName(name: string, offset: number, pathText: string): void {
    if (ATTR_NAME.test(name)) return;
    if (name === '') {
      this.fail(offset, `expected an attribute name in "${shorten(pathText)}", found nothing`);
    }
    const dot = name.indexOf('.');
    if (dot !== -1) {
      this.fail(
        offset + dot,
        `"${shorten(pathText)}" has more than one sub-attribute; an attribute path is attribute or attribute.subAttribute`,
      );
    }
    const hint = name.includes(':') ? '; a schema-qualified name starts with "urn:"' : '';
    this.fail(
      offset,
      `"${shorten(name)}" is not a valid attribute name: names start with a letter and contain only letters, digits, "_" and "-"${hint}`,
    );
  }

  private checkValuePathAttribute(path: AttrPath, pathToken: Token): void {
    if (path.subAttr !== undefined) {
      this.fail(
        pathToken.start,
        `"[" must follow a multi-valued attribute such as emails, not the sub-attribute path "${shorten(pathToken.text)}"`,
      );
    }
  }

  /** `.value` after `]`: the token text includes the dot. */
  subAttrName(token: Token): string {
    const name = token.text.slice(1);
    this.checkName(name, token.start + 1, token.text);
    return name;
  }

  // ---- PATCH paths ------------------------------------------------------------------------

  parsePatchPathText(): PatchPath {
    const first = this.peek();
    if (first.kind === 'eof') this.fail(0, 'the path is empty; expected an attribute such as "members" or "emails[type eq \\"work\\"].value"');
    if (first.kind !== 'word') this.fail(first.start, `expected an attribute name, found ${this.describe(first)}`);
    const attribute = this.attrPath(first);
    this.next();
    const token = this.next();
    if (token.kind === 'eof') return { attribute };
    if (token.kind !== 'lbracket') {
      this.fail(token.start, `expected "[" or end of path after "${shorten(first.text)}", found ${this.describe(token)}`);
    }
    this.checkValuePathAttribute(attribute, first);
    this.enter(token);
    const bracket: Enclosure = { kind: 'bracket', open: token, attribute: first.text };
    const valueFilter = this.parseOr(bracket);
    this.expectClose(bracket);
    this.leave();
    const rest = this.next();
    if (rest.kind === 'eof') return { attribute, valueFilter };
    if (rest.kind !== 'word' || !rest.text.startsWith('.')) {
      this.fail(rest.start, `expected ".subAttribute" or end of path after "]", found ${this.describe(rest)}`);
    }
    const subAttr = this.subAttrName(rest);
    const end = this.next();
    if (end.kind !== 'eof') this.fail(end.start, `expected end of path after "${shorten(rest.text)}", found ${this.describe(end)}`);
    return { attribute, valueFilter, subAttr };
  }
}

function isValueWord(text: string): boolean {
  const lower = text.toLowerCase();
  return lower === 'true' || lower === 'false' || lower === 'null' || JSON_NUMBER.test(text);
}

/**
 * Parses a filter as received in `?filter=` (already URL-decoded) or a `.search` body.
 * Throws a ScimError 400 invalidFilter with a positioned, human-readable detail.
 */
export function parseFilter(text: string): Filter {
  return new Parser(text, 'filter').parseFilterText();
}

/**
 * Parses a PATCH operation path (RFC 7644 §3.5.2: `attrPath / valuePath [subAttr]`).
 * Throws a ScimError 400 invalidPath; problems inside the `[...]` are reported the same way.
 */
export function parsePatchPath(text: string): PatchPath {
  return new Parser(text, 'path').parsePatchPathText();
}
