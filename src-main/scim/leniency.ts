/**
 * Leniency notes: the non-fatal remarks a request earns (an IdP quirk tolerated, an input
 * ignored, a value coerced), each with a stable code so that a verdict or a filter in the
 * console can tell which quirk the server tolerated without parsing prose. Every code is
 * documented in docs/leniencies.md with the IdP known to send it and a public source.
 *
 * Codes are kebab-case and never change meaning; a new behaviour gets a new code.
 * No imports: the renderer reads this module through request-log-entry.ts.
 */
export const LENIENCY_CODES = [
  // Quirks of real IdPs, tolerated on purpose.
  'capitalized-patch-op',
  'string-boolean',
  'remove-by-value-array',
  'null-ref',
  'complex-as-bare-value',
  'single-value-in-array',
  'unqualified-extension-attribute',
  'enterprise-extension-alias',
  'unknown-schema-uri',
  'core-schema-not-listed',
  'own-id-in-patch-value',
  'server-attribute-ignored',
  'missing-content-type',
  // Missing envelope fields the RFC asks for.
  'missing-schemas',
  'patch-op-schema-missing',
  'search-request-schema-missing',
  // Input the server ignored.
  'unknown-attribute-ignored',
  'unknown-sub-attribute-ignored',
  'empty-patch-path',
  'remove-value-ignored',
  'root-search-sort-ignored',
  // What a write did besides the obvious.
  'nothing-to-add',
  'nothing-to-remove',
  'duplicate-value-skipped',
  'immutable-sub-attribute-kept',
  'primary-moved',
  'manager-not-found',
] as const;

export type LeniencyCode = (typeof LENIENCY_CODES)[number];

export interface LeniencyNote {
  readonly code: LeniencyCode;
  /** One sentence for a person, naming the attribute or value concerned. */
  readonly detail: string;
}

/** Collects a request's notes for the request log. */
export type Notes = LeniencyNote[];

export function note(code: LeniencyCode, detail: string): LeniencyNote {
  return { code, detail };
}
