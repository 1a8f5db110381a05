/**
 * `npm run bench:idp` (and the second half of `npm run bench`): the mock IdP's runner measured
 * against the plainest client doing the same work on the same server in the same run, so results
 * are ratios rather than absolute numbers on a noisy machine.
 *
 * 1. Overhead per request: one GET by id at a time through the runner (a raw step, `repeat`,
 *    `concurrency: 1`, the remote target) against a loop of raw `fetch` calls, and against raw
 *    undici `Agent.request` (the remote target's own transport), with the runner's headers.
 * 2. Load throughput: the built-in `load` scenario (its steps, its concurrency, larger repeat
 *    counts) against autocannon sending the same requests, step by step, with as many connections.
 * 3. Wall time of every built-in but `load` against the local target in memory.
 *
 * The server is the real `scimulator serve` in a child process (lowdb file, `--seed 1000`, every
 * write fsync'ed); the clients run in this process.
 */
import { publishResults, targetsTable } from './publish.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Agent } from 'undici';
import { profileByName } from '../src-main/idp/profiles/index.js';
import { AUTHORIZATION } from '../src-main/runner/exchange.js';
import type { RunRecord } from '../src-main/runner/run-record.js';
import { runScenario } from '../src-main/runner/run.js';
import { createScenarioRuntime } from '../src-main/runner/scenario-runtime.js';
import type { Target } from '../src-main/runner/target.js';
import { createLocalTarget } from '../src-main/runner/targets/local-target.js';
import { createRemoteTarget } from '../src-main/runner/targets/remote-target.js';
import { builtinScenarios, loadBuiltin } from '../src-main/scenarios/library.js';
import { parseScenario } from '../src-main/scenarios/load.js';
import type { RequestStep, Scenario } from '../src-main/scenarios/scenario.js';
import { startServe, stopChild, type Serving } from './serve-child.js';

const TOKEN = 'bench-token';
const SEED_USERS = 1000;

/** Sequential GETs per measurement of the overhead, and back-to-back rounds of the three clients. */
const OVERHEAD_REQUESTS = Number(process.env.BENCH_IDP_REQUESTS ?? 2000);
const OVERHEAD_ROUNDS = Number(process.env.BENCH_IDP_ROUNDS ?? 7);
/** The `load` scenario's repeat counts times this, so a step runs long enough to measure. */
const LOAD_SCALE = Number(process.env.BENCH_IDP_LOAD_SCALE ?? 10);
const LOAD_ROUNDS = Number(process.env.BENCH_IDP_LOAD_ROUNDS ?? 7);
const WALL_RUNS = 5;
const WALL_TARGET_MS = 2000;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (ratio: number) => `${ratio >= 0 ? '+' : ''}${fmt(ratio * 100, 1)}%`;

/** Runs a scenario as `scimulator run` does, under the scenario's own profile. */
async function run(scenario: Scenario, target: Target): Promise<{ record: RunRecord; ms: number }> {
  const started = performance.now();
  const record = await runScenario({
    scenario,
    target,
    profile: profileByName(scenario.profile ?? 'generic'),
    runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
  });
  const ms = performance.now() - started;
  if (record.summary.outcome !== 'passed') {
    const bad = record.steps.filter((step) => step.outcome !== 'passed' && step.outcome !== 'skipped');
    throw new Error(`${scenario.name} did not pass: ${bad.map((step) => `${step.name}: ${step.message ?? step.outcome}`).join('; ')}`);
  }
  return { record, ms };
}

// ---------------------------------------------------------------------------------------------
// 1. Overhead per request

interface OverheadRound {
  /** Milliseconds per request, one at a time, on a kept-alive connection. */
  fetchMs: number;
  undiciMs: number;
  runnerMs: number;
}

interface OverheadResult {
  rounds: OverheadRound[];
  /** Medians of the rounds' own ratios (runner / client − 1). */
  addedVsFetch: number;
  addedVsUndici: number;
  fetchMs: number;
  undiciMs: number;
  runnerMs: number;
}

/** The headers the runner sends for a raw step under the generic profile, credential filled in. */
function wireHeaders(): [string, string][] {
  return profileByName('generic')
    .headers(false, {})
    .map(([name, value]) => [name, value === AUTHORIZATION ? `Bearer ${TOKEN}` : value]);
}

async function timeFetch(url: string, count: number): Promise<number> {
  const headers = wireHeaders();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`fetch: ${response.status}`);
    await response.text();
  }
  return (performance.now() - started) / count;
}

