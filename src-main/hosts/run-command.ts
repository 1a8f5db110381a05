/**
 * `scimulator run` and `scimulator scenarios`: the mock IdP from a terminal or CI. Every run is
 * judged (src-main/verdicts/): it prints a line per exchange, the findings under their step and a
 * summary, can save its record, and exits 0 when every step passed and no finding is an error, 1
 * when a step failed or a finding is an error, 2 for usage errors and an unreachable target.
 * `--compare TARGET` runs the same scenario with the same seed against a second target and prints
 * what differs; `--baseline FILE` prints what differs from a saved run. A difference alone changes
 * the exit code only with `--fail-on-diff`.
 */
import { createFullJudge } from '../verdicts/full-judge.js';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IdpStateError, openIdpState, type IdpState } from '../idp/idp-state.js';
import { isProfileName, PROFILE_NAMES, type Profile } from '../idp/profile.js';
import { profileByName } from '../idp/profiles/index.js';
import { newRunTag } from '../idp/people.js';
import { createRandom } from '../idp/random.js';
import { runScenario } from '../runner/run.js';
import type { RunRecord } from '../runner/run-record.js';
import type { Target } from '../runner/target.js';
import { BaselineError, loadBaseline } from '../diffs/baseline.js';
import { diffRuns, type RunDiff } from '../diffs/diff.js';
import { diffText } from '../diffs/render.js';
import { createScenarioRuntime } from '../runner/scenario-runtime.js';
import { type TargetFlags, TargetUsageError, targetChoiceFrom, targetFrom } from '../runner/targets/target-from.js';
import { UnknownBuiltin, builtinScenarios, loadBuiltin } from '../scenarios/library.js';
import { loadScenarioFile } from '../scenarios/load.js';
import { ScenarioError } from '../scenarios/scenario-error.js';
import type { Scenario } from '../scenarios/scenario.js';
import { refusedStatus } from '../runner/refused.js';
import { createReporter } from './run-reporter.js';
import { ReportPathConflict, checkReportPaths, reportPathsFrom, writeReports, type ReportFlags } from '../reports/write-reports.js';

export interface RunFlags extends Omit<TargetFlags, 'target' | 'timeoutMs'>, ReportFlags {
  readonly target: string;
  readonly profile?: string;
  readonly exact?: boolean;
  readonly keep?: boolean;
  readonly save?: string;
  readonly idpState?: string;
  readonly seed?: number;
  readonly timeout?: number;
  readonly userAgent?: string;
  readonly retryAfter?: boolean;
  readonly verbose?: boolean;
  /** A second target (`local`, `practice:NAME` or a URL) to run the same scenario against and compare. */
  readonly compare?: string;
  readonly compareToken?: string;
  readonly compareBasic?: string;
  readonly compareHeader?: string;
  /** A saved run record to compare this run with. */
  readonly baseline?: string;
  /** Exit 1 when the runs differ (otherwise a difference alone does not fail the run). */
  readonly failOnDiff?: boolean;
}

/** A usage error of `run`: printed as one line, exit code 2. */
export class RunUsageError extends Error {
  readonly exitCode = 2;
}

/** The scenario named on the command line: a built-in by name, else a file. */
async function scenarioFrom(name: string): Promise<Scenario> {
  if (/\.(ya?ml|json)$/i.test(name) || name.includes('/') || name.includes('\\')) return loadScenarioFile(resolve(name));
  return loadBuiltin(name);
}

function profileFor(scenario: Scenario, override: string | undefined): Profile {
  const name = override ?? scenario.profile ?? 'generic';
  if (!isProfileName(name)) throw new RunUsageError(`--profile takes one of ${PROFILE_NAMES.join(', ')}; got "${name}"`);
  return profileByName(name);
}

