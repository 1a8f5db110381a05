/** Scenario references in the URL, and where "Save a copy" writes without overwriting a file. */
import { describe, expect, it } from 'vitest';
import { copyPath, parseRefParam, refParam } from '../../../src-renderer/src/views/scenarios/scenario-refs';

describe('scenario refs in the URL', () => {
  it('round-trips built-ins and files, paths with colons included', () => {
    for (const ref of [{ kind: 'builtin', name: 'okta-lifecycle' }, { kind: 'file', path: 'D:\\scenarios\\a.yaml' }] as const) {
      expect(parseRefParam(refParam(ref))).toEqual(ref);
    }
  });

  it('ignores what it does not know', () => {
    expect(parseRefParam(undefined)).toBeUndefined();
    expect(parseRefParam('text:abc')).toBeUndefined();
    expect(parseRefParam('builtin:')).toBeUndefined();
  });
});

describe('copyPath', () => {
  it('names the copy after the scenario, in the folder', () => {
    expect(copyPath('/srv/scim-scenarios', 'okta-lifecycle', [])).toBe('/srv/scim-scenarios/okta-lifecycle.yaml');
  });

  it('never overwrites a file already in the folder', () => {
    const existing = ['/s/okta-lifecycle.yaml', '/s/okta-lifecycle-2.yaml'];
    expect(copyPath('/s/', 'okta-lifecycle', existing)).toBe('/s/okta-lifecycle-3.yaml');
  });

  it('uses the separator of a Windows folder', () => {
    expect(copyPath('C:\\scenarios', 'a b', [])).toBe('C:\\scenarios\\a-b.yaml');
  });
});
