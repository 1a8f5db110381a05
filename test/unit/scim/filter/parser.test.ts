import { describe, expect, it } from 'vitest';
import { MAX_FILTER_DEPTH, MAX_FILTER_TERMS, parseFilter, parsePatchPath } from '../../../../src-main/scim/filter/parser.js';
import { CORE_USER, ENTERPRISE, and, attr, cmp, not, or, path, pr, scimErrorOf, vp } from './helpers.js';

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  const examples: [string, ReturnType<typeof cmp>][] = [
    ['userName eq "bjensen"', cmp(attr('userName'), 'eq', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp(attr('name', 'familyName'), 'co', "O'Malley")],
    ['userName sw "J"', cmp(attr('userName'), 'sw', 'J')],
    [`${CORE_USER}:userName sw "J"`, cmp(path(CORE_USER, 'userName'), 'sw', 'J')],
    ['title pr', pr(attr('title'))],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp(attr('meta', 'lastModified'), 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp(attr('meta', 'lastModified'), 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp(attr('meta', 'lastModified'), 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp(attr('meta', 'lastModified'), 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr(attr('title')), cmp(attr('userType'), 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr(attr('title')), cmp(attr('userType'), 'eq', 'Intern'))],
    [`schemas eq "${ENTERPRISE}"`, cmp(attr('schemas'), 'eq', ENTERPRISE)],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp(attr('userType'), 'eq', 'Employee'),
        or(cmp(attr('emails'), 'co', 'example.com'), cmp(attr('emails', 'value'), 'co', 'example.org')),
      ),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp(attr('userType'), 'ne', 'Employee'),
        not(or(cmp(attr('emails'), 'co', 'example.com'), cmp(attr('emails', 'value'), 'co', 'example.org'))),
      ),
    ],
    [
      'userType eq "Employee" and (emails.type eq "work")',
      and(cmp(attr('userType'), 'eq', 'Employee'), cmp(attr('emails', 'type'), 'eq', 'work')),
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(
        cmp(attr('userType'), 'eq', 'Employee'),
        vp(attr('emails'), and(cmp(attr('type'), 'eq', 'work'), cmp(attr('value'), 'co', '@example.com'))),
      ),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        vp(attr('emails'), and(cmp(attr('type'), 'eq', 'work'), cmp(attr('value'), 'co', '@example.com'))),
        vp(attr('ims'), and(cmp(attr('type'), 'eq', 'xmpp'), cmp(attr('value'), 'co', '@foo.com'))),
      ),
    ],
  ];

  it.each(examples)('%s', (text, expected) => {
    expect(parseFilter(text)).toStrictEqual(expected);
  });
});

