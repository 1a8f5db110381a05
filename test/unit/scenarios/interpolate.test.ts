/** `${…}` in scenario strings: variables, captures and generators that make every run fresh. */
import { describe, expect, test } from 'vitest';
import { FAMILY, GIVEN } from '../../../src-main/idp/people.js';
import { createRandom } from '../../../src-main/idp/random.js';
import { Interpolator, TemplateSyntaxError, UnknownVariable, parseTemplate, referencedVariables } from '../../../src-main/scenarios/interpolate.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const make = (variables?: Record<string, string>, seed = 42) => new Interpolator({ random: createRandom(seed), runTag: 'k3x9qa', now: () => NOW, ...(variables ? { variables } : {}) });

describe('templates', () => {
  test('split into text and references, with `$${` as a literal', () => {
    expect(parseTemplate('/Users/${userId}?x=$${y}&cost=$5')).toEqual([
      { kind: 'text', text: '/Users/' },
      { kind: 'variable', name: 'userId', offset: 7 },
      { kind: 'text', text: '?x=${y}&cost=$5' },
    ]);
    expect(referencedVariables('${a}${unique.email} ${b_2}')).toEqual(['a', 'unique.email', 'b_2']);
  });

  test('an unclosed or malformed reference is a syntax error with its offset', () => {
    expect(() => parseTemplate('abc ${oops')).toThrow(new TemplateSyntaxError('abc ${oops', 4, '`${` is not closed by `}` (write `$${` for a literal `${`)'));
    const error = (() => {
      try {
        parseTemplate('x${user id}');
      } catch (caught) {
        return caught as TemplateSyntaxError;
      }
      return undefined;
    })();
    expect(error?.offset).toBe(1);
    expect(error?.message).toBe('`${user id}` is not a variable name (letters, digits and `_`, in parts separated by `.`)');
  });
});

describe('resolution', () => {
  test('variables resolve once, in order, and may use generators and earlier variables', () => {
    const values = make({ email: '${unique.email}', userName: '${email}', greeting: 'Hi ${name.given}' });
    expect(values.string('${email}')).toBe('mail.k3x9qa.1@example.com');
    expect(values.string('${email} ${userName}')).toBe('mail.k3x9qa.1@example.com mail.k3x9qa.1@example.com');
    expect(values.string('${greeting}')).toMatch(new RegExp(`^Hi (${GIVEN.join('|')})$`));
  });

  test('generators give a fresh value at every use', () => {
    const values = make();
    expect(values.string('${unique.userName}|${unique.userName}|${unique.email}')).toBe('user.k3x9qa.1@example.com|user.k3x9qa.2@example.com|mail.k3x9qa.3@example.com');
    const first = values.string('${uuid}');
    const second = values.string('${uuid}');
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
    expect(FAMILY).toContain(values.string('${name.family}'));
    expect(values.string('${run.tag}/${now}')).toBe('k3x9qa/2026-03-01T12:00:00.000Z');
  });

  test('the same seed gives the same values, so runs can be diffed', () => {
    const template = '${uuid} ${name.given} ${name.family} ${unique.email}';
    expect(make(undefined, 7).string(template)).toBe(make(undefined, 7).string(template));
    expect(make(undefined, 7).string(template)).not.toBe(make(undefined, 8).string(template));
  });

  test('captures are added as steps finish; non-string values keep their type in a body', () => {
    const values = make();
    values.set('userId', 'abc-123');
    values.set('count', 3);
    values.set('active', false);
    expect(values.string('/Users/${userId}')).toBe('/Users/abc-123');
    expect(values.string('total ${count}, active ${active}')).toBe('total 3, active false');
    expect(values.value({ id: '${userId}', active: '${active}', n: '${count}', note: 'n=${count}', list: ['${userId}', 1, null], 'key ${userId}': true })).toEqual({
      id: 'abc-123',
      active: false,
      n: 3,
      note: 'n=3',
      list: ['abc-123', 1, null],
      'key ${userId}': true,
    });
  });

  test('an unknown variable is an error naming it', () => {
    const values = make();
    expect(() => values.string('/Users/${userID}')).toThrow(new UnknownVariable('userID'));
    expect(() => values.string('/Users/${userID}')).toThrow('unknown variable `${userID}`');
    expect(() => make({ a: '${b}' })).toThrow('unknown variable `${b}`');
  });
});
