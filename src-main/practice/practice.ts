/**
 * A practice target: the SCIM endpoint of a real open-source product, reproduced as msw request
 * handlers over a small in-memory store of its own, so a user can watch an IdP trip over real
 * behaviour without installing the product. Each product lives in its own module; this one holds
 * what they share (names, the contract, the request plumbing that keeps the raw request-target).
 */
import type { RequestHandler } from 'msw';

export const PRACTICE_NAMES = ['litellm', 'open-webui', 'metabase'] as const;
export type PracticeName = (typeof PRACTICE_NAMES)[number];

export function isPracticeName(name: string): name is PracticeName {
  return (PRACTICE_NAMES as readonly string[]).includes(name);
}

export interface PracticeOptions {
  /** The token the product accepts; each product has a default that looks like its own. */
  readonly token?: string;
  /** The product's clock (timestamps in responses). */
  readonly now?: () => Date;
  /** The product's id generator (uuid4 for the Python ones, a NanoID for Metabase). */
  readonly newId?: () => string;
}

/** What the product stores, seen the same way for every product: for tests and read-backs. */
export interface PracticeDirectory {
  readonly users: readonly { readonly id: string; readonly userName: string; readonly active: boolean }[];
  readonly groups: readonly { readonly id: string; readonly displayName: string; readonly members: readonly string[] }[];
}

export interface PracticeProvider {
  readonly name: PracticeName;
  /** The product as its users call it: "LiteLLM proxy". */
  readonly title: string;
  /** Where the product mounts its SCIM router, e.g. `/scim/v2`. */
  readonly basePath: string;
  readonly token: string;
  readonly handlers: readonly RequestHandler[];
  directory(): PracticeDirectory;
}