describe('parseFilter: operators, precedence and grouping', () => {
  it('parses every comparison operator', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const) {
      expect(parseFilter(`title ${op} "x"`)).toStrictEqual(cmp(attr('title'), op, 'x'));
    }
  });

  it('binds "and" tighter than "or" on either side', () => {
    const a = cmp(attr('a'), 'eq', 1);
    const b = cmp(attr('b'), 'eq', 2);
    const c = cmp(attr('c'), 'eq', 3);
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toStrictEqual(or(a, and(b, c)));
    expect(parseFilter('a eq 1 and b eq 2 or c eq 3')).toStrictEqual(or(and(a, b), c));
  });

  it('is left-associative for chains of the same operator', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => pr(attr(name)));
    expect(parseFilter('a pr and b pr and c pr and d pr')).toStrictEqual(and(and(and(a!, b!), c!), d!));
    expect(parseFilter('a pr or b pr or c pr')).toStrictEqual(or(or(a!, b!), c!));
  });

  it('lets parentheses override precedence and leaves no trace of them in the AST', () => {
    const a = pr(attr('a'));
    const b = pr(attr('b'));
    const c = pr(attr('c'));
    expect(parseFilter('(a pr or b pr) and c pr')).toStrictEqual(and(or(a, b), c));
    expect(parseFilter('a pr and (b pr and c pr)')).toStrictEqual(and(a, and(b, c)));
    expect(parseFilter('((((a pr))))')).toStrictEqual(a);
  });

  it('binds "not" tightest: it applies only to its parenthesised group', () => {
    const a = pr(attr('a'));
    const b = pr(attr('b'));
    expect(parseFilter('not (a pr) and b pr')).toStrictEqual(and(not(a), b));
    expect(parseFilter('not (a pr) or not (b pr)')).toStrictEqual(or(not(a), not(b)));
    expect(parseFilter('not(not(a pr))')).toStrictEqual(not(not(a)));
  });

  it('accepts keywords and operators in any case (PingOne sends `userName Eq "x"`)', () => {
    expect(parseFilter('userName Eq "x"')).toStrictEqual(cmp(attr('userName'), 'eq', 'x'));
    expect(parseFilter('email Co "x"')).toStrictEqual(cmp(attr('email'), 'co', 'x'));
    expect(parseFilter('title PR AND userType EQ "a" OR NOT (active Eq TRUE)')).toStrictEqual(
      or(and(pr(attr('title')), cmp(attr('userType'), 'eq', 'a')), not(cmp(attr('active'), 'eq', true))),
    );
    expect(parseFilter('nickName eq NULL')).toStrictEqual(cmp(attr('nickName'), 'eq', null));
    expect(parseFilter('active ne False')).toStrictEqual(cmp(attr('active'), 'ne', false));
  });

  it('keeps the client casing of attribute names (resolution is case-insensitive later)', () => {
    expect(parseFilter('USERNAME eq "x"')).toStrictEqual(cmp(attr('USERNAME'), 'eq', 'x'));
    expect(parseFilter('Name.FamilyName pr')).toStrictEqual(pr(attr('Name', 'FamilyName')));
  });

  it('tolerates any run of spaces and tabs, and leading/trailing whitespace', () => {
    const expected = and(cmp(attr('userName'), 'eq', 'x'), pr(attr('title')));
    expect(parseFilter('  userName \t eq\t\t"x"   and    title  pr \t')).toStrictEqual(expected);
    expect(parseFilter('(userName eq "x")and(title pr)')).toStrictEqual(expected);
    expect(parseFilter('not(title pr)')).toStrictEqual(not(pr(attr('title'))));
  });
});

describe('parseFilter: attribute paths', () => {
  it('splits URN-qualified names, including the enterprise extension and a sub-attribute after the URN', () => {
    expect(parseFilter(`${ENTERPRISE}:department eq "Sales"`)).toStrictEqual(
      cmp(path(ENTERPRISE, 'department'), 'eq', 'Sales'),
    );
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toStrictEqual(
      cmp(path(ENTERPRISE, 'manager', 'value'), 'eq', '26118915-6090-4610-87e4-49d8ca9f808d'),
    );
    expect(parseFilter(`${CORE_USER}:name.givenName pr`)).toStrictEqual(pr(path(CORE_USER, 'name', 'givenName')));
  });

  it('matches known schema URIs case-insensitively and keeps an unknown URN up to its last colon', () => {
    const upper = ENTERPRISE.toUpperCase();
    expect(parseFilter(`${upper}:department pr`)).toStrictEqual(pr(path(upper, 'department')));
    expect(parseFilter('urn:example:custom:1.0:badge.number eq 7')).toStrictEqual(
      cmp(path('urn:example:custom:1.0', 'badge', 'number'), 'eq', 7),
    );
  });

  it('accepts $ref as an attribute name', () => {
    expect(parseFilter('members.$ref pr')).toStrictEqual(pr(attr('members', '$ref')));
  });
});

describe('parseFilter: values', () => {
  it('decodes JSON string escapes', () => {
    const value = (text: string) => (parseFilter(`displayName eq ${text}`) as { value: unknown }).value;
    expect(value(String.raw`"a\"b"`)).toBe('a"b');
    expect(value(String.raw`"back\\slash"`)).toBe('back\\slash');
    expect(value(String.raw`"a\/b"`)).toBe('a/b');
    expect(value(String.raw`"\b\f\n\r\t"`)).toBe('\b\f\n\r\t');
    expect(value(String.raw`"caf\u00e9 \u00C9"`)).toBe('café É');
    expect(value(String.raw`"\ud83d\ude00"`)).toBe('😀');
    expect(value('"日本語 and spaces and (parens) [brackets]"')).toBe('日本語 and spaces and (parens) [brackets]');
    expect(value('""')).toBe('');
  });

  it('parses JSON numbers: negative, decimal and exponent', () => {
    const value = (text: string) => (parseFilter(`x eq ${text}`) as { value: unknown }).value;
    expect(value('0')).toBe(0);
    expect(value('42')).toBe(42);
    expect(value('-7')).toBe(-7);
    expect(value('3.25')).toBe(3.25);
    expect(value('1e3')).toBe(1000);
    expect(value('-1.5E-2')).toBe(-0.015);
    expect(value('2e+2')).toBe(200);
  });

  it('parses true, false and null in any case', () => {
    expect(parseFilter('active eq true')).toStrictEqual(cmp(attr('active'), 'eq', true));
    expect(parseFilter('active eq FALSE')).toStrictEqual(cmp(attr('active'), 'eq', false));
    expect(parseFilter('title eq Null')).toStrictEqual(cmp(attr('title'), 'eq', null));
  });
});