async function timeUndici(agent: Agent, url: URL, count: number): Promise<number> {
  const headers = wireHeaders().flat();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const response = await agent.request({ origin: url.origin, path: url.pathname, method: 'GET', headers });
    if (response.statusCode !== 200) throw new Error(`undici: ${response.statusCode}`);
    await response.body.text();
  }
  return (performance.now() - started) / count;
}

/** The same GETs as a scenario: a raw step with `repeat` and `concurrency: 1`, through the remote target. */
function getByIdScenario(id: string, count: number): Scenario {
  const yaml = [
    'name: runner-overhead',
    'description: one GET by id at a time',
    'profile: generic',
    'directory: { generate: 0 }',
    `variables: { id: "${id}" }`,
    'steps:',
    '  - name: read a user by id',
    `    repeat: ${count}`,
    '    concurrency: 1',
    '    request: { method: GET, path: "/Users/${id}" }',
  ].join('\n');
  return parseScenario(yaml, { source: 'bench:runner-overhead', format: 'yaml' });
}

async function timeRunner(baseUrl: string, scenario: Scenario, count: number): Promise<number> {
  const target = createRemoteTarget({ baseUrl, auth: { kind: 'bearer', token: TOKEN } });
  try {
    const { record, ms } = await run(scenario, target);
    // The record keeps a sample of a repeated step's exchanges; its counts cover all of them.
    const load = record.steps[0]!.load!;
    if (load.errors > 0 || load.requests !== count) throw new Error(`runner: ${load.errors} of ${load.requests} GETs failed`);
    return ms / count;
  } finally {
    await target.close();
  }
}

async function benchOverhead(server: Serving, id: string): Promise<OverheadResult> {
  const url = `${server.baseUrl}/Users/${id}`;
  const agent = new Agent();
  const scenario = getByIdScenario(id, OVERHEAD_REQUESTS);
  try {
    // Warm-up: the JIT, and the server's own caches, before anything counts.
    await timeFetch(url, 1000);
    await timeUndici(agent, new URL(url), 1000);
    await timeRunner(server.baseUrl, getByIdScenario(id, 1000), 1000);
    const rounds: OverheadRound[] = [];
    for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
      // The order rotates so no client always runs right after another's garbage.
      const measure = {
        fetchMs: () => timeFetch(url, OVERHEAD_REQUESTS),
        undiciMs: () => timeUndici(agent, new URL(url), OVERHEAD_REQUESTS),
        runnerMs: () => timeRunner(server.baseUrl, scenario, OVERHEAD_REQUESTS),
      };
      const order = (['fetchMs', 'undiciMs', 'runnerMs'] as const).map((_, i, all) => all[(i + round) % all.length]!);
      const measured: Partial<OverheadRound> = {};
      for (const key of order) measured[key] = await measure[key]();
      rounds.push(measured as OverheadRound);
    }
    return {
      rounds,
      addedVsFetch: median(rounds.map((r) => r.runnerMs / r.fetchMs - 1)),
      addedVsUndici: median(rounds.map((r) => r.runnerMs / r.undiciMs - 1)),
      fetchMs: median(rounds.map((r) => r.fetchMs)),
      undiciMs: median(rounds.map((r) => r.undiciMs)),
      runnerMs: median(rounds.map((r) => r.runnerMs)),
    };
  } finally {
    await agent.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Load throughput

interface LoadRound {
  /** Every exchange of the run (its connection test included) over the run's whole wall time. */
  runnerRps: number;
  runnerRequests: number;
  /** The same steps through autocannon, one run per step, over the sum of their wall times. */
  autocannonRps: number;
  autocannonRequests: number;
  /** This process's CPU time (user + system) per request: steadier than throughput on a shared machine. */
  runnerCpuMicros: number;
  autocannonCpuMicros: number;
  /** Per step, requests per second: the runner's own load stats, and autocannon's. */
  steps: { name: string; requests: number; runner: number; autocannon: number }[];
  errors: number;
}

interface LoadResult {
  scale: number;
  connections: number;
  rounds: LoadRound[];
  /** Median of the rounds' ratios (runner / autocannon). */
  ratio: number;
  runnerRps: number;
  autocannonRps: number;
  runnerCpuMicros: number;
  autocannonCpuMicros: number;
}

/** CPU time (user + system) this process spends in `work`, in microseconds. */
async function withCpu<T>(work: () => Promise<T>): Promise<{ value: T; cpuMicros: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, cpuMicros: used.user + used.system };
}

/** The built-in `load` with every repeat count multiplied: same requests, same concurrency. */
function scaledLoad(scale: number): Scenario {
  const load = loadBuiltin('load');
  return { ...load, steps: load.steps.map((step) => (step.repeat === undefined ? step : { ...step, repeat: step.repeat * scale })) };
}

