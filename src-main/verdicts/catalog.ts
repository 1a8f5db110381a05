/**
 * Every kind of finding a run can report: the RFC's rules (catalog-rfc.ts) and what each IdP
 * accepts (catalog-idp.ts). docs/findings.md lists exactly these ids (a test keeps them in step);
 * checks build their findings through `findingOf`, so a finding's severity, title and reference
 * always come from its definition.
 */
import { IDP_FINDINGS } from './catalog-idp.js';
import { RFC_FINDINGS } from './catalog-rfc.js';
import type { Finding, FindingDefinition } from './finding.js';

export { IDP_FINDINGS } from './catalog-idp.js';
export { RFC_FINDINGS, type RfcFindingId } from './catalog-rfc.js';

export const FINDINGS: readonly FindingDefinition[] = [...RFC_FINDINGS, ...IDP_FINDINGS];

const byId = new Map(FINDINGS.map((definition) => [definition.id, definition]));
if (byId.size !== FINDINGS.length) {
  const seen = new Set<string>();
  const twice = FINDINGS.map((definition) => definition.id).filter((id) => seen.has(id) || !seen.add(id));
  throw new Error(`Finding ids are defined twice: ${twice.join(', ')}`);
}

export function findingDefinition(id: string): FindingDefinition {
  const definition = byId.get(id);
  if (!definition) throw new Error(`No finding "${id}" in the catalog`);
  return definition;
}

/** What one occurrence of a finding adds to its definition. */
export interface Occurrence {
  readonly message: string;
  readonly step: number;
  readonly exchange?: number;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

/** A finding of a catalogued kind: severity, title and reference from the catalog. */
export function findingOf(id: string, occurrence: Occurrence): Finding {
  const { severity, title, reference } = findingDefinition(id);
  return {
    id,
    severity,
    title,
    message: occurrence.message,
    step: occurrence.step,
    ...(occurrence.exchange === undefined ? {} : { exchange: occurrence.exchange }),
    ...(occurrence.expected === undefined ? {} : { expected: occurrence.expected }),
    ...(occurrence.actual === undefined ? {} : { actual: occurrence.actual }),
    reference,
  };
}
