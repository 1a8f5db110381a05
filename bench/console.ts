/**
 * `npm run bench:console`: the console's local provider view in a real Chromium, against the real
 * `scimulator serve` (a child process) seeded with 10,000 users and 1,000 logged exchanges.
 *
 * 1. Time to first row: from navigation start to the first user row and the first traffic row
 *    in the DOM, against the same browser's first contentful paint of an empty page served over
 *    loopback in the same run (the baseline: what any page costs here). Also counts how many
 *    times the page fetched the whole request log at start-up (it must be once).
 * 2. Frame time while 500 requests/s stream in: requestAnimationFrame deltas in the page while
 *    this process sends 500 SCIM requests a second (a tenth of them creates, which also refresh
 *    the table), against an empty page's frames under the same stream (the machine's own
 *    contention: server, load generator and browser share its cores), and the console idle.
 *    Frame deltas come in whole vsync intervals and hide anything that still fits a frame, so the
 *    renderer's main-thread busy time (Chromium's own TaskDuration metric, over CDP) is reported
 *    alongside: the work the console adds per second of stream, which is what a slower machine
 *    turns into dropped frames. The console is also measured with its traffic list paused, which
 *    leaves only the table's live refreshes.
 *
 * Results are ratios against baselines measured in the same run, so a slow or busy machine moves
 * both sides; absolute figures are listed for reference.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { Agent } from 'undici';
import { publishResults, targetsTable } from './publish.js';

// The functions playwright runs in the page use browser globals; this program compiles without
// the DOM library (it would retype Node's fetch), so the few used are declared here.
declare const requestAnimationFrame: (callback: (now: number) => void) => number;
declare const window: { location: { hash: string } };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'scimulator.js');
const CHROMIUM = process.env.SCIMULATOR_CHROMIUM ?? '/usr/bin/chromium';
const TOKEN = 'bench-console-token';
const SEED_USERS = 10_000;
const LOGGED_EXCHANGES = 1_000;
const LOAD_ROUNDS = Number(process.env.BENCH_CONSOLE_ROUNDS ?? 7);
const STREAM_RATE = 500;
const STREAM_SECONDS = Number(process.env.BENCH_CONSOLE_STREAM_SECONDS ?? 5);
/** Targets: the first row within this many empty-page paints; p95 frame while streaming within this multiple of idle. */
const FIRST_ROW_TARGET = 10;
const FRAME_TARGET = 2;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

interface Serving {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly consoleUrl: string;
}

/** `scimulator serve` with the built console; resolves once it has printed both URLs. */
function startServe(args: readonly string[]): Promise<Serving> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const base = /SCIM base URL\s+(http:\/\/\S+)/.exec(output);
      const consoleLine = /Console\s+(http:\/\/\S+|not built)/.exec(output);
      if (base && consoleLine) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        if (consoleLine[1] === 'not built') reject(new Error('The console is not built: run `npx electron-vite build` first'));
        else resolve({ child, baseUrl: base[1]!, consoleUrl: consoleLine[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`scimulator serve exited with ${code}: ${output}`)));
  });
}

async function stopServe(serving: Serving): Promise<void> {
  if (serving.child.exitCode !== null) return;
  const exited = new Promise((resolve) => serving.child.once('exit', resolve));
  serving.child.kill('SIGTERM');
  await exited;
}

/** Across clients: every created userName is new. */
let created = 0;

