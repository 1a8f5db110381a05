/**
 * `npm run bench`: throughput and latency of the SCIM server against the ceiling of this machine
 * (a raw node:http server answering a fixed JSON body), measured in the same run so results are
 * ratios rather than absolute numbers on a noisy machine.
 *
 * Each server runs in its own child process (the real `scimulator serve`, with a lowdb file and
 * every write fsync'ed); autocannon drives it from this process over loopback.
 */
import { publishResults, targetsTable } from './publish.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request as httpRequest } from 'node:http';
import autocannon from 'autocannon';
import { buildSeedDirectory } from '../src-main/seed.js';
import { DirectoryStore } from '../src-main/store/directory-store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'scimulator.js');
const TOKEN = 'bench-token';
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 16;
const ROUNDS = 7;
const ROUND_SECONDS = 2;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianBy = <T>(items: T[], key: (item: T) => number): T => [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time (user + system, all threads) per request, when the server's pid was given. */
  cpuMicros?: number;
}

/** CPU time a process has used so far, in microseconds (Linux /proc; undefined elsewhere). */
async function cpuTimeMicros(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

interface Running {
  child: ChildProcess;
  origin: string;
  startMs: number;
}

function startChild(args: string[], ready: RegExp): Promise<Running> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve({ child, origin: match[1]!, startMs: performance.now() - started });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`child exited with ${code}: ${output}`)));
  });
}

async function stop(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  await exited;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function load(
  origin: string,
  setup: (request: autocannon.Request) => autocannon.Request,
  method = 'GET',
  seconds = DURATION,
  pid?: number,
): Promise<Measured> {
  const cpuBefore = await cpuTimeMicros(pid);
  const result = await autocannon({
    url: origin,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
    requests: [{ method: method as autocannon.Request['method'], setupRequest: setup }],
  });
  const cpuAfter = await cpuTimeMicros(pid);
  const requests = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    ...(cpuBefore !== undefined && cpuAfter !== undefined && requests > 0 ? { cpuMicros: (cpuAfter - cpuBefore) / requests } : {}),
  };
}

/**
 * Latency of one request at a time on a kept-alive connection: what a single IdP worker sees.
 * autocannon's histogram has 1 ms resolution, too coarse for sub-millisecond targets.
 */
