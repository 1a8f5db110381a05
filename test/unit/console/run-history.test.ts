import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunListItem } from '../../../src-main/api/contract.js';
import { RunHistoryError, UnknownRun, openRunHistory, type StoredRun } from '../../../src-main/console/run-history.js';
import type { RunRecord } from '../../../src-main/runner/run-record.js';

let clock = 0;

function run(id: string, scenario = 'okta-lifecycle', target = 'local'): StoredRun {
  const startedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString();
  const summary = { outcome: 'passed' as const, steps: { passed: 1, failed: 0, error: 0, skipped: 0 }, exchanges: 0, durationMs: 1 };
  const item: RunListItem = { id, kind: 'scenario', scenario, profile: 'okta', target: { id: target, name: target, baseUrl: 'http://x/scim/v2' }, startedAt, summary, baseline: false };
  const record: RunRecord = {
    format: 'scimulator-run',
    version: 1,
    scenario: { name: scenario, source: `builtin:${scenario}`, description: '' },
    profile: 'okta',
    target: { key: target, baseUrl: 'http://x/scim/v2' },
    exact: false,
    seed: 1,
    runTag: 'abcdef',
    startedAt,
    finishedAt: startedAt,
    steps: [],
    exchanges: [],
    findings: [],
    summary,
  };
  return { item, record };
}

describe('openRunHistory', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-history-'));
    file = join(dir, 'data', 'runs.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps runs in its own file, newest first, across a reopen', async () => {
    const history = await openRunHistory(file);
    await history.add(run('a'));
    await history.add(run('b'));
    expect(history.list().map((item) => item.id)).toEqual(['b', 'a']);
    const reopened = await openRunHistory(file);
    expect(reopened.list().map((item) => item.id)).toEqual(['b', 'a']);
    expect(reopened.get('a')?.record.scenario.name).toBe('okta-lifecycle');
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk).toMatchObject({ format: 'scimulator-run-history', version: 1 });
    // Private to its user, and no temporary file left behind.
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'data'))).toEqual(['runs.json']);
  });

  it('keeps at most maxRuns: the oldest non-baseline run goes first', async () => {
    const history = await openRunHistory(file, { maxRuns: 3 });
    await history.add(run('a'));
    await history.setBaseline('a');
    await history.add(run('b'));
    await history.add(run('c'));
    expect(await history.add(run('d'))).toEqual(['b']);
    expect(history.list().map((item) => item.id)).toEqual(['d', 'c', 'a']);
    expect(await history.add(run('e'))).toEqual(['c']);
    expect((await openRunHistory(file, { maxRuns: 3 })).list().map((item) => item.id)).toEqual(['e', 'd', 'a']);
  });

  it('has one baseline per scenario and target', async () => {
    const history = await openRunHistory(file);
    await history.add(run('a'));
    await history.add(run('b'));
    await history.add(run('c', 'okta-lifecycle', 'practice:metabase'));
    await history.add(run('d', 'entra-lifecycle'));
    await history.setBaseline('a');
    await history.setBaseline('c');
    await history.setBaseline('d');
    await history.setBaseline('b');
    expect(history.baselineFor('okta-lifecycle', 'local')?.item.id).toBe('b');
    expect(history.baselineFor('okta-lifecycle', 'practice:metabase')?.item.id).toBe('c');
    expect(history.baselineFor('entra-lifecycle', 'local')?.item.id).toBe('d');
    expect(history.list().filter((item) => item.baseline).map((item) => item.id).sort()).toEqual(['b', 'c', 'd']);
    expect((await openRunHistory(file)).baselineFor('okta-lifecycle', 'local')?.item.id).toBe('b');
    await expect(history.setBaseline('zz')).rejects.toThrow(UnknownRun);
  });

  it('unpairs the partner of a run that is deleted or dropped', async () => {
    const history = await openRunHistory(file, { maxRuns: 3 });
    const paired = (stored: StoredRun, partner: string): StoredRun => ({ ...stored, item: { ...stored.item, pairedWith: partner } });
    await history.add(paired(run('a'), 'b'));
    await history.add(paired(run('b', 'okta-lifecycle', 'practice:litellm'), 'a'));
    await history.add(paired(run('c'), 'd'));
    await history.add(paired(run('d', 'okta-lifecycle', 'practice:litellm'), 'c'));
    // 'a' was dropped by retention: 'b' stands alone.
    expect(history.get('b')?.item.pairedWith).toBeUndefined();
    await history.delete('d');
    expect(history.get('c')?.item.pairedWith).toBeUndefined();
    expect((await openRunHistory(file)).list().map((item) => item.pairedWith)).toEqual([undefined, undefined]);
  });

  it('deletes a run', async () => {
    const history = await openRunHistory(file);
    await history.add(run('a'));
    expect(await history.delete('a')).toBe(true);
    expect(await history.delete('a')).toBe(false);
    expect((await openRunHistory(file)).size).toBe(0);
  });

  it.each([
    ['not JSON', '{"format": "scimulator-run-history", "runs": [', /is not valid JSON/],
    ['another file', '{"users": []}', /is not a Scimulator run history/],
    ['a newer version', '{"format": "scimulator-run-history", "version": 2, "runs": []}', /version 2/],
    ['a damaged run', '{"format": "scimulator-run-history", "version": 1, "runs": [{"item": {}}]}', /damaged run at runs\[0\]/],
  ])('refuses %s, naming the file, and never overwrites it', async (_what, content, problem) => {
    await writeFile(join(dir, 'runs.json'), content);
    const path = join(dir, 'runs.json');
    const error = await openRunHistory(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunHistoryError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(problem);
    expect(await readFile(path, 'utf8')).toBe(content);
  });

  it('keeps runs in memory when there is no file', async () => {
    const history = await openRunHistory(undefined, { maxRuns: 1 });
    await history.add(run('a'));
    await history.add(run('b'));
    expect(history.file).toBeUndefined();
    expect(history.list().map((item) => item.id)).toEqual(['b']);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes concurrent changes one after the other, losing none', async () => {
    const history = await openRunHistory(file);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => history.add(run(id))));
    expect((await openRunHistory(file)).size).toBe(5);
  });
});
