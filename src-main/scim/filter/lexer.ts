/**
 * Tokens of the SCIM filter language (RFC 7644 §3.4.2.2) and of PATCH paths (§3.5.2).
 *
 * The lexer is deliberately dumb: everything that is not punctuation or a JSON string is a
 * "word" (attribute paths, operators, keywords, numbers, and also garbage such as `equals` or
 * `'bjensen'`). Deciding what a word means needs context the parser has, and the parser can
 * then say "string values must be in double quotes" instead of "unexpected character".
 *
 * Tokens are produced on demand so that the first error reported is the leftmost one.
 */

export type TokenKind = 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'string' | 'word' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (for a string, including its quotes). */
  readonly text: string;
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset just past the last character. */
  readonly end: number;
  /** The decoded value of a string token. */
  readonly value?: string;
}

/** Raised by the lexer; the parser turns it into an invalidFilter / invalidPath ScimError. */
export class LexError extends Error {
  constructor(
    /** 0-based offset the problem was found at. */
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'LexError';
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isDelimiter(code: number): boolean {
  return (
    code === SPACE ||
    code === TAB ||
    code === QUOTE ||
    code === 0x28 /* ( */ ||
    code === 0x29 /* ) */ ||
    code === 0x5b /* [ */ ||
    code === 0x5d /* ] */
  );
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

export function describeChar(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  peek(): Token {
    if (!this.peeked) this.peeked = this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private scan(): Token {
    const text = this.text;
    // RFC 7644 separates tokens with SP; tabs are tolerated because they are just as unambiguous.
    while (this.pos < text.length) {
      const code = text.charCodeAt(this.pos);
      if (code !== SPACE && code !== TAB) break;
      this.pos++;
    }
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', text: '', start, end: start };
    const code = text.charCodeAt(start);
    switch (code) {
      case 0x28:
        this.pos++;
        return { kind: 'lparen', text: '(', start, end: this.pos };
      case 0x29:
        this.pos++;
        return { kind: 'rparen', text: ')', start, end: this.pos };
      case 0x5b:
        this.pos++;
        return { kind: 'lbracket', text: '[', start, end: this.pos };
      case 0x5d:
        this.pos++;
        return { kind: 'rbracket', text: ']', start, end: this.pos };
      case QUOTE:
        return this.scanString(start);
    }
    if (isControl(code)) {
      throw new LexError(
        start,
        `unexpected control character ${describeChar(code)}; only spaces and tabs may separate tokens`,
      );
    }
    let end = start + 1;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (isDelimiter(c)) break;
      if (isControl(c)) {
        throw new LexError(
          end,
          `unexpected control character ${describeChar(c)}; only spaces and tabs may separate tokens`,
        );
      }
      end++;
    }
    this.pos = end;
    return { kind: 'word', text: text.slice(start, end), start, end };
  }

  /** A JSON string (RFC 8259 §7), which is what RFC 7644 requires for string compValues. */
  private scanString(start: number): Token {
    const text = this.text;
    let value = '';
    let chunkStart = start + 1;
    let i = start + 1;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        value += text.slice(chunkStart, i);
        this.pos = i + 1;
        return { kind: 'string', text: text.slice(start, this.pos), start, end: this.pos, value };
      }
      if (code === BACKSLASH) {
        value += text.slice(chunkStart, i);
        const escape = text[i + 1];
        if (escape === undefined) break;
        const simple = SIMPLE_ESCAPES.get(escape);
        if (simple !== undefined) {
          value += simple;
          i += 2;
        } else if (escape === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            throw new LexError(i, `invalid escape "\\u${hex}" in string: \\u must be followed by 4 hex digits`);
          }
          value += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          throw new LexError(
            i,
            `invalid escape "\\${escape}" in string; JSON strings allow \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX`,
          );
        }
        chunkStart = i;
        continue;
      }
      if (code < 0x20) {
        throw new LexError(i, `control character ${describeChar(code)} in string must be escaped (e.g. \\n, \\t or \\u00XX)`);
      }
      i++;
    }
    throw new LexError(start, 'unterminated string: no closing double quote');
  }
}
