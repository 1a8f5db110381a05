import type { FindingDefinition } from './finding.js';

/** Placeholder so the catalog compiles; the IdP-acceptance checks bring the real list. */
export const IDP_FINDINGS: readonly FindingDefinition[] = [];
