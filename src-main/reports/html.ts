/**
 * The run as one self-contained HTML page, for people: the outcome and counts first, then the
 * findings with their explanation and reference, a timeline of the steps, and every exchange with
 * its request and response. No network at all (inline CSS, a Content-Security-Policy that allows
 * nothing else), every value from the run escaped, readable on screen and on paper. The one inline
 * script only opens the collapsed headers before printing; without it the page is complete.
 */
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { RunExchange } from '../runner/exchange.js';
import type { RunRecord } from '../runner/run-record.js';
import type { AssertionResult, StepOutcome, StepSummary } from '../runner/run-events.js';
import type { Finding, Severity } from '../verdicts/finding.js';
import { SCIMULATOR_VERSION } from '../version.js';
import { diffExpected, type RunDiff } from '../diffs/diff.js';
import { DIFF_STYLE, diffHtml, expectedHtml } from '../diffs/render.js';
import { valueText } from './finding-text.js';
import { htmlEscape as h } from './markup.js';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

const OUTCOME_MARK: Record<StepOutcome, string> = { passed: '✓', failed: '✗', error: '!', skipped: '–' };

const PRINT_SCRIPT = "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";

const STYLE = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--faint:#8c959f;--line:#d8dee4;--soft:#f6f8fa;--code:#f6f8fa;
--ok:#1a7f37;--ok-bg:#dafbe1;--bad:#cf222e;--bad-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;--info:#0969da;--info-bg:#ddf4ff;
--err:#8250df;--err-bg:#fbefff;--skip:#6e7781;--skip-bg:#eaeef2;--key:#0550ae;--str:#0a3069;--num:#953800;--lit:#8250df;
--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;
--sans:system-ui,-apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--faint:#6e7681;--line:#30363d;--soft:#161b22;--code:#161b22;
--ok:#3fb950;--ok-bg:#12261e;--bad:#f85149;--bad-bg:#25171c;--warn:#d29922;--warn-bg:#272115;--info:#4493f8;--info-bg:#121d2f;
--err:#ab7df8;--err-bg:#1f1631;--skip:#9198a1;--skip-bg:#1c2128;--key:#79c0ff;--str:#a5d6ff;--num:#ffa657;--lit:#d2a8ff}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:13px/1.45 var(--sans);font-variant-numeric:tabular-nums}
main{max-width:1280px;margin:0 auto;padding:20px 24px 40px}
a{color:var(--info);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:var(--mono);font-size:12px}
h1{font-size:20px;line-height:1.25;margin:2px 0 4px;display:flex;align-items:center;gap:10px;flex-wrap:wrap}
h2{font-size:15px;margin:28px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line);display:flex;align-items:baseline;gap:8px}
h2 .n{font-size:12px;font-weight:500;color:var(--muted)}
h3{font-size:13px;margin:18px 0 6px;color:var(--muted);font-weight:600}
.brand{font-size:11px;letter-spacing:.06em;text-transform:uppercase;color:var(--muted);font-weight:600}
.desc{margin:0 0 12px;color:var(--muted);max-width:90ch}
.pill{display:inline-block;border-radius:999px;padding:1px 8px;font-size:11px;font-weight:600;line-height:18px;white-space:nowrap;border:1px solid transparent}
.o-passed{color:var(--ok);background:var(--ok-bg)}.o-failed{color:var(--bad);background:var(--bad-bg)}
.o-error,.o-cancelled{color:var(--err);background:var(--err-bg)}.o-skipped{color:var(--skip);background:var(--skip-bg)}
.s-error{color:var(--bad);background:var(--bad-bg)}.s-warning{color:var(--warn);background:var(--warn-bg)}.s-info{color:var(--info);background:var(--info-bg)}
h1 .pill{font-size:12px;padding:2px 10px}
dl.meta{display:flex;flex-wrap:wrap;gap:2px 20px;margin:0}
dl.meta div{display:flex;gap:6px;min-width:0}dl.meta dt{color:var(--muted);flex:none}dl.meta dd{margin:0;overflow-wrap:anywhere}
.stats{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));border:1px solid var(--line);border-radius:6px;margin:16px 0 0;overflow:hidden}
.stat{padding:6px 12px;border-left:1px solid var(--line)}.stat:first-child{border-left:0}
.stat b{display:block;font-size:20px;line-height:1.2;font-weight:600}.stat span{color:var(--muted);font-size:12px}
.stat.bad b{color:var(--bad)}.stat.warn b{color:var(--warn)}.stat.info b{color:var(--info)}
.stat small{display:block;color:var(--faint);font-size:11px}
.unreachable{margin:12px 0 0;padding:8px 12px;border:1px solid var(--bad);border-radius:6px;background:var(--bad-bg)}
nav.toc{margin:14px 0 0;display:flex;gap:16px;font-size:12px}
.finding{border:1px solid var(--line);border-left:3px solid var(--sev);border-radius:6px;padding:8px 12px;margin:0 0 8px}
.finding.error{--sev:var(--bad)}.finding.warning{--sev:var(--warn)}.finding.info{--sev:var(--info)}
.fhead{display:flex;align-items:baseline;gap:8px;flex-wrap:wrap}
.fhead .title{font-weight:600}.fhead code{color:var(--muted)}
.finding p{margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.where{color:var(--muted);font-size:12px}
.ea{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin:6px 0}
.ea h5,.pane h4{margin:0 0 2px;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
pre{margin:0;background:var(--code);border:1px solid var(--line);border-radius:4px;padding:6px 8px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:480px;overflow:auto}
.ref{font-size:12px}.ref::before{content:"Reference: ";color:var(--muted)}
.none{color:var(--muted);font-style:italic}
table{border-collapse:collapse;width:100%}
.steps td,.steps th{padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top;text-align:left}
.steps th{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
.steps td.num{text-align:right;white-space:nowrap;color:var(--muted)}
.mark{font-weight:700;width:1.5em;text-align:center}.mark.passed{color:var(--ok)}.mark.failed{color:var(--bad)}.mark.error{color:var(--err)}.mark.skipped{color:var(--skip)}
.bar{position:relative;height:14px;min-width:160px;background:var(--soft);border-radius:2px}
.bar i{position:absolute;top:2px;bottom:2px;border-radius:2px;min-width:2px;background:var(--ok)}
.bar i.failed{background:var(--bad)}.bar i.error{background:var(--err)}.bar i.skipped{background:var(--skip)}
.steps .msg{color:var(--muted);white-space:pre-wrap;overflow-wrap:anywhere}
.steps ul{margin:2px 0 0;padding-left:16px}.steps li{margin:1px 0}
.counts .pill{margin-right:2px}
.exchange{border:1px solid var(--line);border-radius:6px;margin:0 0 8px;break-inside:avoid-page}
.exchange.has-error{border-color:var(--bad)}
.xhead{display:flex;align-items:baseline;gap:8px;flex-wrap:wrap;padding:5px 10px;background:var(--soft);border-bottom:1px solid var(--line);border-radius:6px 6px 0 0}
.xhead .idx{color:var(--faint);font-family:var(--mono);font-size:12px;min-width:3ch}
.xhead .method{font-family:var(--mono);font-weight:700;font-size:12px}
.xhead .path{font-family:var(--mono);font-size:12px;overflow-wrap:anywhere;flex:1 1 20ch;min-width:0}
.xhead .purpose{color:var(--muted)}
.xhead .time{color:var(--faint);font-size:12px;white-space:nowrap}
.st{font-family:var(--mono);font-size:12px;font-weight:700}.st2{color:var(--ok)}.st3{color:var(--info)}.st4{color:var(--warn)}.st5,.st0{color:var(--bad)}
.tag{font-size:11px;border:1px solid var(--line);border-radius:4px;padding:0 5px;color:var(--muted)}
.panes{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
.pane{padding:8px 10px;min-width:0}.pane+.pane{border-left:1px solid var(--line)}
.pane .url{font-family:var(--mono);font-size:12px;overflow-wrap:anywhere;margin:0 0 4px}
details{margin:0 0 6px}summary{cursor:pointer;color:var(--muted);font-size:12px;user-select:none}
.headers td{font-family:var(--mono);font-size:12px;padding:1px 8px 1px 0;vertical-align:top;overflow-wrap:anywhere}
.headers td:first-child{color:var(--muted);white-space:nowrap;width:1%}
.j-k{color:var(--key)}.j-s{color:var(--str)}.j-n{color:var(--num)}.j-l{color:var(--lit)}
.empty{color:var(--faint);font-size:12px;font-style:italic}
.failure{color:var(--bad);white-space:pre-wrap}
.not-applied{color:var(--muted)}
footer{margin-top:32px;padding-top:8px;border-top:1px solid var(--line);color:var(--faint);font-size:12px}
@media (max-width:900px){.panes,.ea{grid-template-columns:minmax(0,1fr)}.pane+.pane{border-left:0;border-top:1px solid var(--line)}.stats{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media print{
:root{--bg:#fff;--fg:#000;--soft:#f4f4f4;--code:#fafafa}
body{font-size:10.5pt}main{max-width:none;padding:0}
nav.toc{display:none}h2{break-after:avoid}
pre{max-height:none;overflow:visible}
.finding,.steps tr{break-inside:avoid}
.ref a::after{content:" (" attr(href) ")";color:var(--muted);overflow-wrap:anywhere}
summary{display:none}
}
@page{margin:14mm}
`;

/** A step's checks the run did not apply (another IdP's traffic, a setup left out), said as such. */
function notApplied(step: StepSummary): string {
  const checks = step.notApplied ?? [];
  if (checks.length === 0) return '';
  const items = checks.map((check) => {
    const line = check.line === undefined ? '' : ` <span class="where">(line ${check.line})</span>`;
    return `<li class="not-applied"><span class="mono">${h(check.check)}</span>${line} not applied: ${h(check.reason)}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Time of day with milliseconds, from an ISO timestamp (the run's own clock, UTC). */
function clock(iso: string): string {
  const match = /T(\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(iso);
  return match ? match[1]! : iso;
}

/** `2026-01-31 09:15:02 UTC` from an ISO timestamp in UTC; anything else as it is. */
function readableTime(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** Only web links become links: a record read from a file could hold a `javascript:` URL. */
function link(url: string, text: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${h(url)}" rel="noreferrer noopener">${h(text)}</a>` : `${h(text)} <span class="mono">${h(url)}</span>`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** JSON pretty-printed and coloured, or the text as it is when it is not JSON. */
function bodyHtml(body: string | undefined): string {
  if (body === undefined || body === '') return '<div class="empty">No body</div>';
  let pretty: string | undefined;
  try {
    pretty = JSON.stringify(JSON.parse(body) as unknown, null, 2);
  } catch {
    pretty = undefined;
  }
  if (pretty === undefined) return `<pre>${h(body)}</pre>`;
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
  let html = '';
  let last = 0;
  for (const match of pretty.matchAll(token)) {
    html += h(pretty.slice(last, match.index));
    const [text, string, colon] = match;
    if (string !== undefined) html += colon === undefined ? `<span class="j-s">${h(string)}</span>` : `<span class="j-k">${h(string)}</span>${colon}`;
    else html += `<span class="${/^[tfn]/.test(text) ? 'j-l' : 'j-n'}">${text}</span>`;
    last = match.index + text.length;
  }
  return `<pre>${html}${h(pretty.slice(last))}</pre>`;
}

function valueHtml(value: unknown): string {
  if (value === undefined) return '<div class="empty">nothing</div>';
  if (typeof value === 'string') return `<pre>${h(value)}</pre>`;
  try {
    return bodyHtml(JSON.stringify(value));
  } catch {
    return `<pre>${h(String(value))}</pre>`;
  }
}

function headersHtml(headers: readonly (readonly [string, string])[]): string {
  if (headers.length === 0) return '<div class="empty">No headers</div>';
  const rows = headers.map(([name, value]) => `<tr><td>${h(name)}</td><td>${h(value)}</td></tr>`).join('');
  return `<details><summary>Headers (${headers.length})</summary><table class="headers">${rows}</table></details>`;
}

function pathBelow(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return url.startsWith(base) ? url.slice(base.length) || '/' : url;
}

function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

function countPills(findings: readonly Finding[]): string {
  const counts = severityCounts(findings);
  return SEVERITIES.filter((severity) => counts[severity] > 0)
    .map((severity) => `<span class="pill s-${severity}">${plural(counts[severity], severity)}</span>`)
    .join('');
}

class Page {
  private readonly stepNames = new Map<number, string>();
  private readonly exchangesByIndex = new Map<number, RunExchange>();

  constructor(private readonly record: RunRecord) {
    for (const step of record.steps) this.stepNames.set(step.index, step.name);
    for (const exchange of record.exchanges) this.exchangesByIndex.set(exchange.index, exchange);
  }

  private stepLabel(index: number): string {
    const name = this.stepNames.get(index);
    return `<a href="#step-${index + 1}">Step ${index + 1}</a>${name === undefined ? '' : ` · ${h(name)}`}`;
  }

  private exchangeLabel(index: number): string {
    const exchange = this.exchangesByIndex.get(index);
    if (!exchange) return `exchange #${index}`;
    const status = exchange.response ? ` → ${exchange.response.status}` : ' → no response';
    return `<a href="#exchange-${index}">#${index} ${h(exchange.request.method)} ${h(pathBelow(exchange.request.url, this.record.target.baseUrl))}${h(status)}</a>`;
  }

  header(): string {
    const { record } = this;
    const meta: [string, string][] = [
      ['Profile', h(record.profile)],
      ['Target', `<span class="mono">${h(record.target.baseUrl)}</span>${record.target.key === record.target.baseUrl ? '' : ` (${h(record.target.key)})`}`],
      ['Seed', `<span class="mono">${h(String(record.seed))}</span>`],
      ['Run tag', `<span class="mono">${h(record.runTag)}</span>`],
      ['Traffic', record.exact ? "the IdP's only (--exact)" : "the IdP's and Scimulator's checks"],
      ['Scenario', `<span class="mono">${h(record.scenario.source)}</span>`],
      ['Started', `<time datetime="${h(record.startedAt)}">${h(readableTime(record.startedAt))}</time>`],
    ];
    return `<header>
<div class="brand">Scimulator run report</div>
<h1>${h(record.scenario.name)} <span class="pill o-${h(record.summary.outcome)}">${h(record.summary.outcome)}</span></h1>
${record.scenario.description ? `<p class="desc">${h(record.scenario.description)}</p>` : ''}
<dl class="meta">${meta.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('')}</dl>
</header>`;
  }

  stats(diffs: boolean): string {
    const { record } = this;
    const counts = severityCounts(record.findings);
    const steps = record.summary.steps;
    const breakdown = (['passed', 'failed', 'error', 'skipped'] as const)
      .filter((outcome) => steps[outcome] > 0)
      .map((outcome) => `${steps[outcome]} ${outcome}`)
      .join(' · ');
    const judged = record.summary.findings !== undefined || record.findings.length > 0;
    const tile = (kind: string, value: string, label: string, note = '') =>
      `<div class="stat ${kind}"><b>${value}</b><span>${label}</span>${note ? `<small>${note}</small>` : ''}</div>`;
    const unreachable =
      record.summary.unreachable === undefined
        ? ''
        : `<p class="unreachable"><b>The target could not be reached:</b> ${h(record.summary.unreachable)}</p>`;
    return `<section class="stats" aria-label="Summary">
${tile(counts.error > 0 ? 'bad' : '', String(counts.error), counts.error === 1 ? 'error' : 'errors', judged ? '' : 'not judged')}
${tile(counts.warning > 0 ? 'warn' : '', String(counts.warning), counts.warning === 1 ? 'warning' : 'warnings')}
${tile(counts.info > 0 ? 'info' : '', String(counts.info), 'info')}
${tile('', String(record.steps.length), record.steps.length === 1 ? 'step' : 'steps', h(breakdown))}
${tile('', String(record.summary.exchanges), record.summary.exchanges === 1 ? 'exchange' : 'exchanges')}
${tile('', h(formatMs(record.summary.durationMs)), 'time')}
</section>${unreachable}
<nav class="toc"><a href="#findings">Findings</a>${diffs ? '<a href="#diffs">Diffs</a>' : ''}<a href="#steps">Steps</a><a href="#exchanges">Exchanges</a></nav>`;
  }

  finding(finding: Finding, position: number): string {
    const where = [this.stepLabel(finding.step), ...(finding.exchange === undefined ? [] : [this.exchangeLabel(finding.exchange)])].join(' · ');
    const evidence =
      finding.expected === undefined && finding.actual === undefined
        ? ''
        : `<div class="ea"><div><h5>Expected</h5>${valueHtml(finding.expected)}</div><div><h5>Actual</h5>${valueHtml(finding.actual)}</div></div>`;
    return `<article class="finding ${h(finding.severity)}" id="finding-${position + 1}">
<div class="fhead"><span class="pill s-${h(finding.severity)}">${h(finding.severity)}</span><span class="title">${h(finding.title)}</span><code>${h(finding.id)}</code></div>
<div class="where">${where}</div>
${finding.message ? `<p>${h(finding.message)}</p>` : ''}${evidence}
<div class="ref">${link(finding.reference.url, finding.reference.title)}</div>
</article>`;
  }

  findings(): string {
    const { record } = this;
    const ordered = SEVERITIES.flatMap((severity) => record.findings.filter((finding) => finding.severity === severity));
    const body =
      ordered.length > 0
        ? ordered.map((finding) => this.finding(finding, record.findings.indexOf(finding))).join('\n')
        : `<p class="none">${record.summary.findings === undefined ? 'This run was not judged: only its outcomes are reported.' : 'No findings.'}</p>`;
    return `<section id="findings"><h2>Findings <span class="n">${record.findings.length}</span></h2>\n${body}\n</section>`;
  }

  private assertion(assertion: AssertionResult): string {
    const line = assertion.line === undefined ? '' : ` <span class="where">(line ${assertion.line})</span>`;
    return `<li class="failure"><span class="mono">${h(assertion.check)}</span>${line}: expected <code>${h(valueText(assertion.expected))}</code>, got <code>${h(valueText(assertion.actual))}</code></li>`;
  }

  private step(step: StepSummary, offsetMs: number, totalMs: number): string {
    const left = totalMs > 0 ? (offsetMs / totalMs) * 100 : 0;
    const width = totalMs > 0 ? (step.durationMs / totalMs) * 100 : 0;
    const own = this.record.findings.filter((finding) => finding.step === step.index);
    const failed = step.assertions.filter((assertion) => !assertion.passed);
    const load = step.load
      ? `<div class="msg">${h(`${step.load.requests} requests · ${step.load.requestsPerSecond.toFixed(1)}/s · p50 ${formatMs(step.load.p50)} · p95 ${formatMs(step.load.p95)} · p99 ${formatMs(step.load.p99)} · ${step.load.errors} errors`)}</div>${step.load.sampled ? `<div class="msg">${h(sampleNote(step))}</div>` : ''}`
      : '';
    const details = [
      step.message === undefined ? '' : `<div class="msg">${h(step.message)}</div>`,
      load,
      failed.length === 0 ? '' : `<ul>${failed.map((assertion) => this.assertion(assertion)).join('')}</ul>`,
      notApplied(step),
    ].join('');
    const exchanges = step.exchanges === 0 ? '0' : `<a href="#step-${step.index + 1}-exchanges">${step.exchanges}</a>`;
    return `<tr id="step-${step.index + 1}"><td class="num">${step.index + 1}</td><td class="mark ${h(step.outcome)}" title="${h(step.outcome)}">${OUTCOME_MARK[step.outcome]}</td>
<td><div>${h(step.name)} <span class="pill o-${h(step.outcome)}">${h(step.outcome)}</span></div>${details}</td>
<td class="counts">${countPills(own)}</td><td class="num">${exchanges}</td><td class="num">${h(formatMs(step.durationMs))}</td>
<td><div class="bar"><i class="${h(step.outcome)}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></i></div></td></tr>`;
  }

  steps(): string {
    const { record } = this;
    const total = record.steps.reduce((sum, step) => sum + step.durationMs, 0);
    let offset = 0;
    const rows = record.steps.map((step) => {
      const row = this.step(step, offset, total);
      offset += step.durationMs;
      return row;
    });
    return `<section id="steps"><h2>Steps <span class="n">${record.steps.length}</span></h2>
<table class="steps"><thead><tr><th class="num">#</th><th></th><th>Step</th><th>Findings</th><th class="num">Exchanges</th><th class="num">Time</th><th>Timeline</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
  }

  private exchange(exchange: RunExchange): string {
    const { request, response } = exchange;
    const own = this.record.findings.filter((finding) => finding.exchange === exchange.index);
    const statusClass = response ? `st${Math.floor(response.status / 100)}` : 'st0';
    const status = response ? `${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim() : 'no response';
    const tag = exchange.source === 'scimulator' ? '<span class="tag" title="A request Scimulator added for its checks">check</span>' : '';
    const retry = exchange.retryOf === undefined ? '' : `<span class="tag">retry ${exchange.retryOf}</span>`;
    const badges = own
      .map((finding) => `<a class="pill s-${h(finding.severity)}" href="#finding-${this.record.findings.indexOf(finding) + 1}">${h(finding.id)}</a>`)
      .join('');
    const responsePane = response
      ? `${headersHtml(Object.entries(response.headers))}${bodyHtml(response.body)}`
      : `<pre class="failure">${h(exchange.error ?? 'No response')}</pre>`;
    const errors = own.some((finding) => finding.severity === 'error');
    return `<article class="exchange${errors ? ' has-error' : ''}" id="exchange-${exchange.index}">
<div class="xhead"><span class="idx">#${exchange.index}</span><span class="method">${h(request.method)}</span><span class="path">${h(pathBelow(request.url, this.record.target.baseUrl))}</span><span class="st ${statusClass}">${h(status)}</span>${badges}${tag}${retry}<span class="purpose">${h(exchange.purpose)}</span><span class="time" title="${h(exchange.startedAt)}">${h(clock(exchange.startedAt))} · ${h(formatMs(exchange.durationMs))}</span></div>
<div class="panes"><div class="pane"><h4>Request</h4><div class="url">${h(request.method)} ${h(request.url)}</div>${headersHtml(request.headers)}${bodyHtml(request.body)}</div>
<div class="pane"><h4>Response</h4>${responsePane}</div></div>
</article>`;
  }

  exchanges(): string {
    const { record } = this;
    const groups: string[] = [];
    const steps = [...new Set(record.exchanges.map((exchange) => exchange.step))];
    for (const step of steps) {
      const name = this.stepNames.get(step);
      const own = record.exchanges.filter((exchange) => exchange.step === step);
      const summary = record.steps.find((candidate) => candidate.index === step);
      const note = summary?.load?.sampled ? `<p class="none">${h(sampleNote(summary))}</p>\n` : '';
      groups.push(
        `<h3 id="step-${step + 1}-exchanges">${step + 1}. ${name === undefined ? '' : h(name)}</h3>\n${note}${own.map((exchange) => this.exchange(exchange)).join('\n')}`,
      );
    }
    const body = groups.length > 0 ? groups.join('\n') : '<p class="none">No exchanges.</p>';
    return `<section id="exchanges"><h2>Exchanges <span class="n">${record.exchanges.length}</span></h2>\n${body}\n</section>`;
  }
}

export interface HtmlReportOptions {
  /** Differences from another run (`--compare`, `--baseline`): shown as a Diffs section. */
  readonly diff?: RunDiff;
}

/** What a sampled load step's record holds (runner/repetition-sample.ts). */
function sampleNote(step: StepSummary): string {
  const sampled = step.load!.sampled!;
  return `${sampled.kept} of ${step.exchanges} exchanges kept in full (every failed one and a sample); all ${sampled.checks} checks ran, ${sampled.checks - sampled.checksPassed} failed`;
}

/** The HTML report of a run: one file, nothing loaded from anywhere. */
export function htmlReport(record: RunRecord, options: HtmlReportOptions = {}): string {
  const page = new Page(record);
  const expected = expectedHtml(record.steps.flatMap((step) => diffExpected(step)));
  const diffs = options.diff === undefined ? '' : diffHtml(options.diff);
  const scriptHash = createHash('sha256').update(PRINT_SCRIPT).digest('base64');
  // Nothing but the inline style and this one script may run or load, whatever a response body holds.
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Scimulator ${SCIMULATOR_VERSION}">
<title>${h(`${record.scenario.name} · ${record.summary.outcome} · Scimulator`)}</title>
<style>${STYLE}${diffs || expected ? DIFF_STYLE : ''}</style>
</head>
<body>
<main>
${page.header()}
${page.stats(diffs !== '')}
${page.findings()}
${diffs}${expected}
${page.steps()}
${page.exchanges()}
<footer>Scimulator ${SCIMULATOR_VERSION} · ${h(record.scenario.name)} · profile ${h(record.profile)} · ${h(record.target.baseUrl)} · seed ${h(String(record.seed))} · credentials are redacted</footer>
</main>
<script>${PRINT_SCRIPT}</script>
</body>
</html>
`;
}
