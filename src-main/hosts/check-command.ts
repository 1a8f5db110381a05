/**
 * `scimulator check`: every IdP in one command. Runs the `conformance` built-in once, then the
 * lifecycle built-ins under every IdP profile (each IdP's own stories, and the stories of another
 * IdP where it has none of its own), and prints a readiness matrix: one row per IdP, one column
 * per capability, each cell ✓, – or the id of the finding that blocks it, with the reasons under
 * the table. Exit 0 when nothing is blocked and conformance passed, 1 otherwise, 2 for usage
 * errors, an unreachable target and one that refuses every request (wrong credentials).
 */
import { createFullJudge } from '../verdicts/full-judge.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { IdpEventType } from '../idp/events.js';
import type { ProfileName } from '../idp/profile.js';
import { profileByName } from '../idp/profiles/index.js';
import { htmlEscape } from '../reports/markup.js';
import { runScenario } from '../runner/run.js';
import type { RunRecord } from '../runner/run-record.js';
import { createScenarioRuntime } from '../runner/scenario-runtime.js';
import { type TargetFlags, TargetUsageError, targetChoiceFrom, targetFrom } from '../runner/targets/target-from.js';
import { loadBuiltin } from '../scenarios/library.js';
import type { Scenario, Step } from '../scenarios/scenario.js';
import {
  CAPABILITY_OF_EVENT,
  READINESS_CAPABILITIES,
  type ReadinessCapability,
  type ReadinessMatrix,
  type ReadinessRun,
  buildReadiness,
  cellText,
  readinessTable,
  stepRole,
} from '../verdicts/readiness.js';
import { RunUsageError } from './run-command.js';
import { refusedStatus } from '../runner/refused.js';

export interface CheckFlags extends Omit<TargetFlags, 'target' | 'timeoutMs'> {
  readonly target: string;
  readonly timeout?: number;
  readonly seed?: number;
  /** Leave what the conformance suite created on the target. */
  readonly keep?: boolean;
  readonly reportHtml?: string;
}

/** The IdPs of the matrix, in its order. */
export const CHECK_PROFILES: readonly ProfileName[] = ['okta', 'okta-aiw', 'entra', 'entra-compliant', 'onelogin', 'jumpcloud', 'pingfederate'];

/**
 * The built-in stories each IdP is checked with: its own, then another IdP's story where it has
 * none of its own (Okta AIW imports as Okta does; Entra's compliant mode pushes groups as Entra).
 */
export const CHECK_STORIES: Readonly<Record<ProfileName, readonly string[]>> = {
  okta: ['okta-lifecycle', 'okta-group-push', 'okta-import'],
  'okta-aiw': ['okta-aiw-lifecycle', 'okta-import'],
  entra: ['entra-lifecycle', 'entra-groups'],
  'entra-compliant': ['entra-compliant-lifecycle', 'entra-groups'],
  onelogin: ['onelogin-lifecycle'],
  jumpcloud: ['jumpcloud-connection-test'],
  pingfederate: ['pingfederate-lifecycle'],
  generic: [],
};

/**
 * Every event once, with no expectations of any one IdP: run under an IdP only for the
 * capabilities its stories leave out, so each cell is exercised (a profile answers an event its
 * IdP never sends as not applicable: Okta never deletes users).
 */
export function everyEventStory(): Scenario {
  const event = (type: IdpEventType, fields: Partial<Step> = {}): Step => ({ kind: 'event', event: type, ...fields }) as Step;
  return {
    name: 'check-every-event',
    description: 'Each IdP event once, for the capabilities the IdP\'s own stories leave out',
    directory: { people: [{ key: 'ada' }, { key: 'linus' }], groups: [{ key: 'crew', members: ['ada'] }] },
    source: 'builtin:check-every-event',
    steps: [
      event('testConnection'),
      event('assignUser', { user: 'ada' }),
      event('assignUser', { user: 'linus' }),
      event('updateUser', { user: 'ada', changes: { title: 'Navigator' } }),
      event('deactivateUser', { user: 'ada' }),
      event('reactivateUser', { user: 'ada' }),
      event('pushGroup', { group: 'crew' }),
      event('addMembers', { group: 'crew', users: ['linus'] }),
      event('removeMembers', { group: 'crew', users: ['linus'] }),
      event('renameGroup', { group: 'crew', displayName: 'Crew renamed ${run.tag}' }),
      event('importUsers'),
      event('importGroups'),
      event('deleteGroup', { group: 'crew' }),
      event('unassignUser', { user: 'linus' }),
      event('deleteUser', { user: 'ada' }),
      event('deleteUser', { user: 'linus' }),
    ],
  };
}

