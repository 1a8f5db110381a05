/**
 * A finding: one thing a run found wrong (or worth knowing) about the target, with a stable id
 * documented in docs/findings.md, a severity, the step and exchange it belongs to, what was
 * expected and what came back, and the reference that says why it matters.
 *
 * Severity: `error` when the RFC says MUST or the real IdP would fail; `warning` for SHOULD, or
 * for what the IdP tolerates; `info` for MAY and for what is worth knowing.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Reference {
  /** "RFC 7644 §3.4.2", "Microsoft Entra: Application provisioning in quarantine status". */
  readonly title: string;
  readonly url: string;
}

/** A kind of finding, as docs/findings.md documents it. */
export interface FindingDefinition {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what is wrong, in words a developer of the target recognises. */
  readonly title: string;
  /** Why it matters: what breaks, and for whom. */
  readonly why: string;
  readonly reference: Reference;
  /** The profiles whose IdP trips on it; absent when it is an RFC rule for every client. */
  readonly profiles?: readonly string[];
}

export interface Finding {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** This occurrence: what was sent, what came back, what to change. */
  readonly message: string;
  /** Index of the step, from 0. */
  readonly step: number;
  /** Index of the exchange it is about, from 1, when it is about one. */
  readonly exchange?: number;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly reference: Reference;
}
