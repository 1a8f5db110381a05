/**
 * Which of a scenario's checks a run applies. A scenario is written for one IdP (its `profile`),
 * and its checks on the IdP's exchanges describe that IdP's traffic: under `--profile` another IdP
 * tells the same story with its own requests (PUT where Okta sends PATCH), so a check on a request
 * the run's IdP does not send, or one marked `profiles:` for other IdPs, is not applied rather than
 * failed. Under `--exact` a `sentBy: setup` step is left out, so the target is not as the scenario
 * arranges it, and the checks of the steps after it are not applied either. What a left-out or
 * skipped step was to capture stays unset, and a step that needs it is skipped with the reason.
 *
 * A check that is not applied is reported as such (StepSummary.notApplied), never as passed: the
 * verdict on that traffic then comes from the findings, which know each IdP.
 */
import type { ProfileName } from '../idp/profile.js';
import { parseSelector, selectExchanges } from '../scenarios/exchange-selector.js';
import type { Capture, Expectation, Step } from '../scenarios/scenario.js';
import type { RunExchange } from './exchange.js';
import type { NotAppliedCheck } from './run-events.js';

export interface CheckScopeOptions {
  /** The profile the run sends as. */
  readonly profile: ProfileName;
  /** The profile the scenario is written for (its `profile`, generic when it names none). */
  readonly writtenFor: ProfileName;
  readonly baseUrl: string;
}

function lineOf(position: { readonly line: number } | undefined): { line?: number } {
  return position ? { line: position.line } : {};
}

export class CheckScope {
  /** Set once a `sentBy: setup` step is left out under --exact: why later checks are not applied. */
  private unarranged: string | undefined;
  /** Variables a skipped step or another IdP's traffic did not provide → why. */
  private readonly unset = new Map<string, string>();

  constructor(private readonly options: CheckScopeOptions) {}

  /** Whether the run tells the story as another IdP than the one the scenario is written for. */
  get overridden(): boolean {
    return this.options.profile !== this.options.writtenFor;
  }

  /** Why the target is not as the scenario arranges it (a setup step left out under --exact), if it is not. */
  get unarrangedReason(): string | undefined {
    return this.unarranged;
  }

  /** A `sentBy: setup` step (step `number`, 1-based) was left out under --exact. */
  setupLeftOut(number: number): void {
    this.unarranged ??= `the target is not as the scenario arranges it: step ${number} sets it up and is left out under --exact`;
  }

  /** A step that did not run: what it was to capture stays unset, for this reason. */
  stepSkipped(step: Step, number: number, why: string): void {
    for (const name of Object.keys(step.save ?? {})) this.unset.set(name, `step ${number}, which was to capture it, did not run (${why})`);
  }

  /** Why `${variable}` has no value, when that is by design (not a failed capture). */
  whyUnset(variable: string): string | undefined {
    return this.unset.get(variable);
  }

  /** Splits a step's expectations into those the run checks and those it does not apply. */
  expectations(
    step: Step,
    exchanges: readonly RunExchange[],
  ): { readonly applied: readonly Expectation[]; readonly notApplied: readonly NotAppliedCheck[] } {
    const applied: Expectation[] = [];
    const notApplied: NotAppliedCheck[] = [];
    for (const expectation of step.expect ?? []) {
      const reason = this.whyNotApplied(step, expectation.exchange, expectation.profiles, exchanges);
      if (reason === undefined) applied.push(expectation);
      else notApplied.push({ check: `${expectation.exchange ?? 'last'} exchange`, reason, ...lineOf(expectation.position) });
    }
    return { applied, notApplied };
  }

  /** Splits a step's captures the same way; a capture not applied leaves its variable unset. */
  captures(
    step: Step,
    number: number,
    exchanges: readonly RunExchange[],
  ): { readonly applied: Readonly<Record<string, Capture>>; readonly notApplied: readonly NotAppliedCheck[] } {
    const applied: Record<string, Capture> = {};
    const notApplied: NotAppliedCheck[] = [];
    for (const [name, capture] of Object.entries(step.save ?? {})) {
      // A capture reads a response; it is about the target's answer, not written for one IdP, so
      // only the request being absent (another IdP's traffic) keeps it from applying.
      const reason = this.whyNotApplied(step, capture.exchange ?? 'last', undefined, exchanges);
      if (reason === undefined) {
        applied[name] = capture;
      } else {
        notApplied.push({ check: `save ${name}`, reason, ...lineOf(capture.position) });
        this.unset.set(name, `step ${number} did not capture it: ${reason}`);
      }
    }
    return { applied, notApplied };
  }

  private whyNotApplied(
    step: Step,
    selector: string | undefined,
    profiles: readonly ProfileName[] | undefined,
    exchanges: readonly RunExchange[],
  ): string | undefined {
    if (this.unarranged !== undefined) return this.unarranged;
    const { profile, writtenFor, baseUrl } = this.options;
    if (profiles !== undefined && !profiles.includes(profile)) return `written for ${profiles.join(', ')}; this run sends as ${profile}`;
    if (this.overridden && step.kind === 'event' && selectExchanges(parseSelector(selector ?? 'last'), exchanges, baseUrl).length === 0) {
      return `${profile} sends no such request here; the scenario is written for ${writtenFor}'s traffic`;
    }
    return undefined;
  }
}
