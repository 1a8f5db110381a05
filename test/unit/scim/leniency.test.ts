import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LENIENCY_CODES } from '../../../src-main/scim/leniency.js';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/leniencies.md', import.meta.url)), 'utf8');
const documented = [...doc.matchAll(/^### `([^`]+)`$/gm)].map((match) => match[1]);

describe('leniency codes', () => {
  it('are stable kebab-case names, each listed once', () => {
    for (const code of LENIENCY_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(new Set(LENIENCY_CODES).size).toBe(LENIENCY_CODES.length);
  });

  it('are each documented in docs/leniencies.md, and the page documents no other', () => {
    expect([...documented].sort()).toEqual([...LENIENCY_CODES].sort());
  });

  it('cite public sources, never a path on a machine', () => {
    expect(doc).not.toMatch(/\/work\/|\/root\/|\/home\/|[A-Z]:\\/);
    expect(doc.match(/https:\/\/\S+/g)?.length).toBeGreaterThan(10);
  });
});