/** The flags of the `--compare` target, in the shape of the main target's. */
function compareFlagsFrom(flags: RunFlags, timeoutMs: number | undefined): TargetFlags | undefined {
  if (flags.compare === undefined) {
    const stray = [
      ...(flags.compareToken === undefined ? [] : ['--compare-token']),
      ...(flags.compareBasic === undefined ? [] : ['--compare-basic']),
      ...(flags.compareHeader === undefined ? [] : ['--compare-header']),
    ];
    if (stray.length > 0) throw new RunUsageError(`${stray.join(', ')} without --compare: name the second target with --compare`);
    return undefined;
  }
  return {
    target: flags.compare,
    ...(flags.compareToken === undefined ? {} : { token: flags.compareToken }),
    ...(flags.compareBasic === undefined ? {} : { basic: flags.compareBasic }),
    ...(flags.compareHeader === undefined ? {} : { header: flags.compareHeader }),
    ...(flags.insecure === undefined ? {} : { insecure: flags.insecure }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/** A target's usage error, worded for `--compare` (its flags are --compare-token and so on). */
function asCompareError(error: TargetUsageError): RunUsageError {
  const message = error.message.replace(/--target\b/g, '--compare').replace(/--(token|basic|header)\b/g, '--compare-$1');
  return new RunUsageError(message);
}

/** 2 before 1 before 0: the worse of two runs. */
function worse(a: number, b: number): number {
  return Math.max(a, b);
}

function exitCodeOf(record: RunRecord): number {
  const { summary } = record;
  if (summary.unreachable !== undefined || refusedStatus(record.exchanges) !== undefined) return 2;
  // The runner already fails a step with an error finding; counting them too keeps exit 1 honest
  // should a finding ever land on a step that did not pass for another reason.
  if ((summary.findings?.error ?? 0) > 0) return 1;
  return summary.outcome === 'passed' ? 0 : 1;
}

/** Runs a scenario as `scimulator run` does and returns the exit code. */
export async function runCommand(name: string, flags: RunFlags, out: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const timeoutMs = flags.timeout === undefined ? undefined : flags.timeout * 1000;
  const targetFlags: TargetFlags = { ...flags, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  const compareFlags = compareFlagsFrom(flags, timeoutMs);
  if (compareFlags && flags.baseline !== undefined) {
    throw new RunUsageError('--compare and --baseline are alternatives: compare with a second target or with a saved run');
  }
  if (compareFlags && flags.idpState !== undefined) {
    throw new RunUsageError("--idp-state keeps what the IdP learned about one target; it cannot be used with --compare");
  }
  let scenario: Scenario;
  try {
    targetChoiceFrom(targetFlags);
    checkReportPaths(reportPathsFrom(flags));
    scenario = await scenarioFrom(name);
  } catch (error) {
    if (error instanceof TargetUsageError || error instanceof ScenarioError || error instanceof UnknownBuiltin || error instanceof ReportPathConflict) {
      throw new RunUsageError(error.message);
    }
    throw error;
  }
  if (compareFlags) {
    try {
      targetChoiceFrom(compareFlags);
    } catch (error) {
      if (error instanceof TargetUsageError) throw asCompareError(error);
      throw error;
    }
  }
  let baseline: RunRecord | undefined;
  try {
    baseline = flags.baseline === undefined ? undefined : await loadBaseline(resolve(flags.baseline));
  } catch (error) {
    if (error instanceof BaselineError) throw new RunUsageError(error.message);
    throw error;
  }
  if (baseline && baseline.scenario.name !== scenario.name) {
    throw new RunUsageError(`the baseline ${resolve(flags.baseline ?? '')} is a run of "${baseline.scenario.name}", not "${scenario.name}"`);
  }
  const profile = profileFor(scenario, flags.profile);
  let state: IdpState | undefined;
  try {
    state = flags.idpState === undefined ? undefined : await openIdpState(resolve(flags.idpState));
  } catch (error) {
    if (error instanceof IdpStateError) throw new RunUsageError(error.message);
    throw error;
  }
  // Both runs of a comparison (and a run against a baseline) use one seed: the same names, the
  // same random values, so what differs is the targets.
  const seed = flags.seed ?? baseline?.seed ?? (compareFlags ? randomBytes(4).readUInt32LE(0) : undefined);
  // A baseline's seed with a tag of its own: a target that kept what the baseline run created
  // (the user Entra disables and never deletes) would otherwise meet the same names again.
  const baselineRunTag = baseline ? newRunTag(createRandom()) : undefined;
  const colour = process.stdout.isTTY === true;

  const runOn = async (target: Target, withState: IdpState | undefined): Promise<{ record: RunRecord; finish: () => void }> => {
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    try {
      const reporter = createReporter(out, { colour, ...(flags.verbose ? { verbose: true } : {}) });
      const record = await runScenario({
        scenario,
        target,
        profile,
        profileOptions: {
          ...(flags.userAgent === undefined ? {} : { userAgent: flags.userAgent === '' ? null : flags.userAgent }),
          ...(flags.retryAfter === undefined ? {} : { honorRetryAfter: flags.retryAfter }),
        },
        ...(withState ? { directory: withState.directory } : {}),
        ...(flags.exact === undefined ? {} : { exact: flags.exact }),
        ...(flags.keep ? { keep: true } : {}),
        ...(seed === undefined ? {} : { seed }),
        ...(baselineRunTag === undefined ? {} : { runTag: baselineRunTag }),
        signal: controller.signal,
        runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
        onEvent: reporter.listener,
        judge: createFullJudge(),
      });
      return { record, finish: reporter.finish };
    } finally {
      process.off('SIGINT', cancel);
    }
  };

  const target = await targetFrom(targetFlags);
  let primary: { record: RunRecord; finish: () => void };
  try {
    primary = await runOn(target, state);
  } finally {
    await target.close();
  }
  const { record } = primary;
  if (state) await state.save();

  let compared: { record: RunRecord; finish: () => void } | undefined;
  let diff: RunDiff | undefined;
  if (compareFlags) {
    // The first run's summary first, then the second run in full.
    unreachableNote(record, out);
    primary.finish();
    out(`\n── compared with ${compareFlags.target} (seed ${seed}) ──\n\n`);
    const second = await targetFrom(compareFlags);
    try {
      compared = await runOn(second, undefined);
    } finally {
      await second.close();
    }
    diff = diffRuns(record, compared.record);
  } else if (baseline) {
    diff = diffRuns(baseline, record, { a: `baseline (${baseline.target.key}, ${baseline.startedAt})`, b: `this run (${record.target.key})` });
  }

  for (const path of await writeReports(record, reportPathsFrom(flags), diff ? { html: { diff } } : {})) out(`Report written to ${path}\n`);
  if (flags.save) {
    // Like the --report-* files, the record may go to a folder that does not exist yet: failing
    // here would lose a run that has already changed the target.
    await mkdir(dirname(resolve(flags.save)), { recursive: true });
    await writeFile(resolve(flags.save), `${JSON.stringify(record, null, 2)}\n`);
    out(`Run record saved to ${resolve(flags.save)}\n`);
  }
  if (compared && diff) {
    unreachableNote(compared.record, out, '--compare');
    compared.finish();
    out(`\n${diffText(diff, { colour })}`);
  } else {
    unreachableNote(record, out);
    if (diff) out(`\n${diffText(diff, { colour })}`);
    // The run's summary ends the output: its last line is the one scripts read.
    primary.finish();
  }
  let code = exitCodeOf(record);
  if (compared) code = worse(code, exitCodeOf(compared.record));
  if (code === 0 && flags.failOnDiff && diff && !diff.identical) code = 1;
  return code;
}

function unreachableNote(record: RunRecord, out: (text: string) => void, flag = '--target'): void {
  if (record.summary.unreachable !== undefined) {
    out(`The target could not be reached (${record.summary.unreachable}): check ${flag} and its auth flags.\n`);
    return;
  }
  const refused = refusedStatus(record.exchanges);
  if (refused !== undefined) {
    const auth = flag === '--target' ? '--token, --basic, --header or the --oauth-* flags' : 'the --compare-token, --compare-basic or --compare-header flag';
    out(`The target refused every request with ${refused} ${refused === 401 ? 'Unauthorized' : 'Forbidden'}: check ${auth}.\n`);
  }
}

/** `scimulator scenarios`: the built-ins, one line each. */
export function listScenarios(out: (text: string) => void = (text) => process.stdout.write(text)): void {
  const builtins = builtinScenarios();
  const width = Math.max(...builtins.map((info) => info.name.length));
  const profileWidth = Math.max(...builtins.map((info) => (info.profile ?? '').length));
  for (const info of builtins) out(`${info.name.padEnd(width)}  ${(info.profile ?? '').padEnd(profileWidth)}  ${info.description}\n`);
  out(`\nRun one with: scimulator run <name> --target local   (or --target https://… --token …)\n`);
}