/** A plain SCIM client, as the client under test would be: its traffic shows in the console. */
function scimClient(baseUrl: string) {
  const agent = new Agent({ connections: 32 });
  const { origin, pathname } = new URL(baseUrl);
  return {
    async get(path: string): Promise<void> {
      const response = await agent.request({ origin, path: pathname + path, method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode}`);
    },
    async create(): Promise<void> {
      const userName = `stream-${process.pid}-${++created}@example.com`;
      const response = await agent.request({
        origin,
        path: `${pathname}/Users`,
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true }),
      });
      await response.body.text();
      if (response.statusCode !== 201) throw new Error(`POST /Users: ${response.statusCode}`);
    },
    close: () => agent.close(),
  };
}

/** Records, in the page, when the first user row and the first traffic row appear. */
const FIRST_ROWS_PROBE = `(() => {
  const marks = {};
  window.__firstRows = marks;
  const check = () => {
    if (marks.user === undefined && document.querySelector('[data-testid="user-row"]')) marks.user = performance.now();
    if (marks.traffic === undefined && document.querySelector('[data-testid="traffic-row"]')) marks.traffic = performance.now();
    if (marks.user !== undefined && marks.traffic !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { childList: true, subtree: true }));
})();`;

interface FirstRowRound {
  emptyPaintMs: number;
  firstUserRowMs: number;
  firstTrafficRowMs: number;
  logFetches: number;
}

async function emptyPagePaint(page: Page, url: string): Promise<number> {
  await page.goto(url);
  // As a string: the page's paint timing API is not in this program's (Node) types.
  return (await page.evaluate(`new Promise((resolve) => {
    const found = performance.getEntriesByName('first-contentful-paint')[0];
    if (found) return resolve(found.startTime);
    new PerformanceObserver((list, observer) => {
      const entry = list.getEntriesByName('first-contentful-paint')[0];
      if (entry) {
        observer.disconnect();
        resolve(entry.startTime);
      }
    }).observe({ type: 'paint', buffered: true });
  })`)) as number;
}

async function firstRows(browser: Browser, serving: Serving, emptyUrl: string): Promise<FirstRowRound[]> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // The printed URL sets the console cookie once; every measured load is then a plain navigation.
  await page.goto(serving.consoleUrl);
  await page.getByTestId('user-row').first().waitFor();
  const origin = new URL(serving.baseUrl).origin;
  await page.addInitScript(FIRST_ROWS_PROBE);
  let logFetches = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/recentRequests')) logFetches++;
  });
  const rounds: FirstRowRound[] = [];
  // One unmeasured round each: caches, the JIT.
  await emptyPagePaint(page, emptyUrl);
  for (let round = -1; round < LOAD_ROUNDS; round++) {
    const emptyPaintMs = await emptyPagePaint(page, emptyUrl);
    logFetches = 0;
    await page.goto(`${origin}/#/provider`);
    // Functions, not strings: the console's CSP refuses eval, which a string would need.
    await page.waitForFunction(() => {
      const marks = (globalThis as unknown as { __firstRows?: { user?: number; traffic?: number } }).__firstRows;
      return marks?.user !== undefined && marks.traffic !== undefined;
    });
    // Let any second fetch the page might make show up before counting.
    await page.waitForTimeout(500);
    const marks = await page.evaluate(() => (globalThis as unknown as { __firstRows: { user: number; traffic: number } }).__firstRows);
    if (round >= 0) rounds.push({ emptyPaintMs, firstUserRowMs: marks.user, firstTrafficRowMs: marks.traffic, logFetches });
  }
  await context.close();
  return rounds;
}


/** requestAnimationFrame deltas in the page for `ms`. */
function recordFrames(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (duration) =>
      new Promise<number[]>((resolve) => {
        const deltas: number[] = [];
        let last = performance.now();
        const end = last + duration;
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(tick);
          else resolve(deltas);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(tick);
        });
      }),
    ms,
  );
}

interface Sample {
  readonly deltas: number[];
  /** Main-thread busy time in ms per second of wall time (1,000 would be a saturated thread). */
  readonly busyMsPerS: number;
}

/** Chromium's cumulative main-thread task time and its clock, both in seconds. */
async function taskClock(cdp: CDPSession): Promise<{ task: number; at: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return { task: value('TaskDuration'), at: value('Timestamp') };
}

/** Frame deltas for `ms`, and the renderer main thread's busy time over them. */
async function measure(page: Page, cdp: CDPSession, ms: number): Promise<Sample> {
  const before = await taskClock(cdp);
  const deltas = await recordFrames(page, ms);
  const after = await taskClock(cdp);
  return { deltas, busyMsPerS: ((after.task - before.task) / (after.at - before.at)) * 1000 };
}

