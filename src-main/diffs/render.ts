/**
 * Differences for people: coloured text for a terminal (one change per line, `- A` / `+ B`, so it
 * stays readable in a narrow window and in a CI log without colour) and an HTML fragment for the
 * run report (A and B side by side, changes highlighted). Both read the structured RunDiff.
 */
import { htmlEscape as h } from '../reports/markup.js';
import type { Change, ExchangePair, ExpectedDiff, HeaderDifference, RunDiff, StepDiff, UnpairedExchange } from './diff.js';
import { differingSteps } from './diff.js';
import type { NormalisedRequest } from './normalize.js';

export interface TextOptions {
  /** ANSI colour: only on a terminal. */
  readonly colour: boolean;
  /** Longest value shown on one line; longer ones are cut with `…` (the HTML report shows them whole). */
  readonly maxValueLength?: number;
  /** Changes shown per exchange before `… N more`. */
  readonly maxChangesPerExchange?: number;
}

interface Paint {
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

function paint(colour: boolean): Paint {
  const wrap = (open: number, close: number) => (text: string) => (colour ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function json(value: unknown): string {
  return value === undefined ? '(absent)' : (JSON.stringify(value) ?? String(value));
}

function requestLine(request: NormalisedRequest): string {
  return `${request.method} ${request.path}${request.query === undefined ? '' : `?${request.query}`}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One line saying how much differs, for the end of a run. */
export function diffSummaryLine(diff: RunDiff): string {
  const { counts } = diff;
  if (diff.identical) return `No differences: ${plural(counts.pairs, 'exchange')} paired, all the same after normalising.`;
  const parts = [
    `${plural(counts.differing, 'exchange')} of ${counts.pairs} differ`,
    ...(counts.onlyInA > 0 ? [`${counts.onlyInA} only in ${diff.a.label}`] : []),
    ...(counts.onlyInB > 0 ? [`${counts.onlyInB} only in ${diff.b.label}`] : []),
    ...(counts.stepOutcomesDiffering > 0 ? [`${plural(counts.stepOutcomesDiffering, 'step outcome')} differ`] : []),
  ];
  return `Differences: ${parts.join(', ')}.`;
}

/** The changes of one value as lines: `~ path` with `- a` and `+ b` under it, or `+ path: b`, `- path: a`. */
export function changeLines(changes: readonly Change[], options: TextOptions, indent = ''): string[] {
  const p = paint(options.colour);
  const max = options.maxValueLength ?? 160;
  const limit = options.maxChangesPerExchange ?? 20;
  const lines: string[] = [];
  for (const change of changes.slice(0, limit)) {
    if (change.kind === 'added') lines.push(`${indent}${p.green(`+ ${change.path}: ${shorten(json(change.b), max)}`)}`);
    else if (change.kind === 'removed') lines.push(`${indent}${p.red(`- ${change.path}: ${shorten(json(change.a), max)}`)}`);
    else {
      lines.push(`${indent}${p.yellow('~')} ${change.path}`);
      lines.push(`${indent}    ${p.red(`- ${shorten(json(change.a), max)}`)}`);
      lines.push(`${indent}    ${p.green(`+ ${shorten(json(change.b), max)}`)}`);
    }
  }
  if (changes.length > limit) lines.push(`${indent}${p.dim(`… ${changes.length - limit} more (the HTML report shows every change: --report-html FILE)`)}`);
  return lines;
}

function headerLines(differences: readonly HeaderDifference[], options: TextOptions, indent: string): string[] {
  const p = paint(options.colour);
  return differences.flatMap((difference) => [
    `${indent}${p.yellow('~')} header ${difference.name}`,
    `${indent}    ${p.red(`- ${difference.a ?? '(absent)'}`)}`,
    `${indent}    ${p.green(`+ ${difference.b ?? '(absent)'}`)}`,
  ]);
}

function pairLines(pair: ExchangePair, diff: RunDiff, options: TextOptions): string[] {
  const p = paint(options.colour);
  const check = pair.source === 'scimulator' ? p.dim(' (check)') : '';
  const lines = [`   ${p.bold(requestLine(pair.request.a))}  ${p.dim(`${pair.purpose} · #${pair.index.a} / #${pair.index.b}`)}${check}`];
  const indent = '     ';
  if (pair.requestChanges && pair.requestChanges.length > 0) {
    lines.push(`${indent}${p.dim('request:')}`, ...changeLines(pair.requestChanges, options, `${indent}  `));
  }
  if (pair.status) {
    lines.push(
      `${indent}${p.yellow('~')} status`,
      `${indent}    ${p.red(`- ${pair.status.a ?? 'no response'}`)}  ${p.dim(diff.a.label)}`,
      `${indent}    ${p.green(`+ ${pair.status.b ?? 'no response'}`)}  ${p.dim(diff.b.label)}`,
    );
  }
  if (pair.headerDifferences) lines.push(...headerLines(pair.headerDifferences, options, indent));
  if (pair.bodyChanges && pair.bodyChanges.length > 0) {
    lines.push(`${indent}${p.dim('body:')}`, ...changeLines(pair.bodyChanges, options, `${indent}  `));
  }
  return lines;
}

function unpairedLine(exchange: UnpairedExchange, diff: RunDiff, options: TextOptions): string {
  const p = paint(options.colour);
  const side = exchange.kind === 'only-in-a' ? diff.a.label : diff.b.label;
  const mark = exchange.kind === 'only-in-a' ? p.red('-') : p.green('+');
  return `   ${mark} ${requestLine(exchange.request)} → ${exchange.status ?? 'no response'}  ${p.dim(`${exchange.purpose} · only in ${side} (#${exchange.index})`)}`;
}

function stepLines(step: StepDiff, diff: RunDiff, options: TextOptions): string[] {
  const p = paint(options.colour);
  const lines = [p.bold(`${step.index + 1}. ${step.name}`)];
  if (step.outcome.a !== step.outcome.b) {
    lines.push(`   ${p.yellow('~')} outcome ${p.red(`- ${step.outcome.a ?? 'not run'}`)} ${p.green(`+ ${step.outcome.b ?? 'not run'}`)}`);
  }
  for (const exchange of step.exchanges) {
    if (exchange.kind === 'pair') {
      if (!exchange.same) lines.push(...pairLines(exchange, diff, options));
    } else lines.push(unpairedLine(exchange, diff, options));
  }
  return lines;
}

/** The whole diff as terminal text: a heading, each differing step, and the summary line. */
export function diffText(diff: RunDiff, options: TextOptions): string {
  const p = paint(options.colour);
  const heading = `${p.bold('Differences')} ${p.red(`- ${diff.a.label}`)} ${p.green(`+ ${diff.b.label}`)} ${p.dim(`· ${diff.a.scenario} · ids, times, versions, hosts and the run tag normalised`)}`;
  const steps = differingSteps(diff);
  const body = steps.flatMap((step) => ['', ...stepLines(step, diff, options)]);
  return [heading, ...body, '', diffSummaryLine(diff), ''].join('\n');
}

/** A step's failed assertions as expected vs actual, as a diff where both are JSON. */
export function expectedText(diffs: readonly ExpectedDiff[], options: TextOptions): string {
  const p = paint(options.colour);
  const max = options.maxValueLength ?? 160;
  const lines: string[] = [];
  for (const diff of diffs) {
    const where = diff.line === undefined ? '' : p.dim(` (line ${diff.line})`);
    lines.push(`${p.bold(`${diff.step + 1}.`)} ${diff.check}${where}`);
    if (diff.changes && diff.changes.length > 0) lines.push(...changeLines(diff.changes, options, '   '));
    else lines.push(`   ${p.red(`- expected ${shorten(json(diff.expected), max)}`)}`, `   ${p.green(`+ actual   ${shorten(json(diff.actual), max)}`)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML

/** Styles of the fragment, added to the report's own when a diff is shown (the report's colour variables). */
export const DIFF_STYLE = `
.diff-step{margin:0 0 14px}
.diff-x{border:1px solid var(--line);border-radius:6px;margin:0 0 8px;break-inside:avoid-page}
.diff-x .xhead{border-radius:6px 6px 0 0}
table.diff{width:100%;border-collapse:collapse;table-layout:fixed}
table.diff th,table.diff td{padding:3px 8px;border-top:1px solid var(--line);vertical-align:top;text-align:left;font-family:var(--mono);font-size:12px;overflow-wrap:anywhere;white-space:pre-wrap}
table.diff th{font-family:var(--sans);font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
table.diff td.path{color:var(--muted);width:28%}
table.diff td.a.changed,table.diff td.a.removed{background:var(--bad-bg);color:var(--bad)}
table.diff td.b.changed,table.diff td.b.added{background:var(--ok-bg);color:var(--ok)}
table.diff td.absent{color:var(--faint);font-style:italic}
.only{padding:5px 10px}.only.a{background:var(--bad-bg)}.only.b{background:var(--ok-bg)}
.diff-sides{display:flex;gap:16px;flex-wrap:wrap;margin:0 0 10px;font-size:12px}
.diff-sides .a{color:var(--bad)}.diff-sides .b{color:var(--ok)}
`;

function cell(side: 'a' | 'b', change: Change): string {
  const present = side === 'a' ? change.kind !== 'added' : change.kind !== 'removed';
  if (!present) return `<td class="${side} absent">absent</td>`;
  const value = side === 'a' ? change.a : change.b;
  return `<td class="${side} ${change.kind}">${h(JSON.stringify(value, null, 2) ?? String(value))}</td>`;
}

function changeRows(changes: readonly Change[], prefix = ''): string {
  return changes.map((change) => `<tr><td class="path">${h(`${prefix}${change.path}`)}</td>${cell('a', change)}${cell('b', change)}</tr>`).join('');
}

function pairHtml(pair: ExchangePair, diff: RunDiff): string {
  const rows: string[] = [];
  if (pair.requestChanges) rows.push(changeRows(pair.requestChanges, 'request '));
  if (pair.status) {
    rows.push(changeRows([{ path: 'status', kind: 'changed', a: pair.status.a ?? 'no response', b: pair.status.b ?? 'no response' }]));
  }
  for (const header of pair.headerDifferences ?? []) {
    const kind = header.a === undefined ? 'added' : header.b === undefined ? 'removed' : 'changed';
    rows.push(changeRows([{ path: `header ${header.name}`, kind, ...(header.a === undefined ? {} : { a: header.a }), ...(header.b === undefined ? {} : { b: header.b }) }]));
  }
  if (pair.bodyChanges) rows.push(changeRows(pair.bodyChanges, 'body '));
  const check = pair.source === 'scimulator' ? '<span class="tag">check</span>' : '';
  return `<article class="diff-x">
<div class="xhead"><span class="method">${h(pair.request.a.method)}</span><span class="path">${h(requestLine(pair.request.a).slice(pair.request.a.method.length + 1))}</span>${check}<span class="purpose">${h(pair.purpose)}</span><span class="time">#${pair.index.a} / #${pair.index.b}</span></div>
<table class="diff"><thead><tr><th>Where</th><th>${h(diff.a.label)}</th><th>${h(diff.b.label)}</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</article>`;
}

function unpairedHtml(exchange: UnpairedExchange, diff: RunDiff): string {
  const side = exchange.kind === 'only-in-a' ? 'a' : 'b';
  const label = side === 'a' ? diff.a.label : diff.b.label;
  return `<article class="diff-x"><div class="only ${side}"><span class="mono">${h(requestLine(exchange.request))} → ${h(String(exchange.status ?? 'no response'))}</span> · ${h(exchange.purpose)} · only in <b>${h(label)}</b> (#${exchange.index})</div></article>`;
}

/** The run diff as an HTML fragment (a `<section id="diffs">`); every value escaped. */
export function diffHtml(diff: RunDiff): string {
  const steps = differingSteps(diff).map((step) => {
    const outcome =
      step.outcome.a === step.outcome.b
        ? ''
        : `<p class="where">Outcome: <span class="pill o-${h(step.outcome.a ?? 'skipped')}">${h(step.outcome.a ?? 'not run')}</span> in ${h(diff.a.label)}, <span class="pill o-${h(step.outcome.b ?? 'skipped')}">${h(step.outcome.b ?? 'not run')}</span> in ${h(diff.b.label)}</p>`;
    const exchanges = step.exchanges
      .map((exchange) => (exchange.kind === 'pair' ? (exchange.same ? '' : pairHtml(exchange, diff)) : unpairedHtml(exchange, diff)))
      .join('\n');
    return `<div class="diff-step"><h3>${step.index + 1}. ${h(step.name)}</h3>${outcome}\n${exchanges}</div>`;
  });
  const sides = `<div class="diff-sides"><span class="a">A: ${h(diff.a.label)} <span class="mono">${h(diff.a.baseUrl)}</span> · seed ${h(String(diff.a.seed))}</span><span class="b">B: ${h(diff.b.label)} <span class="mono">${h(diff.b.baseUrl)}</span> · seed ${h(String(diff.b.seed))}</span></div>`;
  return `<section id="diffs"><h2>Diffs <span class="n">${h(diffSummaryLine(diff))}</span></h2>
${sides}
<p class="desc">Server ids, the IdP's externalIds and the run tag are mapped to placeholders; meta.created, lastModified and version, ETag values, hosts and base paths are ignored; multi-valued attributes compare as sets.</p>
${steps.join('\n')}
</section>`;
}

/** Failed assertions whose expected and actual values are JSON, as a side-by-side diff. */
export function expectedHtml(diffs: readonly ExpectedDiff[]): string {
  const structured = diffs.filter((diff) => diff.changes !== undefined && diff.changes.length > 0);
  if (structured.length === 0) return '';
  const blocks = structured.map(
    (diff) => `<article class="diff-x"><div class="xhead"><span class="path">${h(`${diff.step + 1}. ${diff.check}`)}</span>${diff.line === undefined ? '' : `<span class="time">line ${diff.line}</span>`}</div>
<table class="diff"><thead><tr><th>Where</th><th>Expected</th><th>Actual</th></tr></thead><tbody>${changeRows(diff.changes ?? [])}</tbody></table></article>`,
  );
  return `<section id="expected-diffs"><h2>Expected vs actual <span class="n">${structured.length}</span></h2>\n${blocks.join('\n')}\n</section>`;
}