/**
 * A story as another IdP tells it: its event steps lose their expectations, which describe the
 * traffic of the IdP it was written for (Okta AIW deactivates with PUT where Okta PATCHes); what
 * the target must end up holding is still checked by the read-backs and the judge.
 */
export function storyUnder(scenario: Scenario, profile: ProfileName): Scenario {
  if (scenario.profile === undefined || scenario.profile === profile) return scenario;
  return {
    ...scenario,
    profile,
    steps: scenario.steps.map((step) => {
      if (step.kind !== 'event' || step.expect === undefined) return step;
      const { expect: _idpSpecific, ...rest } = step;
      return rest;
    }),
  };
}

export interface CheckResult {
  readonly matrix: ReadinessMatrix;
  readonly conformance: RunRecord;
  readonly runs: readonly ReadinessRun[];
}

const stepRoles = (scenario: Scenario) => scenario.steps.map(stepRole);

/** The capabilities a story exercises: those of its events. */
const capabilitiesOf = (scenario: Scenario): Set<ReadinessCapability> =>
  new Set(scenario.steps.flatMap((step) => (step.kind === 'event' && CAPABILITY_OF_EVENT[step.event] !== undefined ? [CAPABILITY_OF_EVENT[step.event]!] : [])));

function exitCodeOf(result: CheckResult): number {
  const all = [result.conformance, ...result.runs.map((run) => run.record)];
  if (all.some((record) => record.summary.unreachable !== undefined)) return 2;
  const conformanceFailed = result.conformance.summary.outcome !== 'passed' || (result.conformance.summary.findings?.error ?? 0) > 0;
  return result.matrix.blocked || conformanceFailed ? 1 : 0;
}

/** Runs `scimulator check` and returns the exit code. */
export async function checkCommand(flags: CheckFlags, out: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const targetFlags: TargetFlags = { ...flags, ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }) };
  try {
    targetChoiceFrom(targetFlags);
  } catch (error) {
    if (error instanceof TargetUsageError) throw new RunUsageError(error.message);
    throw error;
  }
  const judge = createFullJudge();
  // Each run gets a target of its own: a fresh local provider (or practice target) per story, as
  // each IdP would meet the endpoint; a remote target is the same endpoint every time.
  const runOne = async (scenario: Scenario, profile: ProfileName): Promise<RunRecord> => {
    const target = await targetFrom(targetFlags);
    try {
      return await runScenario({
        scenario,
        target,
        profile: profileByName(profile),
        runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
        judge,
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.keep ? { keep: true } : {}),
      });
    } finally {
      await target.close();
    }
  };

  out(`Checking ${flags.target} as ${CHECK_PROFILES.length} identity providers would use it…\n`);
  const conformance = await runOne(loadBuiltin('conformance'), 'generic');
  out(`  conformance: ${summaryLine(conformance)}\n`);
  if (conformance.summary.unreachable !== undefined) {
    out(`The target could not be reached (${conformance.summary.unreachable}): check --target and its auth flags.\n`);
    return 2;
  }
  // Wrong credentials: every story would only add its own wall of 401s to a matrix that says nothing.
  const refused = refusedStatus(conformance.exchanges);
  if (refused !== undefined) {
    out(`The target refused every request with ${refused} ${refused === 401 ? 'Unauthorized' : 'Forbidden'}: check --token, --basic, --header or the --oauth-* flags.\n`);
    return 2;
  }
  const runs: ReadinessRun[] = [];
  for (const profile of CHECK_PROFILES) {
    const covered = new Set<ReadinessCapability>();
    for (const name of CHECK_STORIES[profile]) {
      const scenario = storyUnder(loadBuiltin(name), profile);
      const record = await runOne(scenario, profile);
      out(`  ${profile.padEnd(15)} ${name}: ${summaryLine(record)}\n`);
      runs.push({ profile, record, stepRoles: stepRoles(scenario) });
      for (const capability of capabilitiesOf(scenario)) covered.add(capability);
    }
    const missing = READINESS_CAPABILITIES.filter((capability) => !covered.has(capability));
    if (missing.length > 0) {
      const scenario = everyEventStory();
      const record = await runOne(scenario, profile);
      out(`  ${profile.padEnd(15)} ${scenario.name} (${missing.join(', ')}): ${summaryLine(record)}\n`);
      runs.push({ profile, record, stepRoles: stepRoles(scenario), only: missing });
    }
  }
  const result: CheckResult = { matrix: buildReadiness(runs), conformance, runs };
  out(`\n${readinessTable(result.matrix)}`);
  const failedConformance = conformance.steps.filter((step) => step.outcome === 'failed' || step.outcome === 'error');
  if (failedConformance.length > 0) {
    out(`\nconformance: ${failedConformance.length} check(s) failed:\n`);
    for (const step of failedConformance) {
      const ids = [...new Set(conformance.findings.filter((finding) => finding.step === step.index && finding.severity === 'error').map((finding) => finding.id))];
      out(`  ✗ ${step.name}${ids.length > 0 ? ` [${ids.join(', ')}]` : ''}${step.message ? `: ${step.message}` : ''}\n`);
    }
  }
  if (flags.reportHtml) {
    // After minutes of runs, a missing folder must not lose the report: made as run's reports make theirs.
    await mkdir(dirname(resolve(flags.reportHtml)), { recursive: true });
    await writeFile(resolve(flags.reportHtml), checkHtml(flags.target, result));
    out(`Report written to ${resolve(flags.reportHtml)}\n`);
  }
  return exitCodeOf(result);
}

