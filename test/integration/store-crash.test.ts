/**
 * kill -9 crash test for the directory store.
 *
 * A child process (test/fixtures/store-writer.ts) streams concurrent commits and prints each
 * acknowledged id once its commit resolved; the test SIGKILLs it mid-stream, then opens the
 * files it left and checks that every acknowledged write is there. Several rounds run on the
 * same files, so each child also recovers from the previous crash (torn tail cut away before
 * it appends): a random kill with no compaction, a random kill with compactions running all
 * the time, a kill while a compaction sits between its two steps (new snapshot in place, old
 * journal not yet replaced) with writes still flowing, and a kill just as a compaction starts.
 *
 * How the child runs: beforeAll transpiles the fixture to plain JS (see transpile-tree.ts) and
 * runs it with `node`.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMember } from '../../src-main/scim/resource.js';
import { DirectoryStore } from '../../src-main/store/directory-store.js';
import { projectRoot, transpileTree } from './transpile-tree.js';

const fixture = join(projectRoot, 'test/fixtures/store-writer.ts');

let work: string;
let childScript: string;

interface Round {
  /** compactionMinBytes for the child. */
  minBytes: number;
  /** A compaction phase the child holds for 10 s, or '-'. */
  hold: string;
  /** Kill once this returns true; called after every line. */
  killWhen: (state: ChildState) => boolean;
}

interface ChildState {
  acks: number;
  /** Acks since the last "compaction <phase>" line. */
  acksSincePhase: number;
  phases: string[];
}

interface History {
  acked: Set<string>;
  deleting: Set<string>;
  deleted: Set<string>;
}

async function runChild(file: string, tag: string, round: Round, history: History): Promise<ChildState> {
  const child = spawn(process.execPath, [childScript, file, String(round.minBytes), tag, round.hold], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state: ChildState = { acks: 0, acksSincePhase: 0, phases: [] };
  let stderr = '';
  let killed = false;
  let rest = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('close', (code, signal) => resolveExit({ code, signal }));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    // Lines that arrive after the kill decision still count: each was printed after its
    // commit resolved, so it is just as acknowledged.
    for (const line of lines) {
      const [kind, value] = line.split(' ');
      if (kind === 'ack') {
        history.acked.add(value);
        state.acks++;
        state.acksSincePhase++;
      } else if (kind === 'deleting') history.deleting.add(value);
      else if (kind === 'deleted') history.deleted.add(value);
      else if (kind === 'compaction') {
        state.phases.push(value);
        state.acksSincePhase = 0;
      } else if (kind === 'error') stderr += `${line}\n`;
      if (!killed && round.killWhen(state)) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const { signal } = await exited;
  clearTimeout(timer);
  expect(stderr, 'child stderr').toBe('');
  expect(killed, `the kill condition was met (acks ${state.acks}, phases ${state.phases.join(',')})`).toBe(true);
  expect(signal).toBe('SIGKILL');
  return state;
}

/** Opens a copy of what the crash left (the next round must start from the crashed files). */
async function verify(file: string, history: History): Promise<void> {
  const copy = await mkdtemp(join(work, 'verify-'));
  for (const name of await readdir(dirname(file))) {
    if (name.startsWith(basename(file)) && !name.endsWith('.lock')) await copyFile(join(dirname(file), name), join(copy, name));
  }
  const store = await DirectoryStore.open({ file: join(copy, basename(file)) });
  try {
    const group = store.get('Group', 'crash-group');
    const members = new Set((Array.isArray(group?.members) ? group.members : []).map((member) => (member as StoredMember).value));
    let checked = 0;
    for (const id of history.acked) {
      if (history.deleted.has(id)) {
        expect(store.get('User', id), `deleted ${id}`).toBeUndefined();
        expect(members.has(id), `deleted ${id} left the group`).toBe(false);
      } else if (!history.deleting.has(id)) {
        expect(store.get('User', id), `acknowledged ${id}`).toBeDefined();
        expect(members.has(id), `acknowledged ${id} in the group`).toBe(true);
        expect(store.findUserByUserName(`${id.toUpperCase()}@EXAMPLE.COM`)?.id).toBe(id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    // Every member of the group is a user that exists (the cascade was journaled with the delete).
    for (const id of members) expect(store.get('User', id), `member ${id}`).toBeDefined();
  } finally {
    await store.close();
  }
}

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

describe('directory store under kill -9', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'scimulator-crash-'));
    childScript = await transpileTree(fixture, join(work, 'build'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('loses no acknowledged write across repeated kills, with and during compaction', { timeout: 180_000 }, async () => {
    const file = join(work, 'data', 'scimulator.json');
    const history: History = { acked: new Set(), deleting: new Set(), deleted: new Set() };
    const afterAcks = (count: number) => (state: ChildState) => state.acks >= count;
    const rounds: [string, Round][] = [
      ['random kill, journal only', { minBytes: 64 << 20, hold: '-', killWhen: afterAcks(randomInt(200, 600)) }],
      ['random kill, compacting constantly', { minBytes: 4096, hold: '-', killWhen: afterAcks(randomInt(300, 900)) }],
      [
        'kill between snapshot and journal swap, writes flowing',
        {
          minBytes: 4096,
          hold: 'snapshot-written',
          killWhen: ((acks: number) => (state: ChildState) =>
            state.phases.at(-1) === 'snapshot-written' && state.acksSincePhase >= acks)(randomInt(20, 120)),
        },
      ],
      [
        'kill as a compaction starts writing its snapshot',
        { minBytes: 4096, hold: '-', killWhen: (state) => state.acks >= 200 && state.phases.at(-1) === 'started' },
      ],
      ['random kill, compacting constantly, again', { minBytes: 4096, hold: '-', killWhen: afterAcks(randomInt(200, 900)) }],
    ];
    for (const [index, [name, round]] of rounds.entries()) {
      const state = await runChild(file, `r${index}`, round, history);
      if (round.hold === 'snapshot-written') {
        // The crash really hit between the two steps: the new snapshot already covers records
        // that the (old) journal still holds.
        const snapshot = JSON.parse(await readFile(file, 'utf8')) as { journalSeq: number };
        const firstLine = (await readFile(`${file}.journal`, 'utf8')).split('\n')[0];
        expect((JSON.parse(firstLine) as { seq: number }).seq).toBeLessThanOrEqual(snapshot.journalSeq);
      }
      await verify(file, history).catch((error: unknown) => {
        throw new Error(`after round "${name}" (${state.acks} acks, phases ${state.phases.join(',')}): ${String(error)}`, {
          cause: error,
        });
      });
    }
    expect(history.acked.size).toBeGreaterThan(800);
  });
});
