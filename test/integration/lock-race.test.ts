/**
 * Several servers started at once on one database file: exactly one may open it, every time,
 * whether the file is new or a dead process left its lock behind. Each contender is a real
 * process (test/fixtures/lock-contender.ts), all told to go at the same moment; many trials,
 * because a race that loses one time in thirty is a race that loses.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src-main/store/file-lock.js';
import { projectRoot, transpileTree } from './transpile-tree.js';

const CONTENDERS = 4;
const TRIALS = 100;

let work: string;
let childScript: string;

interface Contender {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with each line the child prints, in order. */
  next(): Promise<string>;
  exited: Promise<number | null>;
}

function startContender(): Contender {
  const child = spawn(process.execPath, [childScript], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let rest = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  void exited.then(() => {
    for (const waiter of waiting.splice(0)) waiter(`exited ${stderr}`);
  });
  return {
    child,
    exited,
    next: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** PIDs of processes that have exited (taken once: starting a process per trial is slow). */
const deadPids: number[] = [];
function deadPid(index = 0): number {
  while (deadPids.length <= index) {
    const { pid } = spawnSync(process.execPath, ['-e', '0']);
    if (pid === undefined) throw new Error('could not start a short-lived process');
    deadPids.push(pid);
  }
  return deadPids[index];
}

/** What a trial finds next to the database file before the contenders start. */
const scenarios: [string, (lockPath: string) => Promise<void>][] = [
  ['no lock yet', async () => undefined],
  ['a lock left by a dead process', (lockPath) => writeFile(lockPath, JSON.stringify({ pid: deadPid(), instance: 'dead0001', start: '12345' }))],
  ['a bare-PID lock left by a dead process (older versions)', (lockPath) => writeFile(lockPath, String(deadPid(2)))],
  [
    'a lock naming a live PID that now belongs to another process (its start time differs)',
    async (lockPath) => {
      const start = await processStartTime(process.pid);
      // Without start times (not Linux) a live PID counts as the holder; use a dead one there.
      const pid = start === undefined ? deadPid() : process.pid;
      await writeFile(lockPath, JSON.stringify({ pid, instance: 'reused01', start: `${Number(start ?? 0) + 1}` }));
    },
  ],
  [
    'a dead lock and the claim of a contender that died taking it over',
    async (lockPath) => {
      await writeFile(lockPath, JSON.stringify({ pid: deadPid(), instance: 'dead0002' }));
      await writeFile(`${lockPath}.takeover-dead0002`, JSON.stringify({ pid: deadPid(1), instance: 'dead0003' }));
    },
  ],
];

describe('several servers starting at once on one database file', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'scimulator-lock-race-'));
    childScript = await transpileTree(join(projectRoot, 'test/fixtures/lock-contender.ts'), join(work, 'build'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it(`lets exactly one open it, in each of ${TRIALS} trials`, { timeout: 120_000 }, async () => {
    const contenders = Array.from({ length: CONTENDERS }, () => startContender());
    try {
      for (const contender of contenders) expect(await contender.next()).toBe('ready');
      for (let trial = 0; trial < TRIALS; trial++) {
        const [name, prepare] = scenarios[trial % scenarios.length];
        const dir = join(work, `trial-${trial}`);
        await mkdir(dir);
        const file = join(dir, 'directory.json');
        await prepare(`${file}.lock`);
        for (const contender of contenders) contender.child.stdin.write(`go ${file}\n`);
        const results = await Promise.all(contenders.map((contender) => contender.next()));
        const winners = results.flatMap((result, index) => (result === 'won' ? [contenders[index].child.pid] : []));
        expect(winners, `trial ${trial} (${name}): ${results.join(' | ')}`).toHaveLength(1);
        for (const result of results.filter((line) => line !== 'won')) {
          expect(result, `trial ${trial} (${name})`).toContain(
            `refused Cannot open the directory store: ${file}: it is in use by another Scimulator process (pid ${winners[0]})`,
          );
        }
        for (const contender of contenders) contender.child.stdin.write('release\n');
        for (const contender of contenders) expect(await contender.next()).toBe('released');
        expect(existsSync(`${file}.lock`), `trial ${trial}: the winner released the lock`).toBe(false);
        expect((await readdir(dir)).filter((entry) => entry.includes('.lock')), `trial ${trial}: no claims or temp files left`).toEqual([]);
      }
    } finally {
      for (const contender of contenders) contender.child.stdin.end();
      await Promise.all(contenders.map((contender) => contender.exited));
    }
  });
});