/** Sends STREAM_RATE SCIM requests a second (one in ten a create) until the returned stop is called. */
function streamRequests(baseUrl: string): { stop(): Promise<{ sent: number; seconds: number }> } {
  const client = scimClient(baseUrl);
  let sent = 0;
  let stopped = false;
  const failures: unknown[] = [];
  const started = performance.now();
  const inflight = new Set<Promise<void>>();
  const loop = (async () => {
    // Paced in 10 ms ticks.
    const perTick = STREAM_RATE / 100;
    let tick = 0;
    while (!stopped) {
      for (let i = 0; i < perTick; i++) {
        const n = sent++;
        const request = (n % 10 === 0 ? client.create() : client.get(`/Users?count=1&startIndex=${(n % SEED_USERS) + 1}`)).catch((error: unknown) => {
          failures.push(error);
        });
        inflight.add(request);
        void request.finally(() => inflight.delete(request));
      }
      tick++;
      const due = started + tick * 10;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(inflight);
      const seconds = (performance.now() - started) / 1000;
      await client.close();
      if (failures.length > 0) throw new Error(`${failures.length} streamed requests failed: ${String(failures[0])}`);
      return { sent, seconds };
    },
  };
}

interface FrameResult {
  /** The console, nothing arriving. */
  idle: Sample;
  /** An empty page while the same stream hits the server: what the machine's contention alone costs. */
  emptyStreaming: Sample;
  /** The console while the stream arrives. */
  streaming: Sample;
  /** The same with the traffic list paused: only the table's live refreshes (and the header's counts) left. */
  pausedStreaming: Sample;
  sent: number;
  seconds: number;
}

async function frames(browser: Browser, serving: Serving, emptyUrl: string): Promise<FrameResult> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const ms = STREAM_SECONDS * 1000;

  await page.goto(emptyUrl);
  const emptyStream = streamRequests(serving.baseUrl);
  const emptyStreaming = await measure(page, cdp, ms);
  await emptyStream.stop();

  await page.goto(serving.consoleUrl);
  // Newest first: every create lands on the visible page and refreshes it.
  await page.evaluate(() => {
    window.location.hash = '#/provider?sort=meta.created&order=desc';
  });
  await page.getByTestId('user-row').first().waitFor();
  await page.getByTestId('traffic-row').first().waitFor();
  await page.waitForTimeout(1000);
  const idle = await measure(page, cdp, ms);
  const stream = streamRequests(serving.baseUrl);
  const streaming = await measure(page, cdp, ms);
  const { sent, seconds } = await stream.stop();
  await page.getByTestId('traffic-pause').click();
  await page.waitForTimeout(500);
  const pausedStream = streamRequests(serving.baseUrl);
  const pausedStreaming = await measure(page, cdp, ms);
  await pausedStream.stop();
  await context.close();
  return { idle, emptyStreaming, streaming, pausedStreaming, sent, seconds };
}

