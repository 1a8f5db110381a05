/**
 * `scimulator run` and `scimulator scenarios`: the mock IdP from a terminal or CI. Every run is
 * judged (src-main/verdicts/): it prints a line per exchange, the findings under their step and a
 * summary, can save its record, and exits 0 when every step passed and no finding is an error, 1
 * when a step failed or a finding is an error, 2 for usage errors and an unreachable target.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { IdpStateError, openIdpState, type IdpState } from '../idp/idp-state.js';
import { isProfileName, PROFILE_NAMES, type Profile } from '../idp/profile.js';
import { profileByName } from '../idp/profiles/index.js';
import { runScenario } from '../runner/run.js';
import type { RunSummary } from '../runner/run-events.js';
import { createScenarioRuntime } from '../runner/scenario-runtime.js';
import { type TargetFlags, TargetUsageError, targetChoiceFrom, targetFrom } from '../runner/targets/target-from.js';
import { UnknownBuiltin, builtinScenarios, loadBuiltin } from '../scenarios/library.js';
import { loadScenarioFile } from '../scenarios/load.js';
import { ScenarioError } from '../scenarios/scenario-error.js';
import type { Scenario } from '../scenarios/scenario.js';
import { createJudge } from '../verdicts/judge.js';
import { idpExchangeChecks } from '../verdicts/idp-checks.js';
import { readBackStep } from '../verdicts/read-back.js';
import { createReporter } from './run-reporter.js';
import { ReportPathConflict, checkReportPaths, reportPathsFrom, writeReports, type ReportFlags } from '../reports/write-reports.js';

export interface RunFlags extends Omit<TargetFlags, 'target' | 'timeoutMs'>, ReportFlags {
  readonly target: string;
  readonly profile?: string;
  readonly exact?: boolean;
  readonly save?: string;
  readonly idpState?: string;
  readonly seed?: number;
  readonly timeout?: number;
  readonly userAgent?: string;
  readonly retryAfter?: boolean;
  readonly verbose?: boolean;
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

function exitCodeOf(summary: RunSummary): number {
  if (summary.unreachable !== undefined) return 2;
  // The runner already fails a step with an error finding; counting them too keeps exit 1 honest
  // should a finding ever land on a step that did not pass for another reason.
  if ((summary.findings?.error ?? 0) > 0) return 1;
  return summary.outcome === 'passed' ? 0 : 1;
}

/** Runs a scenario as `scimulator run` does and returns the exit code. */
export async function runCommand(name: string, flags: RunFlags, out: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const targetFlags: TargetFlags = { ...flags, ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }) };
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
  const profile = profileFor(scenario, flags.profile);
  let state: IdpState | undefined;
  try {
    state = flags.idpState === undefined ? undefined : await openIdpState(resolve(flags.idpState));
  } catch (error) {
    if (error instanceof IdpStateError) throw new RunUsageError(error.message);
    throw error;
  }
  const target = await targetFrom(targetFlags);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  try {
    const reporter = createReporter(out, { colour: process.stdout.isTTY === true, ...(flags.verbose ? { verbose: true } : {}) });
    const record = await runScenario({
      scenario,
      target,
      profile,
      profileOptions: {
        ...(flags.userAgent === undefined ? {} : { userAgent: flags.userAgent === '' ? null : flags.userAgent }),
        ...(flags.retryAfter === undefined ? {} : { honorRetryAfter: flags.retryAfter }),
      },
      ...(state ? { directory: state.directory } : {}),
      ...(flags.exact === undefined ? {} : { exact: flags.exact }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      signal: controller.signal,
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      onEvent: reporter.listener,
      judge: createJudge({ extraExchangeChecks: [idpExchangeChecks], stepChecks: [readBackStep] }),
    });
    if (state) await state.save();
    for (const path of await writeReports(record, reportPathsFrom(flags))) out(`Report written to ${path}\n`);
    if (flags.save) {
      await writeFile(resolve(flags.save), `${JSON.stringify(record, null, 2)}\n`);
      out(`Run record saved to ${resolve(flags.save)}\n`);
    }
    if (record.summary.unreachable !== undefined) {
      out(`The target could not be reached (${record.summary.unreachable}): check --target and its auth flags.\n`);
    }
    reporter.finish();
    return exitCodeOf(record.summary);
  } finally {
    process.off('SIGINT', cancel);
    await target.close();
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
