/**
 * The terminal's view of a run: a line per step and per exchange as they happen (method, path,
 * status, time, what it was for), the findings, failed assertions and the IdP's failures under
 * their step, and at the end a summary table, the findings grouped by severity and one last line
 * `N errors, N warnings, N steps, N exchanges, <time>` for people and scripts. Colour only on a
 * terminal.
 */
import type { RunEvent, RunSummary, StepSummary } from '../runner/run-events.js';
import type { Finding, Severity } from '../verdicts/finding.js';
import { diffExpected } from '../diffs/diff.js';
import { changeLines } from '../diffs/render.js';

export interface Reporter {
  readonly listener: (event: RunEvent) => void;
  /**
   * Writes the end of the report (table, findings by severity, the last line); the host calls it
   * once it has said everything else, so the last line stays last. Nothing before run-finished.
   */
  readonly finish: () => void;
}

interface Style {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

function style(colour: boolean): Style {
  const wrap = (code: number, reset: number) => (text: string) => (colour ? `\u001b[${code}m${text}\u001b[${reset}m` : text);
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Exchanges printed per step unless verbose. */
const MAX_LINES_PER_STEP = 25;

const OUTCOME_MARK: Record<StepSummary['outcome'], string> = { passed: '✓', failed: '✗', error: '!', skipped: '–' };

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Path and query below the base URL, shortened for one line. */
function shortPath(url: string, baseUrl: string): string {
  const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) || '/' : url;
  return path.length > 100 ? `${path.slice(0, 97)}…` : path;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEVERITY_HEADING: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

/** `1 errors` reads oddly but parses: the last line's shape never changes with its numbers. */
/** "1 error", "3 errors". */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function finalLine(counts: Readonly<Record<Severity, number>>, steps: number, exchanges: number, durationMs: number): string {
  return `${counted(counts.error, 'error')}, ${counted(counts.warning, 'warning')}, ${counted(steps, 'step')}, ${counted(exchanges, 'exchange')}, ${formatDuration(durationMs)}`;
}

function formatDuration(ms: number): string {
  return ms < 1000 ? formatMs(ms) : `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

export function createReporter(write: (text: string) => void, options: { colour: boolean; verbose?: boolean }): Reporter {
  const s = style(options.colour);
  let baseUrl = '';
  let shownInStep = 0;
  /** The index of the step whose heading was printed last. */
  let startedStep: number | undefined;
  const steps: StepSummary[] = [];
  const findings: Finding[] = [];
  let finished: RunSummary | undefined;
  const severityTone = (severity: Severity, text: string) => (severity === 'error' ? s.red(text) : severity === 'warning' ? s.yellow(text) : s.dim(text));
  const tone = (outcome: StepSummary['outcome'], text: string) =>
    outcome === 'passed' ? s.green(text) : outcome === 'skipped' ? s.yellow(text) : s.red(text);

  const listener = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-started':
        baseUrl = event.target;
        write(`${s.bold(event.scenario)} · profile ${event.profile} · ${event.target}\n`);
        return;
      case 'step-started':
        shownInStep = 0;
        startedStep = event.index;
        write(`\n${s.bold(`${event.index + 1}. ${event.name}`)}\n`);
        return;
      case 'exchange': {
        const { exchange } = event;
        // Repeated (load) steps would print thousands of lines: their summary says it all.
        shownInStep++;
        if (!options.verbose && shownInStep > MAX_LINES_PER_STEP) {
          if (shownInStep === MAX_LINES_PER_STEP + 1) write(s.dim('   … (the rest are in the run record: --save FILE)\n'));
          return;
        }
        const status = exchange.response
          ? exchange.response.status >= 400
            ? s.red(String(exchange.response.status))
            : s.green(String(exchange.response.status))
          : s.red('---');
        const retry = exchange.retryOf === undefined ? '' : s.yellow(' (retry after 429)');
        write(
          `   ${exchange.request.method.padEnd(6)} ${shortPath(exchange.request.url, baseUrl)} ${status} ${s.dim(formatMs(exchange.durationMs))}  ${s.dim(exchange.purpose)}${retry}\n`,
        );
        if (exchange.error) write(`   ${s.red(exchange.error)}\n`);
        return;
      }
      case 'finding': {
        const { finding } = event;
        findings.push(finding);
        const where = finding.exchange === undefined ? '' : s.dim(` (exchange ${finding.exchange})`);
        write(`   ${severityTone(finding.severity, `${finding.severity === 'error' ? '✗' : finding.severity === 'warning' ? '⚠' : 'ℹ'} ${finding.severity}`)} ${s.bold(finding.id)} ${finding.title}${where}\n`);
        write(`${indent(finding.message, '       ')}\n`);
        return;
      }
      case 'step-finished': {
        const { step } = event;
        steps.push(step);
        // A step the run never started (the target became unreachable before it) still gets its heading.
        if (step.index !== startedStep) write(`\n${s.bold(`${step.index + 1}. ${step.name}`)}\n`);
        for (const failed of diffExpected(step)) {
          const where = failed.line === undefined ? '' : ` (line ${failed.line})`;
          if (failed.changes && failed.changes.length > 0) {
            // JSON against JSON: what differs, by path, rather than two long values side by side.
            write(`   ${s.red('✗')} ${failed.check}${where}: differs from what was expected\n`);
            for (const line of changeLines(failed.changes, { colour: options.colour }, '       ')) write(`${line}\n`);
            continue;
          }
          write(`   ${s.red('✗')} ${failed.check}${where}: expected ${JSON.stringify(failed.expected)}, got ${JSON.stringify(failed.actual)}\n`);
        }
        for (const skipped of step.notApplied ?? []) {
          const where = skipped.line === undefined ? '' : ` (line ${skipped.line})`;
          write(s.dim(`   – ${skipped.check}${where} not applied: ${skipped.reason}\n`));
        }
        // A repeated step that sent nothing (skipped) has no latencies to speak of.
        if (step.load && step.load.requests > 0) {
          const load = step.load;
          write(
            `   ${load.requests} requests, ${load.requestsPerSecond}/s, p50 ${formatMs(load.p50)}, p95 ${formatMs(load.p95)}, p99 ${formatMs(load.p99)}, errors ${(load.errorRate * 100).toFixed(1)}%\n`,
          );
          if (load.sampled) {
            write(s.dim(`   the record keeps ${load.sampled.kept} of ${step.exchanges} exchanges in full (every failed one and a sample); all ${load.sampled.checks} checks ran\n`));
          }
        }
        const mark = tone(step.outcome, `${OUTCOME_MARK[step.outcome]} ${step.outcome}`);
        write(`   ${mark}${step.message ? ` — ${step.message}` : ''}\n`);
        return;
      }
      case 'run-finished':
        finished = event.summary;
        return;
    }
  };
  const finish = (): void => {
    if (!finished) return;
    const summary = finished;
    write('\n');
    const width = Math.max(4, ...steps.map((step) => step.name.length));
    write(s.bold(`${'step'.padEnd(width + 4)}  result    exchanges  findings  time\n`));
    for (const step of steps) {
      const label = `${String(step.index + 1).padStart(2)}. ${step.name}`.padEnd(width + 4);
      const count = step.findings ? step.findings.error + step.findings.warning + step.findings.info : 0;
      write(`${label}  ${tone(step.outcome, step.outcome.padEnd(8))}  ${String(step.exchanges).padStart(9)}  ${String(count).padStart(8)}  ${formatMs(step.durationMs)}\n`);
    }
    for (const severity of SEVERITIES) {
      const ofSeverity = findings.filter((finding) => finding.severity === severity);
      if (ofSeverity.length === 0) continue;
      write(`\n${severityTone(severity, s.bold(`${SEVERITY_HEADING[severity]} (${ofSeverity.length})`))}\n`);
      // One line per kind: how often, in which steps, and where to read why.
      const byId = new Map<string, Finding[]>();
      for (const finding of ofSeverity) byId.set(finding.id, [...(byId.get(finding.id) ?? []), finding]);
      for (const [id, group] of byId) {
        const stepsOf = [...new Set(group.map((finding) => finding.step + 1))].join(', ');
        const times = group.length > 1 ? ` ×${group.length}` : '';
        write(`   ${s.bold(id)}${times}  ${group[0]!.title} ${s.dim(`(step${stepsOf.includes(',') ? 's' : ''} ${stepsOf}; ${group[0]!.reference.title}: ${group[0]!.reference.url})`)}\n`);
      }
    }
    const counts = summary.steps;
    const verdict = summary.outcome === 'passed' ? s.green('passed') : s.red(summary.outcome);
    write(`\n${verdict}: ${counts.passed} passed, ${counts.failed} failed, ${counted(counts.error, 'error')}, ${counts.skipped} skipped · ${counted(summary.exchanges, 'exchange')} in ${formatMs(summary.durationMs)}\n`);
    const notApplied = steps.reduce((total, step) => total + (step.notApplied?.length ?? 0), 0);
    if (notApplied > 0) {
      // Said once at the end, so that a green run under --profile or --exact is not read as every check holding.
      write(s.dim(`${notApplied} check${notApplied === 1 ? '' : 's'} not applied (written for another IdP's traffic, or after a setup --exact left out): the findings judge those exchanges\n`));
    }
    const bySeverity = summary.findings ?? {
      error: findings.filter((finding) => finding.severity === 'error').length,
      warning: findings.filter((finding) => finding.severity === 'warning').length,
      info: findings.filter((finding) => finding.severity === 'info').length,
    };
    write(`${finalLine(bySeverity, steps.length, summary.exchanges, summary.durationMs)}\n`);
  };
  return { listener, finish };
}
