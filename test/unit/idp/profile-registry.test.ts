/** The profile registry: every registered profile answers to its own name, unknown names are clear errors. */
import { describe, expect, it } from 'vitest';
import { UnknownProfile, profileByName, profiles } from '../../../src-main/idp/profiles/index.js';
import { PROFILE_NAMES } from '../../../src-main/idp/profile.js';

describe('profile registry', () => {
  it('registers every profile under its own name, with sources that are public URLs', () => {
    expect(Object.keys(profiles).sort()).toEqual([...PROFILE_NAMES].sort());
    for (const [name, profile] of Object.entries(profiles)) {
      expect(profileByName(name)).toBe(profile);
      expect(profile.name).toBe(name);
      expect(profile.sources.length).toBeGreaterThan(0);
      for (const source of profile.sources) expect(source.url).toMatch(/^https:\/\//);
    }
  });

  it('registers only names the profile contract knows', () => {
    for (const name of Object.keys(profiles)) expect(PROFILE_NAMES).toContain(name);
  });

  it('refuses an unknown name and lists the profiles', () => {
    expect(() => profileByName('oktta')).toThrow(UnknownProfile);
    expect(() => profileByName('oktta')).toThrow(/Unknown profile "oktta"; the profiles are: okta, okta-aiw, entra, entra-compliant, onelogin, jumpcloud, pingfederate, generic/);
  });
});
