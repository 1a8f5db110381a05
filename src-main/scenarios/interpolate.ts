/**
 * `${name}` in scenario strings: declared variables, values saved by earlier steps, and
 * generators that give every run (and every repetition of a load step) fresh values, so a run
 * against a shared remote target never collides with what an earlier run left behind.
 *
 * Syntax: `${name}` where name is letters, digits and `_` in dot-separated parts
 * (`${userId}`, `${unique.email}`); `$${` is a literal `${`; any other `$` is literal.
 *
 * Generators (each occurrence is evaluated anew; put one in `variables` to reuse a value):
 *   ${uuid}             a version-4 UUID from the run's seeded randomness
 *   ${unique.userName}  user.<run tag>.<n>@example.com, n counting up within the run
 *   ${unique.email}     mail.<run tag>.<n>@example.com
 *   ${name.given}       a realistic given name
 *   ${name.family}      a realistic family name
 *   ${run.tag}          this run's 6-character tag
 *   ${now}              the current time, ISO 8601
 *
 * A string that is exactly one `${name}` whose value is not a string (a saved number, boolean or
 * object) keeps that value's JSON type inside a request body; anywhere else it is written as JSON.
 */
import { EMAIL_DOMAIN, FAMILY, GIVEN } from '../idp/people.js';
import type { Random } from '../idp/profile.js';

export const GENERATOR_NAMES = ['uuid', 'unique.userName', 'unique.email', 'name.given', 'name.family', 'run.tag', 'now'] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

export function isGeneratorName(name: string): name is GeneratorName {
  return (GENERATOR_NAMES as readonly string[]).includes(name);
}

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `offset`: where `${` starts in the string. */
  | { readonly kind: 'variable'; readonly name: string; readonly offset: number };

export class TemplateSyntaxError extends Error {
  constructor(
    readonly template: string,
    readonly offset: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'TemplateSyntaxError';
  }
}

export class UnknownVariable extends Error {
  constructor(readonly variable: string) {
    super(`unknown variable \`\${${variable}}\``);
    this.name = 'UnknownVariable';
  }
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Splits a string into text and `${name}` references; throws TemplateSyntaxError. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let position = 0;
  while (position < template.length) {
    if (template.startsWith('$${', position)) {
      text += '${';
      position += 3;
    } else if (template.startsWith('${', position)) {
      const close = template.indexOf('}', position + 2);
      if (close < 0) throw new TemplateSyntaxError(template, position, '`${` is not closed by `}` (write `$${` for a literal `${`)');
      const name = template.slice(position + 2, close);
      if (!VARIABLE_NAME.test(name)) {
        throw new TemplateSyntaxError(template, position, `\`\${${name}}\` is not a variable name (letters, digits and \`_\`, in parts separated by \`.\`)`);
      }
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push({ kind: 'variable', name, offset: position });
      position = close + 1;
    } else {
      text += template[position];
      position++;
    }
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** The names a string refers to, in order. */
export function referencedVariables(template: string): string[] {
  return parseTemplate(template).flatMap((part) => (part.kind === 'variable' ? [part.name] : []));
}

export interface InterpolationOptions {
  /** The run's seeded randomness (src-main/idp/random.ts). */
  readonly random: Random;
  /** The run's tag (src-main/idp/people.ts `newRunTag`). */
  readonly runTag: string;
  /** The clock for `${now}`; injected so that runs are reproducible. */
  readonly now?: () => Date;
  /** The scenario's `variables`, resolved in order at construction. */
  readonly variables?: Readonly<Record<string, string>>;
}

/** Resolves `${…}` during one run; `save` captures are added with `set` as steps finish. */
export class Interpolator {
  private readonly values = new Map<string, unknown>();
  private uniqueCounter = 0;
  private readonly random: Random;
  private readonly runTag: string;
  private readonly now: () => Date;

  constructor(options: InterpolationOptions) {
    this.random = options.random;
    this.runTag = options.runTag;
    this.now = options.now ?? (() => new Date());
    for (const [name, template] of Object.entries(options.variables ?? {})) this.values.set(name, this.string(template));
  }

  /** Adds or replaces a value (a `save` capture). */
  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name) || isGeneratorName(name);
  }

  /** A variable's value or a generator's next value; throws UnknownVariable. */
  get(name: string): unknown {
    if (this.values.has(name)) return this.values.get(name);
    if (isGeneratorName(name)) return this.generate(name);
    throw new UnknownVariable(name);
  }

  /** A string with every `${…}` replaced; non-string values are written as JSON. */
  string(template: string): string {
    return parseTemplate(template)
      .map((part) => (part.kind === 'text' ? part.text : textOf(this.get(part.name))))
      .join('');
  }

  /** A JSON value with every string interpolated (object keys are left as written). */
  value(value: unknown): unknown {
    if (typeof value === 'string') {
      const parts = parseTemplate(value);
      const only = parts.length === 1 ? parts[0] : undefined;
      if (only?.kind === 'variable') return this.get(only.name);
      return this.string(value);
    }
    if (Array.isArray(value)) return value.map((element) => this.value(element));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, this.value(element)]));
    }
    return value;
  }

  private generate(name: GeneratorName): string {
    switch (name) {
      case 'uuid':
        return this.random.uuid();
      case 'unique.userName':
        return `user.${this.runTag}.${++this.uniqueCounter}@${EMAIL_DOMAIN}`;
      case 'unique.email':
        return `mail.${this.runTag}.${++this.uniqueCounter}@${EMAIL_DOMAIN}`;
      case 'name.given':
        return this.pick(GIVEN);
      case 'name.family':
        return this.pick(FAMILY);
      case 'run.tag':
        return this.runTag;
      case 'now':
        return this.now().toISOString();
    }
  }

  private pick(list: readonly string[]): string {
    // Random offers strings only: six decimal digits are an index with negligible bias.
    return list[Number(this.random.string(6, '0123456789')) % list.length]!;
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}
