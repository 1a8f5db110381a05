/** `--target practice:NAME`: the three products are accepted, anything else is a usage error naming them. */
import { describe, expect, it } from 'vitest';
import { TargetUsageError, targetChoiceFrom, targetFrom } from '../../../src-main/runner/targets/target-from.js';
import type { PracticeTarget } from '../../../src-main/runner/targets/practice-target.js';

describe('--target practice:NAME', () => {
  it.each(['litellm', 'open-webui', 'metabase'] as const)('accepts practice:%s', async (name) => {
    expect(targetChoiceFrom({ target: `practice:${name}` })).toEqual({ kind: 'practice', name });
    const target = (await targetFrom({ target: `practice:${name}` })) as PracticeTarget;
    try {
      expect(target.key).toBe(`practice:${name}`);
      expect(target.baseUrl).toBe(`http://practice.${name}.scimulator${target.practice.basePath}`);
    } finally {
      await target.close();
    }
  });

  it.each(['practice:okta', 'practice:', 'practice:LiteLLM'])('refuses %s, listing the three', (target) => {
    expect(() => targetChoiceFrom({ target })).toThrow(TargetUsageError);
    expect(() => targetChoiceFrom({ target })).toThrow(
      `--target practice:NAME takes one of practice:litellm, practice:open-webui, practice:metabase; got "${target}"`,
    );
  });

  it('refuses auth flags, as for local: the practice target brings its own token', () => {
    expect(() => targetChoiceFrom({ target: 'practice:litellm', token: 't' })).toThrow("--token: a practice target uses its product's own token; drop the flag");
  });
});