async function probeLatency(origin: string, path: () => string, count = 1000): Promise<{ p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  const url = new URL(origin);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: path(), agent, headers: { authorization: `Bearer ${TOKEN}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end();
    });
    times.push(performance.now() - started);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count * 0.5)]!, p99: times[Math.floor(count * 0.99)]! };
}

// The ceiling answers every request with the exact bytes and headers of a real GET-by-id
// response, so the comparison isolates the server's own work from the cost of moving bytes.
const RAW_SERVER = `
const http = require('node:http');
const { headers, body } = JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'));
const server = http.createServer((req, res) => { res.writeHead(200, headers); res.end(body); });
server.listen(0, '127.0.0.1', () => console.log('listening http://127.0.0.1:' + server.address().port));
`;

const pickFrom = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

interface Latency {
  p50: number;
  p99: number;
}

interface SizeResult {
  size: number;
  /** The raw server's throughput, measured in rounds interleaved with GET by id. */
  ceiling: Measured;
  ceilingLatency: Latency;
  /** Median over rounds of (GET by id / raw), each pair measured back to back. */
  getByIdRatio: number;
  /** Median server CPU µs per request (NaN where /proc is unavailable). */
  ceilingCpu: number;
  getByIdCpu: number;
  /** Start-up on the seeded file: `size` users and groups, as `--seed` or an import leaves it. */
  startupMs: number;
  /** Start-up again after the run's writes (more users, compacted or journaled): a real restart. */
  restartMs: number;
  restartUsers: number;
  rssMiB: number;
  getById: Measured;
  getByIdLatency: Latency;
  filterEq: Measured;
  filterEqLatency: Latency;
  page100: Measured;
  create: Measured;
  memberPatch: Measured;
}

/** The exact bytes and headers of one GET-by-id response, for the raw ceiling to replay. */
async function sampleResponse(origin: string, path: string): Promise<{ headers: Record<string, string>; body: string }> {
  const response = await fetch(origin + path, { headers: { authorization: `Bearer ${TOKEN}` } });
  const body = await response.text();
  return {
    headers: {
      'content-type': response.headers.get('content-type')!,
      etag: response.headers.get('etag')!,
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}

async function startRaw(dir: string, sample: { headers: Record<string, string>; body: string }): Promise<Running> {
  const script = join(dir, 'raw.cjs');
  const sampleFile = join(dir, 'sample.json');
  await writeFile(script, RAW_SERVER);
  await writeFile(sampleFile, JSON.stringify(sample));
  return startChild([script, sampleFile], /listening (http:\/\/\S+)/);
}

async function countUsers(origin: string): Promise<number> {
  const response = await fetch(`${origin}/scim/v2/Users?count=0`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await response.json()) as { totalResults: number }).totalResults;
}

const SERVE_READY = /SCIM base URL\s+(http:\/\/[^/\s]+)/;

async function benchSize(dir: string, size: number): Promise<SizeResult> {
  const db = join(dir, `directory-${size}.json`);
  const seed = buildSeedDirectory(size);
  const store = await DirectoryStore.open({ file: db });
  await store.importDocument(seed);
  await store.close();
  const userIds = seed.users.map((u) => u.id);
  const userNames = seed.users.map((u) => u.userName as string);
  const teamGroups = seed.groups.filter((g) => (g.displayName as string).includes(' - ')).map((g) => g.id);
  const base = '/scim/v2';
  const byId = () => `${base}/Users/${pickFrom(userIds)}`;
  const byUserName = () => `${base}/Users?filter=${encodeURIComponent(`userName eq "${pickFrom(userNames)}"`)}`;

  const server = await startChild([BIN, 'serve', '--port', '0', '--db', db, '--token', TOKEN], SERVE_READY);
  try {
    const raw = await startRaw(dir, await sampleResponse(server.origin, byId()));
    // Warm-up, so the first row does not pay for the JIT.
    await probeLatency(server.origin, byId, 2000);
    await probeLatency(server.origin, byUserName, 2000);
    await probeLatency(raw.origin, () => '/', 2000);
    const ceilingLatency = await probeLatency(raw.origin, () => '/');
    const getByIdLatency = await probeLatency(server.origin, byId);
    const filterEqLatency = await probeLatency(server.origin, byUserName);
    // The machine is noisy, so the ratio comes from short back-to-back pairs, not two far-apart runs.
    const ceilings: Measured[] = [];
    const gets: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ceilings.push(await load(raw.origin, (r) => ({ ...r, path: '/' }), 'GET', ROUND_SECONDS, raw.child.pid));
      gets.push(await load(server.origin, (r) => ({ ...r, path: byId() }), 'GET', ROUND_SECONDS, server.child.pid));
    }
    await stop(raw);
    const ceiling = medianBy(ceilings, (m) => m.rps);
    const getById = medianBy(gets, (m) => m.rps);
    const getByIdRatio = median(gets.map((m, i) => m.rps / ceilings[i]!.rps));
    // CPU per request is far steadier than throughput on a shared VM: the same comparison, by cost.
    const ceilingCpu = median(ceilings.map((m) => m.cpuMicros ?? Number.NaN));
    const getByIdCpu = median(gets.map((m) => m.cpuMicros ?? Number.NaN));
    const filterEq = await load(server.origin, (r) => ({ ...r, path: byUserName() }));
    const page100 = await load(server.origin, (r) => ({
      ...r,
      path: `${base}/Users?startIndex=${1 + Math.floor(Math.random() * Math.max(1, size - 100))}&count=100`,
    }));
    let n = 0;
    const create = await load(
      server.origin,
      (r) => ({
        ...r,
        path: `${base}/Users`,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `bench-${size}-${n++}@example.com`,
          name: { givenName: 'Bench', familyName: `User ${n}` },
          emails: [{ value: `bench-${size}-${n}@example.com`, type: 'work', primary: true }],
          active: true,
        }),
      }),
      'POST',
    );
    let flip = 0;
    const memberPatch = await load(
      server.origin,
      (r) => {
        const member = pickFrom(userIds);
        const operation =
          flip++ % 2 === 0
            ? { op: 'add', path: 'members', value: [{ value: member }] }
            : { op: 'remove', path: `members[value eq "${member}"]` };
        return {
          ...r,
          path: `${base}/Groups/${pickFrom(teamGroups)}`,
          body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [operation] }),
        };
      },
      'PATCH',
    );
    const rss = await rssMiB(server.child.pid!);
    await stop(server);
    // Again on the file the run left behind (more users; snapshot + journal): a restart after real use.
    const restarted = await startChild([BIN, 'serve', '--port', '0', '--db', db, '--token', TOKEN], SERVE_READY);
    const restartRss = await rssMiB(restarted.child.pid!);
    const restartUsers = await countUsers(restarted.origin);
    await stop(restarted);
    return {
      size,
      ceiling,
      ceilingLatency,
      getByIdRatio,
      ceilingCpu,
      getByIdCpu,
      startupMs: server.startMs,
      restartMs: restarted.startMs,
      restartUsers,
      rssMiB: Math.max(rss, restartRss),
      getById,
      getByIdLatency,
      filterEq,
      filterEqLatency,
      page100,
      create,
      memberPatch,
    };
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (m: Measured) => `${fmt(m.rps)} req/s · p50 ${fmt(m.p50)} ms · p99 ${fmt(m.p99)} ms${m.errors ? ` · ${m.errors} errors` : ''}`;
const cell = (m: Measured) => `${fmt(m.rps)}/s${m.errors ? ` (${m.errors} errors)` : ''}`;
const lat = (l: Latency) => `${fmt(l.p50, 2)} / ${fmt(l.p99, 2)} ms`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'scimulator-bench-'));
  try {
    const results: SizeResult[] = [];
    for (const size of SIZES) {
      const result = await benchSize(dir, size);
      results.push(result);
      console.log(`${fmt(size)} users: start-up ${fmt(result.startupMs)} ms, restart after the run ${fmt(result.restartMs)} ms (${fmt(result.restartUsers)} users), RSS ${fmt(result.rssMiB)} MiB`);
      console.log(`  raw ceiling          ${line(result.ceiling)}; one at a time ${lat(result.ceilingLatency)}`);
      console.log(`  GET by id            ${line(result.getById)} (${fmt(result.getByIdRatio * 100)}% of raw); one at a time ${lat(result.getByIdLatency)}`);
      console.log(`  server CPU per GET   ${fmt(result.getByIdCpu, 1)} µs (raw ${fmt(result.ceilingCpu, 1)} µs)`);
      console.log(`  filter userName eq   ${line(result.filterEq)}; one at a time ${lat(result.filterEqLatency)}`);
      console.log(`  100-item page        ${line(result.page100)}`);
      console.log(`  POST create          ${line(result.create)}`);
      console.log(`  group member PATCH   ${line(result.memberPatch)}`);
    }

    const largest = results.at(-1)!;
    const smallest = results[0]!;
    const getRatio = largest.getByIdRatio;
    const createRatio = largest.create.rps / smallest.create.rps;
    const checks: [string, string, boolean][] = [
      [`GET by id ≥ 50% of the raw ceiling's throughput (${fmt(largest.size)} users)`, `${fmt(getRatio * 100)}%`, getRatio >= 0.5],
      [`filter userName eq p50 < 2 ms (${fmt(largest.size)} users)`, `${fmt(largest.filterEqLatency.p50, 2)} ms`, largest.filterEqLatency.p50 < 2],
      [`create throughput at ${fmt(largest.size)} users within 2x of ${fmt(smallest.size)}`, `${fmt(createRatio, 2)}x`, createRatio >= 0.5],
      [`start-up < 3 s (${fmt(largest.size)} users)`, `${fmt(largest.startupMs)} ms`, largest.startupMs < 3000],
    ];

    const table = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch} (${cpus().length} cores), Node ${process.version}.`,
      `Throughput: autocannon, ${CONNECTIONS} connections, ${DURATION} s per cell. Latency: one request at a time on a kept-alive connection (p50 / p99). Every write is fsync'ed before it is acknowledged.`,
      '',
      `The raw ceiling is a bare node:http server answering the exact bytes of a GET by id; it and GET by id are measured in ${ROUNDS} back-to-back pairs of ${ROUND_SECONDS} s, and the ratio is the median of the pairs' ratios. Start-up is on the seeded file; the restart is on the file the run's writes left behind.`,
      '',
      '| users | raw ceiling | GET by id | server CPU per GET (raw) | GET by id latency | filter userName eq | filter latency | 100-item page | POST create | group member PATCH | start-up | restart after the run | RSS |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${fmt(r.size)} | ${cell(r.ceiling)} | ${cell(r.getById)} (${fmt(r.getByIdRatio * 100)}% of raw) | ${fmt(r.getByIdCpu, 1)} µs (${fmt(r.ceilingCpu, 1)} µs) | ${lat(r.getByIdLatency)} | ${cell(r.filterEq)} | ${lat(r.filterEqLatency)} | ${cell(r.page100)} | ${cell(r.create)} | ${cell(r.memberPatch)} | ${fmt(r.startupMs)} ms | ${fmt(r.restartMs)} ms (${fmt(r.restartUsers)} users) | ${fmt(r.rssMiB)} MiB |`,
      ),
      '',
      ...targetsTable(checks),
      '',
    ].join('\n');
    console.log('\n' + table);
    // A partial run (BENCH_SIZES) is not the README's table.
    await publishResults({ file: 'latest', section: 'bench', table, json: { results }, readme: !process.env.BENCH_SIZES });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
