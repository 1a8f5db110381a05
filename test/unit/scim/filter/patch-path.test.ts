import { describe, expect, it } from 'vitest';
import { formatPatchPath } from '../../../../src-main/scim/filter/format.js';
import { parsePatchPath } from '../../../../src-main/scim/filter/parser.js';
import { ENTERPRISE, and, attr, cmp, not, path, scimErrorOf } from './helpers.js';

describe('parsePatchPath: RFC 7644 §3.5.2 PATH = attrPath / valuePath [subAttr]', () => {
  it.each([
    ['members', { attribute: attr('members') }],
    ['name.familyName', { attribute: attr('name', 'familyName') }],
    [`${ENTERPRISE}:manager`, { attribute: path(ENTERPRISE, 'manager') }],
    [`${ENTERPRISE}:manager.value`, { attribute: path(ENTERPRISE, 'manager', 'value') }],
    ['members[value eq "2819c223-7f76-453a-919d-413861904646"]', {
      attribute: attr('members'),
      valueFilter: cmp(attr('value'), 'eq', '2819c223-7f76-453a-919d-413861904646'),
    }],
    ['emails[type eq "work"].value', {
      attribute: attr('emails'),
      valueFilter: cmp(attr('type'), 'eq', 'work'),
      subAttr: 'value',
    }],
    ['addresses[type eq "work"].streetAddress', {
      attribute: attr('addresses'),
      valueFilter: cmp(attr('type'), 'eq', 'work'),
      subAttr: 'streetAddress',
    }],
    // Entra sends booleans as strings, even inside paths; the parser keeps the string.
    ['roles[primary eq "True"].value', {
      attribute: attr('roles'),
      valueFilter: cmp(attr('primary'), 'eq', 'True'),
      subAttr: 'value',
    }],
    ['emails[type eq "work" and not (value ew ".org")].display', {
      attribute: attr('emails'),
      valueFilter: and(cmp(attr('type'), 'eq', 'work'), not(cmp(attr('value'), 'ew', '.org'))),
      subAttr: 'display',
    }],
    ['Members[Value EQ "x"]', { attribute: attr('Members'), valueFilter: cmp(attr('Value'), 'eq', 'x') }],
  ])('%s', (text, expected) => {
    expect(parsePatchPath(text)).toStrictEqual(expected);
  });

  it('prints paths back in canonical form', () => {
    for (const text of [
      'members',
      'name.familyName',
      `${ENTERPRISE}:manager.value`,
      'members[value eq "abc"]',
      'emails[type eq "work"].value',
      'emails[(type eq "work" or type eq "home") and primary eq true].display',
    ]) {
      expect(formatPatchPath(parsePatchPath(text))).toBe(text);
    }
    expect(formatPatchPath(parsePatchPath('Members[ Value EQ "x" ]'))).toBe('Members[Value eq "x"]');
  });
});

describe('parsePatchPath: errors are invalidPath with a position', () => {
  const detail = (text: string) => scimErrorOf(() => parsePatchPath(text), 'invalidPath');

  it('rejects an empty path', () => {
    expect(detail('')).toMatch(/^Invalid path at position 1: the path is empty/);
    expect(detail('   ')).toMatch(/^Invalid path at position 1: the path is empty/);
  });

  it('rejects a filter without its closing bracket', () => {
    expect(detail('members[value eq "x"')).toBe(
      'Invalid path at position 21: expected "and", "or" or "]" after "x" to close the "[" opened at position 8, found end of path',
    );
  });

  it('reports filter syntax errors inside the brackets as invalidPath', () => {
    expect(detail('members[value equals "x"]')).toMatch(/^Invalid path at position 15: expected a comparison operator/);
    expect(detail('members[value eq x]')).toMatch(/^Invalid path at position 18: .*string values must be in double quotes/);
    expect(detail('members[]')).toMatch(/^Invalid path at position 9: expected an attribute name/);
    expect(detail('members[value eq "x"')).not.toMatch(/filter at position/);
  });

  it('rejects nested brackets and brackets after a sub-attribute', () => {
    expect(detail('emails[type[value eq "x"] eq "y"]')).toMatch(/^Invalid path at position 12: value filters cannot be nested/);
    expect(detail('name.familyName[value eq "x"]')).toMatch(/^Invalid path at position 1: "\[" must follow a multi-valued attribute/);
  });

  it('rejects anything after the path', () => {
    expect(detail('members[value eq "x"]x')).toBe('Invalid path at position 22: expected ".subAttribute" or end of path after "]", found "x"');
    expect(detail('emails[type eq "work"].value eq "x"')).toMatch(/^Invalid path at position 30: expected end of path after ".value", found "eq"/);
    expect(detail('members value')).toMatch(/^Invalid path at position 9: expected "\[" or end of path after "members", found "value"/);
    expect(detail('emails[type eq "work"].value.display')).toMatch(/more than one sub-attribute/);
    expect(detail('emails[type eq "work"].')).toMatch(/^Invalid path at position 24: expected an attribute name/);
  });

  it('rejects malformed attribute paths', () => {
    expect(detail('"members"')).toMatch(/^Invalid path at position 1: expected an attribute name, found the string "members"/);
    expect(detail('name.given.name')).toMatch(/more than one sub-attribute/);
    expect(detail('urn:ietf:params:scim:schemas:core:2.0:User')).toMatch(/is a schema URI, not an attribute/);
    expect(detail('members]')).toMatch(/^Invalid path at position 8: expected "\[" or end of path/);
  });
});
