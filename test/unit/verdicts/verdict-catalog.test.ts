/** The findings catalog: stable, well-formed ids, each documented in docs/findings.md, and nothing else there. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDINGS, findingDefinition, findingOf } from '../../../src-main/verdicts/catalog.js';

const DOC = readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8');

describe('the findings catalog', () => {
  it('has unique kebab-case ids under a namespace (rfc., idp., …)', () => {
    const ids = FINDINGS.map((definition) => definition.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(ids.filter((id) => id.startsWith('rfc.')).length).toBeGreaterThan(30);
  });

  it('gives every finding a title, a reason and an https reference', () => {
    for (const definition of FINDINGS) {
      expect(['error', 'warning', 'info'], definition.id).toContain(definition.severity);
      expect(definition.title.length, definition.id).toBeGreaterThan(10);
      expect(definition.why.length, definition.id).toBeGreaterThan(30);
      expect(definition.reference.url, definition.id).toMatch(/^https:\/\//);
      if (definition.id.startsWith('rfc.')) expect(definition.reference.url, definition.id).toMatch(/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc764[34]#section-[\d.]+$/);
    }
  });

  it('is documented in docs/findings.md: exactly the catalog ids, each with its severity and reference', () => {
    const rows = [...DOC.matchAll(/^\| `([^`]+)` \| (\w+) \|.*\| \[[^\]]+\]\(([^)]+)\) \|$/gm)].map(([, id, severity, url]) => ({ id, severity, url }));
    expect(rows.map((row) => row.id).sort()).toEqual(FINDINGS.map((definition) => definition.id).sort());
    for (const row of rows) {
      const definition = findingDefinition(row.id!);
      expect(row.severity, row.id).toBe(definition.severity);
      expect(row.url, row.id).toBe(definition.reference.url);
    }
  });

  it('builds a finding from its definition and one occurrence', () => {
    const finding = findingOf('rfc.create-status', { message: 'POST /Users answered 200', step: 2, exchange: 5, expected: 201, actual: 200 });
    expect(finding).toEqual({
      id: 'rfc.create-status',
      severity: 'error',
      title: 'A create does not answer 201 Created',
      message: 'POST /Users answered 200',
      step: 2,
      exchange: 5,
      expected: 201,
      actual: 200,
      reference: { title: 'RFC 7644 §3.3', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.3' },
    });
    expect(() => findingOf('rfc.no-such-thing', { message: '', step: 0 })).toThrow('No finding "rfc.no-such-thing" in the catalog');
  });
});