function report(first: FirstRowRound[], frame: FrameResult, machine: { load: string; loadEnd: string }): { table: string; json: unknown } {
  const emptyPaint = median(first.map((r) => r.emptyPaintMs));
  const userRow = median(first.map((r) => r.firstUserRowMs));
  const trafficRow = median(first.map((r) => r.firstTrafficRowMs));
  const userRatio = median(first.map((r) => r.firstUserRowMs / r.emptyPaintMs));
  const trafficRatio = median(first.map((r) => r.firstTrafficRowMs / r.emptyPaintMs));
  const fetches = Math.max(...first.map((r) => r.logFetches));
  const stat = ({ deltas, busyMsPerS }: Sample) => ({
    median: median(deltas),
    p95: percentile(deltas, 0.95),
    max: Math.max(...deltas),
    long: deltas.filter((d) => d > 50).length,
    frames: deltas.length,
    busyMsPerS,
  });
  const idle = stat(frame.idle);
  const emptyStreaming = stat(frame.emptyStreaming);
  const streaming = stat(frame.streaming);
  const pausedStreaming = stat(frame.pausedStreaming);
  const row = (label: string, s: ReturnType<typeof stat>) =>
    `| ${label} | ${s.frames} | ${fmt(s.median, 1)} ms | ${fmt(s.p95, 1)} ms | ${fmt(s.max, 1)} ms | ${s.long} | ${fmt(s.busyMsPerS)} ms/s |`;
  const frameRatio = streaming.p95 / emptyStreaming.p95;
  const rate = frame.sent / frame.seconds;
  const lines = [
    '### Console (`npm run bench:console`)',
    '',
    `The local provider view in headless Chromium (playwright-core) against \`scimulator serve --seed ${fmt(SEED_USERS)}\` in its own process, with ${fmt(LOGGED_EXCHANGES)} exchanges in its request log. Baselines are measured in the same run: an empty page's first contentful paint, and an empty page's frames under the same stream of requests.`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch} (${cpus().length} cores), Node ${process.version}; load average ${machine.load} at the start, ${machine.loadEnd} at the end.`,
    '',
    `**Time to first row.** Navigation start to the first row in the DOM, median of ${first.length} loads; the ratio is the median of each load's ratio to the empty page's paint just before it.`,
    '',
    '| | time | × empty page |',
    '|---|---:|---:|',
    `| empty page, first contentful paint (baseline) | ${fmt(emptyPaint, 1)} ms | 1.0 |`,
    `| first user row (10k users, page of 20) | ${fmt(userRow, 1)} ms | ${fmt(userRatio, 1)} |`,
    `| first traffic row (1,000 logged exchanges) | ${fmt(trafficRow, 1)} ms | ${fmt(trafficRatio, 1)} |`,
    `| whole request log fetched at start-up | ${fetches} time${fetches === 1 ? '' : 's'} | |`,
    '',
    `**Frame time while ${STREAM_RATE} requests/s stream in.** \`requestAnimationFrame\` deltas over ${STREAM_SECONDS} s each: an empty page while the same stream hits the server (the baseline: what the machine's contention alone costs a page), the console idle, and the console while this process sends ${fmt(frame.sent)} SCIM requests (${fmt(rate)}/s achieved; one in ten a create, on a newest-first table). The ratio compares the p95s of the console and the empty page under the same stream. Main thread: the renderer's busy time per second (Chromium's TaskDuration metric over CDP), which counts work that still fits in a frame here but would not on a slower machine. The last row is the console with its traffic list paused: only the table's live refreshes and the header's counts.`,
    '',
    '| page | frames | median | p95 | max | frames > 50 ms | main thread |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('empty page, streaming (baseline)', emptyStreaming),
    row('console, idle', idle),
    row('console, streaming', streaming),
    row('console, streaming, traffic paused', pausedStreaming),
    '',
    ...targetsTable([
      [`first user row within ${FIRST_ROW_TARGET}× an empty page's paint`, `${fmt(userRatio, 1)}×`, userRatio <= FIRST_ROW_TARGET],
      ['the request log fetched once at start-up', String(fetches), fetches === 1],
      [`console's p95 frame while streaming within ${FRAME_TARGET}× an empty page's under the same stream`, `${fmt(frameRatio, 2)}×`, frameRatio <= FRAME_TARGET],
    ]),
    '',
    'Where the time went before and after the live-update fixes, with several runs each: [docs/benchmarks.md](docs/benchmarks.md#console-npm-run-benchconsole-2026-12-07).',
    '',
  ];
  return {
    table: lines.join('\n'),
    json: { first, frame: { idle, emptyStreaming, streaming, pausedStreaming, sent: frame.sent, seconds: frame.seconds }, ratios: { userRatio, trafficRatio, frameRatio }, fetches },
  };
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: set SCIMULATOR_CHROMIUM`);
  const loadAtStart = loadavg()[0]!.toFixed(1);
  const dir = await mkdtemp(join(tmpdir(), 'scimulator-bench-console-'));
  const empty: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><html><head><title>empty</title></head><body><p>empty page</p></body></html>');
  });
  await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
  const emptyUrl = `http://127.0.0.1:${(empty.address() as AddressInfo).port}/`;
  let serving: Serving | undefined;
  let browser: Browser | undefined;
  try {
    serving = await startServe(['--port', '0', '--db', join(dir, 'directory.json'), '--token', TOKEN, '--seed', String(SEED_USERS)]);
    const client = scimClient(serving.baseUrl);
    for (let i = 0; i < LOGGED_EXCHANGES; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => client.get(`/Users?count=1&startIndex=${i + j + 1}`)));
    }
    await client.close();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    console.log('Time to first row…');
    const first = await firstRows(browser, serving, emptyUrl);
    console.log('Frame time while streaming…');
    const frame = await frames(browser, serving, emptyUrl);
    const { table, json } = report(first, frame, { load: loadAtStart, loadEnd: loadavg()[0]!.toFixed(1) });
    console.log(`\n${table}`);
    await publishResults({ file: 'console-latest', section: 'bench-console', table, json });
  } finally {
    await browser?.close();
    if (serving) await stopServe(serving);
    empty.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
