import { describe, expect, it } from 'vitest';
import { formatFilter, formatValue } from '../../../../src-main/scim/filter/format.js';
import { parseFilter } from '../../../../src-main/scim/filter/parser.js';
import { ENTERPRISE, and, attr, cmp, not, or, path, pr, vp } from './helpers.js';

const a = pr(attr('a'));
const b = pr(attr('b'));
const c = pr(attr('c'));

describe('formatFilter', () => {
  it('prints canonical RFC syntax: lowercase operators and keywords', () => {
    expect(formatFilter(parseFilter('userName EQ "bjensen" AND NOT (title PR) OR active Eq TRUE'))).toBe(
      'userName eq "bjensen" and not (title pr) or active eq true',
    );
    expect(formatFilter(parseFilter('title eq NULL'))).toBe('title eq null');
  });

  it('uses only the parentheses the tree needs', () => {
    expect(formatFilter(and(a, b))).toBe('a pr and b pr');
    expect(formatFilter(and(and(a, b), c))).toBe('a pr and b pr and c pr');
    expect(formatFilter(and(a, and(b, c)))).toBe('a pr and (b pr and c pr)');
    expect(formatFilter(or(a, and(b, c)))).toBe('a pr or b pr and c pr');
    expect(formatFilter(or(and(a, b), c))).toBe('a pr and b pr or c pr');
    expect(formatFilter(and(or(a, b), c))).toBe('(a pr or b pr) and c pr');
    expect(formatFilter(and(a, or(b, c)))).toBe('a pr and (b pr or c pr)');
    expect(formatFilter(or(a, or(b, c)))).toBe('a pr or (b pr or c pr)');
    expect(formatFilter(not(and(a, b)))).toBe('not (a pr and b pr)');
    expect(formatFilter(and(not(a), b))).toBe('not (a pr) and b pr');
  });

  it('prints value paths, folding nothing away', () => {
    expect(formatFilter(parseFilter('emails[type eq "work"].value eq "x@example.com"'))).toBe(
      'emails[type eq "work" and value eq "x@example.com"]',
    );
    expect(formatFilter(vp(attr('emails'), or(cmp(attr('type'), 'eq', 'work'), pr(attr('primary')))))).toBe(
      'emails[type eq "work" or primary pr]',
    );
  });

  it('prints URN-qualified paths and sub-attributes', () => {
    expect(formatFilter(cmp(path(ENTERPRISE, 'manager', 'value'), 'eq', 'm1'))).toBe(`${ENTERPRISE}:manager.value eq "m1"`);
    expect(formatFilter(pr(attr('name', 'familyName')))).toBe('name.familyName pr');
  });

  it('JSON-escapes strings', () => {
    expect(formatValue('say "hi"\\\n\t\u0001')).toBe('"say \\"hi\\"\\\\\\n\\t\\u0001"');
    expect(formatValue('\ud800')).toBe('"\\ud800"');
    expect(parseFilter(formatFilter(cmp(attr('x'), 'eq', 'a"b\\c\u0000\ud83d')))).toStrictEqual(cmp(attr('x'), 'eq', 'a"b\\c\u0000\ud83d'));
  });

  it('prints numbers so that they parse back to the same value, including -0 and exponents', () => {
    expect(formatValue(-0)).toBe('-0');
    expect(formatValue(1e21)).toBe('1e+21');
    expect(formatValue(1.5e-7)).toBe('1.5e-7');
    for (const value of [0, -0, 42, -3.25, 1e21, 1.5e-7, Number.MAX_VALUE, Number.MIN_VALUE, 0.1 + 0.2]) {
      expect(Object.is((parseFilter(`x eq ${formatValue(value)}`) as { value: number }).value, value)).toBe(true);
    }
  });

  it('formats a very long chain without exhausting the stack', () => {
    let filter = a;
    for (let i = 0; i < 50_000; i++) filter = or(filter, b);
    const text = formatFilter(filter);
    expect(text.startsWith('a pr or b pr or b pr')).toBe(true);
    expect(text.split(' or ')).toHaveLength(50_001);
  });
});
