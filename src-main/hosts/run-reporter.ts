/**
 * The terminal's view of a run: a line per step and per exchange as they happen (method, path,
 * status, time, what it was for), the failed assertions and the IdP's failures under their step,
 * and a summary table at the end. Colour only on a terminal.
 */
import type { RunEvent, StepSummary } from '../runner/run-events.js';

export interface Reporter {
  readonly listener: (event: RunEvent) => void;
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

export function createReporter(write: (text: string) => void, options: { colour: boolean; verbose?: boolean }): Reporter {
  const s = style(options.colour);
  let baseUrl = '';
  let shownInStep = 0;
  const steps: StepSummary[] = [];
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
      case 'step-finished': {
        const { step } = event;
        steps.push(step);
        for (const assertion of step.assertions.filter((a) => !a.passed)) {
          const where = assertion.line === undefined ? '' : ` (line ${assertion.line})`;
          write(`   ${s.red('✗')} ${assertion.check}${where}: expected ${JSON.stringify(assertion.expected)}, got ${JSON.stringify(assertion.actual)}\n`);
        }
        if (step.load) {
          const load = step.load;
          write(
            `   ${load.requests} requests, ${load.requestsPerSecond}/s, p50 ${formatMs(load.p50)}, p95 ${formatMs(load.p95)}, p99 ${formatMs(load.p99)}, errors ${(load.errorRate * 100).toFixed(1)}%\n`,
          );
        }
        const mark = tone(step.outcome, `${OUTCOME_MARK[step.outcome]} ${step.outcome}`);
        write(`   ${mark}${step.message ? ` — ${step.message}` : ''}\n`);
        return;
      }
      case 'run-finished': {
        const { summary } = event;
        write('\n');
        const width = Math.max(4, ...steps.map((step) => step.name.length));
        write(s.bold(`${'step'.padEnd(width + 4)}  result    exchanges  time\n`));
        for (const step of steps) {
          const label = `${String(step.index + 1).padStart(2)}. ${step.name}`.padEnd(width + 4);
          write(`${label}  ${tone(step.outcome, step.outcome.padEnd(8))}  ${String(step.exchanges).padStart(9)}  ${formatMs(step.durationMs)}\n`);
        }
        const counts = summary.steps;
        const verdict = summary.outcome === 'passed' ? s.green('passed') : s.red(summary.outcome);
        write(
          `\n${verdict}: ${counts.passed} passed, ${counts.failed} failed, ${counts.error} errors, ${counts.skipped} skipped · ${summary.exchanges} exchanges in ${formatMs(summary.durationMs)}\n`,
        );
        return;
      }
    }
  };
  return { listener };
}
