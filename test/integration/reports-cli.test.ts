/**
 * `scimulator run --report-junit/--report-html/--report-json/--report-har` as a user runs it: the
 * real binary against the local provider writes the four reports, --save and --report-json give the
 * same bytes, and two reports in one file are a usage error (exit 2) before anything runs.
 * Needs `npm run build:cli` (dist/), like the other CLI tests.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { runCli } from '../support/cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-report-flags-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scimulator run --report-*', () => {
  it('lists the report flags in --help', async () => {
    const help = await runCli(['run', '--help']);
    for (const flag of ['--report-junit', '--report-html', '--report-json', '--report-har']) expect(help.stdout).toContain(flag);
  });

  it('writes every report asked for and says where', async () => {
    const out = join(dir, 'reports');
    const result = await runCli([
      'run', 'okta-lifecycle', '--target', 'local', '--seed', '3',
      '--report-junit', join(out, 'junit.xml'),
      '--report-html', join(out, 'run.html'),
      '--report-json', join(out, 'run.json'),
      '--report-har', join(out, 'run.har'),
      '--save', join(dir, 'saved.json'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    for (const file of ['junit.xml', 'run.html', 'run.json', 'run.har']) expect(result.stdout).toContain(`Report written to ${join(out, file)}`);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'run.har', 'run.html', 'run.json']);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record).toMatchObject({ format: 'scimulator-run', scenario: { name: 'okta-lifecycle' }, seed: 3 });
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain(`<testcase classname="okta-lifecycle" name="${record.steps[0]!.name}"`);
    expect(JSON.parse(await readFile(join(out, 'run.har'), 'utf8')).log.entries).toHaveLength(record.exchanges.length);
    // --save is the JSON report under its older name: the same bytes.
    expect(await readFile(join(dir, 'saved.json'), 'utf8')).toBe(await readFile(join(out, 'run.json'), 'utf8'));
  });

  it('refuses two reports in one file before running anything', async () => {
    const same = join(dir, 'clash', 'report');
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--report-html', same, '--report-har', same]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--report-html and --report-har both name ${same}: give each report its own file`);
    expect(result.stdout).toBe('');
  });
});