describe('parseFilter: value paths', () => {
  it('allows and, or, not and parentheses inside the brackets', () => {
    expect(parseFilter('emails[not (type eq "work") and (value ew ".org" or primary eq true)]')).toStrictEqual(
      vp(
        attr('emails'),
        and(
          not(cmp(attr('type'), 'eq', 'work')),
          or(cmp(attr('value'), 'ew', '.org'), cmp(attr('primary'), 'eq', true)),
        ),
      ),
    );
  });

  it('accepts a URN-qualified attribute before the bracket', () => {
    expect(parseFilter(`${CORE_USER}:emails[type eq "work"]`)).toStrictEqual(
      vp(path(CORE_USER, 'emails'), cmp(attr('type'), 'eq', 'work')),
    );
  });

  it("folds Entra's `emails[type eq \"work\"].value eq \"x\"` into one value path so both bind to the same email", () => {
    expect(parseFilter('emails[type eq "work"].value eq "user@contoso.com"')).toStrictEqual(
      vp(attr('emails'), and(cmp(attr('type'), 'eq', 'work'), cmp(attr('value'), 'eq', 'user@contoso.com'))),
    );
    expect(parseFilter('phoneNumbers[type eq "mobile"].value pr')).toStrictEqual(
      vp(attr('phoneNumbers'), and(cmp(attr('type'), 'eq', 'mobile'), pr(attr('value')))),
    );
    // The folded form and the spelled-out form are the same tree.
    expect(parseFilter('emails[type eq "work" or type eq "home"].value co "@x"')).toStrictEqual(
      parseFilter('emails[(type eq "work" or type eq "home") and value co "@x"]'),
    );
  });

  it('combines folded value paths with other expressions', () => {
    expect(parseFilter('userName eq "a" or emails[type eq "work"].value eq "b" and active eq true')).toStrictEqual(
      or(
        cmp(attr('userName'), 'eq', 'a'),
        and(
          vp(attr('emails'), and(cmp(attr('type'), 'eq', 'work'), cmp(attr('value'), 'eq', 'b'))),
          cmp(attr('active'), 'eq', true),
        ),
      ),
    );
  });
});