function summaryLine(record: RunRecord): string {
  const { steps, findings } = record.summary;
  return `${steps.passed} passed, ${steps.failed} failed, ${steps.error} not run, ${steps.skipped} skipped; ${findings?.error ?? 0} errors, ${findings?.warning ?? 0} warnings`;
}

/** One self-contained page: the matrix, the reasons, and every run's findings. */
export function checkHtml(targetName: string, result: CheckResult): string {
  const e = htmlEscape;
  const cellHtml = (text: string, state: string, title: string) => `<td class="${state}" title="${e(title)}">${e(text)}</td>`;
  const rows = result.matrix.rows
    .map((row) => {
      const cells = READINESS_CAPABILITIES.map((capability) => {
        const cell = row.cells[capability];
        const title = cell.state === 'blocked' ? `${cell.blocker.reason} (${cell.blocker.scenario}: ${cell.blocker.step})` : cell.state === 'not-applicable' ? cell.reason : 'works';
        return cellHtml(cellText(cell), cell.state, title);
      }).join('');
      return `<tr><th>${e(row.profile)}</th>${cells}</tr>`;
    })
    .join('\n');
  const reasons = result.matrix.reasons.map((reason) => `<li><code>${e(reason.id)}</code>: ${e(reason.reason)} <small>(${e(reason.cells.join(', '))})</small></li>`).join('\n');
  const runSection = (label: string, record: RunRecord) => {
    const findings = record.findings
      .map((finding) => {
        const step = record.steps.find((candidate) => candidate.index === finding.step);
        return `<li class="${finding.severity}"><code>${e(finding.id)}</code> <b>${e(finding.severity)}</b> ${e(finding.title)}<br><small>${e(step?.name ?? '')}: ${e(finding.message)}</small> <a href="${e(finding.reference.url)}">${e(finding.reference.title)}</a></li>`;
      })
      .join('\n');
    const failed = record.steps
      .filter((step) => step.outcome === 'failed' || step.outcome === 'error')
      .map((step) => `<li>${e(step.name)}: ${e(step.outcome)}${step.message ? ` — ${e(step.message)}` : ''}</li>`)
      .join('\n');
    return `<section><h3>${e(label)}</h3><p>${e(summaryLine(record))}</p>${failed ? `<h4>Steps that did not pass</h4><ul>${failed}</ul>` : ''}${findings ? `<h4>Findings</h4><ul>${findings}</ul>` : ''}</section>`;
  };
  const sections = [runSection('conformance (generic)', result.conformance), ...result.runs.map((run) => runSection(`${run.record.scenario.name} as ${run.profile}`, run.record))].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scimulator check: ${e(targetName)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:center}
td.ready{background:#e6f4ea}td.blocked{background:#fde7e9;font-family:monospace}td.not-applicable{color:#888}
li.error code{color:#b00020}li.warning code{color:#8a6d00}
</style></head><body>
<h1>Which IdPs will work with ${e(targetName)}</h1>
<p>${result.matrix.blocked ? 'Some capabilities are blocked.' : 'Nothing is blocked.'}</p>
<table><thead><tr><th>IdP</th>${READINESS_CAPABILITIES.map((capability) => `<th>${e(capability)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>
${reasons ? `<h2>Why</h2><ul>${reasons}</ul>` : ''}
<h2>Runs</h2>
${sections}
</body></html>
`;
}