/**
 * One load step as autocannon requests: the same method, path and body shape, with fresh
 * userNames for creates, and the id and userName the runner's run captured for the reads.
 */
function autocannonStep(basePath: string, step: RequestStep, user: { id: string; userName: string }, round: number): autocannon.Request {
  // autocannon's `path` replaces the URL's path rather than extending it.
  const path = basePath + step.path.replace('${userId}', user.id).replace('${userName}', user.userName);
  if (step.method === 'POST') {
    let n = 0;
    return {
      method: 'POST',
      path,
      setupRequest: (request) => {
        n++;
        const userName = `ac-${round}-${n}-${process.pid}@example.com`;
        return {
          ...request,
          body: JSON.stringify({
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName,
            name: { givenName: 'Load', familyName: `Autocannon ${n}` },
            emails: [{ value: userName, type: 'work', primary: true }],
            active: true,
          }),
        };
      },
    };
  }
  if (step.method === 'PATCH') {
    // A new title each time, as the scenario's generated names are: an unchanged value is no write.
    let n = 0;
    return {
      method: 'PATCH',
      path,
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'title', value: `Load Autocannon ${round} ${++n}` }],
        }),
      }),
    };
  }
  return { method: step.method as autocannon.Request['method'], path };
}

async function autocannonSteps(
  server: Serving,
  steps: readonly RequestStep[],
  user: { id: string; userName: string },
  round: number,
): Promise<{ rps: number; requests: number; errors: number; perStep: number[] }> {
  const headers = Object.fromEntries(wireHeaders());
  let totalMs = 0;
  let requests = 0;
  let errors = 0;
  const perStep: number[] = [];
  for (const step of steps) {
    const withBody = step.method === 'POST' || step.method === 'PATCH';
    const started = performance.now();
    let lastResponse = started;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: server.baseUrl,
          connections: step.concurrency ?? 1,
          amount: step.repeat ?? 1,
          headers: withBody ? { ...headers, 'Content-Type': 'application/scim+json' } : headers,
          requests: [autocannonStep(new URL(server.baseUrl).pathname, step, user, round)],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      // With `amount`, autocannon reports only at its next 1 s sample tick, long after the last
      // response: its own duration would make it look slow. Its time ends at its last response.
      instance.on('response', () => (lastResponse = performance.now()));
    });
    const ms = lastResponse - started;
    // A fast error is not throughput: the comparison holds only if every request did its work.
    if (result.non2xx + result.errors > 0) {
      throw new Error(`autocannon, ${step.method} ${step.path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    totalMs += ms;
    requests += result.requests.total;
    errors += result.non2xx + result.errors;
    perStep.push((result.requests.total / ms) * 1000);
  }
  return { rps: (requests / totalMs) * 1000, requests, errors, perStep };
}

/**
 * autocannon checks only status codes; a read that finds nothing is a fast 200. So each of its
 * reads is sent once first and must find what the scenario's own expectations find.
 */
async function checkAutocannonReads(server: Serving, steps: readonly RequestStep[], user: { id: string; userName: string }): Promise<void> {
  const { origin, pathname } = new URL(server.baseUrl);
  for (const step of steps.filter((s) => s.method === 'GET')) {
    const { path } = autocannonStep(pathname, step, user, 0);
    const response = await fetch(origin + path!, { headers: wireHeaders() });
    const body = (await response.json()) as { id?: string; totalResults?: number };
    const found = path!.includes('filter=') ? body.totalResults === 1 : body.id === user.id || (body.totalResults ?? 0) >= 1;
    if (response.status !== 200 || !found) throw new Error(`autocannon's ${path} finds nothing: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
}

async function benchLoad(server: Serving): Promise<LoadResult> {
  const scenario = scaledLoad(LOAD_SCALE);
  const loadSteps = scenario.steps.filter((step): step is RequestStep => step.kind === 'request');
  const connections = Math.max(...loadSteps.map((step) => step.concurrency ?? 1));
  const runOnce = async () => {
    const target = createRemoteTarget({ baseUrl: server.baseUrl, auth: { kind: 'bearer', token: TOKEN } });
    try {
      return await run(scenario, target);
    } finally {
      await target.close();
    }
  };
  // Warm-up, and the user the autocannon reads address (the scenario reads the user it created last).
  const warm = await runOnce();
  const created = warm.record.exchanges.filter((exchange) => exchange.request.method === 'POST' && exchange.response?.status === 201).at(-1)!;
  const body = JSON.parse(created.response!.body!) as { id: string; userName: string };
  const user = { id: body.id, userName: encodeURIComponent(body.userName) };
  await checkAutocannonReads(server, loadSteps, user);
  await autocannonSteps(server, loadSteps, user, -1);

  const rounds: LoadRound[] = [];
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    const runner = async () => {
      const { value, cpuMicros } = await withCpu(runOnce);
      const sent = value.record.summary.exchanges;
      return { record: value.record, rps: (sent / value.ms) * 1000, cpu: cpuMicros / sent };
    };
    const cannon = async () => {
      const { value, cpuMicros } = await withCpu(() => autocannonSteps(server, loadSteps, user, round));
      return { ...value, cpu: cpuMicros / value.requests };
    };
    // Alternate which goes first: the directory grows with every round's creates.
    const [r, a] = round % 2 === 0 ? [await runner(), await cannon()] : await (async () => {
      const a1 = await cannon();
      return [await runner(), a1] as const;
    })();
    const stepSummaries = r.record.steps.filter((step) => step.load !== undefined);
    rounds.push({
      runnerRps: r.rps,
      runnerRequests: r.record.summary.exchanges,
      autocannonRps: a.rps,
      autocannonRequests: a.requests,
      runnerCpuMicros: r.cpu,
      autocannonCpuMicros: a.cpu,
      steps: stepSummaries.map((step, i) => ({ name: step.name, requests: step.load!.requests, runner: step.load!.requestsPerSecond, autocannon: a.perStep[i]! })),
      errors: a.errors + stepSummaries.reduce((sum, step) => sum + step.load!.errors, 0),
    });
  }
  return {
    scale: LOAD_SCALE,
    connections,
    rounds,
    ratio: median(rounds.map((r) => r.runnerRps / r.autocannonRps)),
    runnerRps: median(rounds.map((r) => r.runnerRps)),
    autocannonRps: median(rounds.map((r) => r.autocannonRps)),
    runnerCpuMicros: median(rounds.map((r) => r.runnerCpuMicros)),
    autocannonCpuMicros: median(rounds.map((r) => r.autocannonCpuMicros)),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Wall time of the built-ins against the local target in memory

interface WallResult {
  name: string;
  profile: string;
  exchanges: number;
  runsMs: number[];
  medianMs: number;
  maxMs: number;
}

async function benchWallTimes(): Promise<WallResult[]> {
  const names = builtinScenarios()
    .map((info) => info.name)
    .filter((name) => name !== 'load');
  const results: WallResult[] = [];
  for (const name of names) {
    const scenario = loadBuiltin(name);
    const runsMs: number[] = [];
    let exchanges = 0;
    // One unmeasured run first: the first scenario would otherwise pay for everyone's JIT.
    for (let i = -1; i < WALL_RUNS; i++) {
      const target = await createLocalTarget();
      try {
        const { record, ms } = await run(scenario, target);
        if (i >= 0) runsMs.push(ms);
        exchanges = record.summary.exchanges;
      } finally {
        await target.close();
      }
    }
    results.push({ name, profile: scenario.profile ?? 'generic', exchanges, runsMs, medianMs: median(runsMs), maxMs: Math.max(...runsMs) });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!.toFixed(1);
  const dir = await mkdtemp(join(tmpdir(), 'scimulator-bench-idp-'));
  try {
    const server = await startServe(['--port', '0', '--db', join(dir, 'directory.json'), '--token', TOKEN, '--seed', String(SEED_USERS)]);
    let overhead: OverheadResult;
    let load: LoadResult;
    try {
      const page = (await (await fetch(`${server.baseUrl}/Users?count=1`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
        Resources: { id: string }[];
      };
      const id = page.Resources[0]!.id;
      overhead = await benchOverhead(server, id);
      console.log(
        `runner overhead: runner ${fmt(overhead.runnerMs * 1000)} µs, fetch ${fmt(overhead.fetchMs * 1000)} µs, undici ${fmt(overhead.undiciMs * 1000)} µs per GET; ` +
          `added ${pct(overhead.addedVsFetch)} vs fetch, ${pct(overhead.addedVsUndici)} vs undici`,
      );
      load = await benchLoad(server);
      console.log(
        `load: runner ${fmt(load.runnerRps)} req/s, autocannon ${fmt(load.autocannonRps)} req/s (${fmt(load.ratio * 100)}%); ` +
          `client CPU per request: runner ${fmt(load.runnerCpuMicros)} µs, autocannon ${fmt(load.autocannonCpuMicros)} µs`,
      );
    } finally {
      await stopChild(server);
    }
    const walls = await benchWallTimes();
    for (const wall of walls) console.log(`${wall.name}: median ${fmt(wall.medianMs)} ms, max ${fmt(wall.maxMs)} ms (${wall.exchanges} exchanges)`);

    const slowest = walls.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
    const checks: [string, string, boolean][] = [
      ['runner overhead per request < 15% added over raw `fetch`', pct(overhead.addedVsFetch), overhead.addedVsFetch < 0.15],
      ['`load` throughput ≥ 80% of autocannon on the same mix', `${fmt(load.ratio * 100)}%`, load.ratio >= 0.8],
      [`every built-in but \`load\` < 2 s against \`local\` (slowest: ${slowest.name}, max of ${WALL_RUNS})`, `${fmt(slowest.maxMs)} ms`, walls.every((w) => w.maxMs < WALL_TARGET_MS)],
    ];
    // The pair whose ratio is the median: its per-step rates are the ones the ratio summarises.
    const loadRound = [...load.rounds].sort((a, b) => a.runnerRps / a.autocannonRps - b.runnerRps / b.autocannonRps)[Math.floor(load.rounds.length / 2)]!;
    const table = [
      '### Mock IdP (`npm run bench:idp`)',
      '',
      'The runner against the plainest clients doing the same work on the same server, in the same run. Targets: the runner adds under 15% per request over raw `fetch`; the `load` scenario reaches at least 80% of autocannon\'s throughput on the same requests, so the load generator is never the bottleneck; every built-in but `load` runs in under 2 s against the local target.',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch} (${cpus().length} cores), Node ${process.version}; load average ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine competes with both clients and the server).`,
      `The server is \`scimulator serve --seed ${fmt(SEED_USERS)}\` in its own process (lowdb file, every write fsync'ed); every client runs in the bench process.`,
      '',
      `**Overhead per request.** ${fmt(OVERHEAD_REQUESTS)} GETs by id one at a time on a kept-alive connection, with the headers the runner sends: the runner (a raw step with \`repeat\` and \`concurrency: 1\` through the remote target, timed from \`runScenario\` to its record), raw \`fetch\`, and raw undici \`Agent.request\` (undici is the remote target's transport; the target drives it through \`Dispatcher.dispatch\`). ${OVERHEAD_ROUNDS} back-to-back rounds; the added time is the median of the rounds' ratios.`,
      '',
      '| client | per request | runner added |',
      '|---|---:|---:|',
      `| raw \`fetch\` | ${fmt(overhead.fetchMs * 1000)} µs | ${pct(overhead.addedVsFetch)} |`,
      `| raw undici \`Agent.request\` | ${fmt(overhead.undiciMs * 1000)} µs | ${pct(overhead.addedVsUndici)} |`,
      `| runner | ${fmt(overhead.runnerMs * 1000)} µs | |`,
      '',
      `**Load throughput.** The built-in \`load\` scenario with every \`repeat\` times ${load.scale} (${fmt(loadRound.runnerRequests)} requests, ${load.connections} at a time), timed from \`runScenario\` to its record; autocannon sends the same steps in turn (one run per step, \`amount\` = the step's \`repeat\`, connections = its \`concurrency\`), each timed from its start to its last response. ${LOAD_ROUNDS} back-to-back pairs; the ratio is the median of the pairs' ratios. Per step, the median pair's own rates.`,
      '',
      '| step (name as in the built-in) | requests | runner | autocannon |',
      '|---|---:|---:|---:|',
      ...loadRound.steps.map((step) => `| ${step.name} | ${fmt(step.requests)} | ${fmt(step.runner)}/s | ${fmt(step.autocannon)}/s |`),
      `| **whole run** (median of ${LOAD_ROUNDS}) | ${fmt(loadRound.runnerRequests)} | **${fmt(load.runnerRps)}/s** | **${fmt(load.autocannonRps)}/s** (runner ${fmt(load.ratio * 100)}%) |`,
      `| client CPU per request (median) | | ${fmt(load.runnerCpuMicros)} µs | ${fmt(load.autocannonCpuMicros)} µs |`,
      '',
      `**Wall time against \`local\`.** Each built-in but \`load\` against a fresh in-memory local target, under its own profile, ${WALL_RUNS} runs after one unmeasured run.`,
      '',
      '| scenario | profile | exchanges | median | max |',
      '|---|---|---:|---:|---:|',
      ...walls.map((w) => `| ${w.name} | ${w.profile} | ${fmt(w.exchanges)} | ${fmt(w.medianMs)} ms | ${fmt(w.maxMs)} ms |`),
      '',
      ...targetsTable(checks),
      '',
    ].join('\n');
    console.log('\n' + table);
    await publishResults({ file: 'idp-latest', section: 'bench-idp', table, json: { overhead, load, walls, checks } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