describe('parseFilter: errors', () => {
  const detail = (text: string) => scimErrorOf(() => parseFilter(text), 'invalidFilter');

  it('names the position, what was expected and what was found for a wrong operator', () => {
    expect(detail('userName equals "bjensen"')).toBe(
      'Invalid filter at position 10: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr" after attribute "userName", found "equals"',
    );
  });

  it('explains that string values must be in double quotes (Entra\'s old `externalId eq jyoung`)', () => {
    const message = detail('externalId eq jyoung');
    expect(message).toMatch(/^Invalid filter at position 15: expected a value after "eq"/);
    expect(message).toContain('found "jyoung"');
    expect(message).toContain('string values must be in double quotes, as in "jyoung"');
    expect(detail('id eq 54D382A4-2050-4C03-94D1-E769F1D15682')).toContain('as in "54D382A4-2050-4C03-94D1-E769F1D15682"');
    expect(detail("userName eq 'bjensen'")).toContain('as in "bjensen"');
  });

  it('rejects an empty or blank filter', () => {
    expect(detail('')).toMatch(/^Invalid filter at position 1: the filter is empty/);
    expect(detail(' \t ')).toMatch(/^Invalid filter at position 1: the filter is empty/);
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(detail('userName eq "bjensen')).toBe(
      'Invalid filter at position 13: unterminated string: no closing double quote',
    );
    expect(detail('userName eq "ends with backslash\\')).toMatch(/^Invalid filter at position 13: unterminated string/);
  });

  it('rejects bad escapes and raw control characters in strings', () => {
    expect(detail('userName eq "a\\qb"')).toMatch(/^Invalid filter at position 15: invalid escape "\\q"/);
    expect(detail('userName eq "\\u12G4"')).toMatch(/^Invalid filter at position 14: invalid escape "\\u12G4"/);
    expect(detail('userName eq "a\nb"')).toMatch(/^Invalid filter at position 15: control character U\+000A in string must be escaped/);
  });

  it('reports unbalanced parentheses with the position of the opening one', () => {
    expect(detail('(userName eq "x"')).toBe(
      'Invalid filter at position 17: expected "and", "or" or ")" after "x" to close the "(" opened at position 1, found end of filter',
    );
    expect(detail('userName eq "x")')).toBe('Invalid filter at position 16: unexpected ")" without a matching "("');
    expect(detail('not (title pr')).toMatch(/^Invalid filter at position 14: .*to close the "\(" opened at position 5/);
    expect(detail('()')).toMatch(/^Invalid filter at position 2: expected an attribute name, "not \(" or "\(" after "\(", found "\)"/);
  });

  it('reports unbalanced and nested brackets', () => {
    expect(detail('emails[type eq "work"')).toBe(
      'Invalid filter at position 22: expected "and", "or" or "]" after "work" to close the "[" opened at position 7, found end of filter',
    );
    expect(detail('userName eq "x"]')).toBe('Invalid filter at position 16: unexpected "]" without a matching "["');
    expect(detail('emails[type[value eq "x"] eq "y"]')).toMatch(
      /^Invalid filter at position 12: value filters cannot be nested/,
    );
    expect(detail('emails[(type eq "a" or addresses[type eq "b"])]')).toMatch(/value filters cannot be nested/);
    expect(detail('name.givenName[value eq "x"]')).toMatch(/^Invalid filter at position 1: "\[" must follow a multi-valued attribute/);
  });

  it('rejects trailing garbage after a complete expression', () => {
    expect(detail('userName eq "x" y')).toBe(
      'Invalid filter at position 17: expected "and", "or" or end of filter after "x", found "y"',
    );
    expect(detail('userName eq "x" "y"')).toMatch(/^Invalid filter at position 17: .*found the string "y"/);
    expect(detail('emails[type eq "work"]value eq "x"')).toMatch(/^Invalid filter at position 23: expected "and", "or"/);
  });

  it('rejects "pr" with a value and an operator without a value', () => {
    expect(detail('title pr "x"')).toBe('Invalid filter at position 10: "pr" (present) takes no value, found the string "x"');
    expect(detail('title pr true')).toMatch(/^Invalid filter at position 10: "pr" \(present\) takes no value/);
    expect(detail('title eq')).toMatch(/^Invalid filter at position 9: expected a value after "eq" .*found end of filter/);
    expect(detail('title eq )')).toMatch(/^Invalid filter at position 10: expected a value after "eq"/);
  });

  it('requires parentheses after "not" and an expression after "and"/"or"', () => {
    expect(detail('not title pr')).toBe(
      'Invalid filter at position 5: expected "(" after "not", found "title"; write not (expression)',
    );
    expect(detail('title pr and')).toMatch(/^Invalid filter at position 13: expected an attribute name, "not \(" or "\(" after "and", found end of filter/);
    expect(detail('title pr or or userType pr')).toMatch(/^Invalid filter at position 13: .*found the keyword "or"/);
    expect(detail('and title pr')).toMatch(/^Invalid filter at position 1: .*found the keyword "and"/);
  });

  it('says the attribute comes first when a filter starts with an operator or a value', () => {
    expect(detail('eq "bjensen"')).toMatch(/^Invalid filter at position 1: .*found the operator "eq"; the attribute comes first/);
    expect(detail('"bjensen" eq userName')).toMatch(/^Invalid filter at position 1: .*found the string "bjensen"; the attribute comes first/);
  });

  it('validates attribute path syntax', () => {
    expect(detail('name.familyName.x eq "a"')).toMatch(/^Invalid filter at position 16: "name.familyName.x" has more than one sub-attribute/);
    expect(detail('foo:bar eq "x"')).toMatch(/^Invalid filter at position 1: "foo:bar" is not a valid attribute name.*starts with "urn:"/);
    expect(detail('urn:foo eq "x"')).toMatch(/^Invalid filter at position 1: "urn:foo" is not a valid attribute path/);
    expect(detail(`${ENTERPRISE} pr`)).toMatch(/is a schema URI, not an attribute; name one of its attributes/);
    expect(detail(`${ENTERPRISE}: pr`)).toMatch(
      new RegExp(`^Invalid filter at position ${ENTERPRISE.length + 2}: expected an attribute name`),
    );
    expect(detail('name. pr')).toMatch(/^Invalid filter at position 6: expected an attribute name in "name."/);
    expect(detail('user*Name eq "x"')).toMatch(/"user\*Name" is not a valid attribute name/);
    expect(detail('42 eq "x"')).toMatch(/^Invalid filter at position 1: expected an attribute name, found "42"/);
    expect(detail('userName==“x”')).toMatch(/^Invalid filter at position 1: "userName==“x”" is not a valid attribute name/);
  });

  it('rejects the Entra sub-attribute form without a comparison and with bad names', () => {
    expect(detail('emails[type eq "work"].value')).toBe(
      'Invalid filter at position 29: expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le) or "pr" after attribute "emails[...].value", found end of filter',
    );
    expect(detail('emails[type eq "work"]. eq "x"')).toMatch(/^Invalid filter at position 24: expected an attribute name/);
    expect(detail('emails[type eq "work"].value.x eq "y"')).toMatch(/more than one sub-attribute/);
  });

  it('rejects numbers JSON does not allow or cannot represent', () => {
    expect(detail('x eq 1e999')).toBe('Invalid filter at position 6: the number 1e999 is too large');
    expect(detail('x eq 01')).toMatch(/found "01"; string values must be in double quotes/);
    expect(detail('x eq .5')).toMatch(/found ".5"/);
    expect(detail('x eq +1')).toMatch(/found "\+1"/);
  });

  it('rejects control characters between tokens', () => {
    expect(detail('userName eq "x"\nand title pr')).toMatch(/^Invalid filter at position 16: unexpected control character U\+000A/);
  });

  it('reports the leftmost problem first', () => {
    // The bad operator comes before the unterminated string.
    expect(detail('userName equals "unterminated')).toMatch(/^Invalid filter at position 10:/);
  });

  it('shortens very long tokens in messages', () => {
    const message = detail(`userName ${'x'.repeat(500)} "a"`);
    expect(message.length).toBeLessThan(250);
    expect(message).toContain('…');
  });

  it(`guards nesting deeper than ${MAX_FILTER_DEPTH} levels instead of overflowing the stack`, () => {
    const ok = '('.repeat(MAX_FILTER_DEPTH) + 'title pr' + ')'.repeat(MAX_FILTER_DEPTH);
    expect(parseFilter(ok)).toStrictEqual(pr(attr('title')));
    const tooDeep = '('.repeat(MAX_FILTER_DEPTH + 1) + 'title pr' + ')'.repeat(MAX_FILTER_DEPTH + 1);
    expect(detail(tooDeep)).toBe(
      `Invalid filter at position ${MAX_FILTER_DEPTH + 1}: nesting is deeper than ${MAX_FILTER_DEPTH} levels of parentheses and brackets`,
    );
    const hostile = 'not ('.repeat(100_000) + 'title pr' + ')'.repeat(100_000);
    expect(detail(hostile)).toMatch(/nesting is deeper than/);
  });

  it(`accepts a flat chain of ${MAX_FILTER_TERMS} comparisons and refuses a longer one by name`, () => {
    const chain = (length: number, joiner: string) =>
      Array.from({ length }, (_, i) => `title eq "${i}"`).join(joiner);
    expect(parseFilter(chain(MAX_FILTER_TERMS, ' or ')).kind).toBe('or');
    expect(parseFilter(chain(MAX_FILTER_TERMS, ' and ')).kind).toBe('and');
    const tooLong = chain(MAX_FILTER_TERMS + 1, ' or ');
    const offset = chain(MAX_FILTER_TERMS, ' or ').length + ' or title '.length;
    expect(detail(tooLong)).toBe(
      `Invalid filter at position ${offset + 1}: the filter has more than ${MAX_FILTER_TERMS} comparisons, the most this server accepts in one filter; split the query into several requests`,
    );
    // Hostile lengths fail the same way, long before anything walks the tree.
    expect(detail(chain(50_000, ' and '))).toMatch(/more than 1000 comparisons/);
  });

  it('counts comparisons inside [...] and in PATCH paths too', () => {
    const inner = Array.from({ length: MAX_FILTER_TERMS + 1 }, (_, i) => `value eq "${i}"`).join(' or ');
    expect(detail(`emails[${inner}]`)).toMatch(/more than 1000 comparisons/);
    expect(scimErrorOf(() => parsePatchPath(`members[${inner}]`), 'invalidPath')).toMatch(
      /the path has more than 1000 comparisons/,
    );
  });
});
