/** The last line of `scimulator run`, the one scripts and people read: counts in words that agree with them. */
import { describe, expect, it } from 'vitest';
import { finalLine } from '../../../src-main/hosts/run-reporter.js';

describe('the run summary line', () => {
  it('says "1 error", not "1 errors", and keeps the plural for 0 and many', () => {
    expect(finalLine({ error: 1, warning: 1, info: 0 }, 1, 1, 12)).toBe('1 error, 1 warning, 1 step, 1 exchange, 12 ms');
    expect(finalLine({ error: 0, warning: 2, info: 0 }, 10, 22, 1500)).toBe('0 errors, 2 warnings, 10 steps, 22 exchanges, 1.5 s');
  });
});
