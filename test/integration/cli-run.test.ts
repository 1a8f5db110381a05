/** `scimulator run` and `scimulator scenarios` as a user runs them: the real binary, a real server. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { builtinScenarios } from '../../src-main/scenarios/library.js';
import { runCli, startServe, type ServingCli } from '../support/cli.js';

let dir: string;
let serving: ServingCli;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-run-'));
  serving = await startServe(['--port', '0', '--db', join(dir, 'directory.json'), '--token', 'run-token']);
});

afterAll(async () => {
  serving.child.kill('SIGTERM');
  await serving.exited;
});

describe('scimulator scenarios', () => {
  it('explains itself with an example in --help', async () => {
    const help = await runCli(['scenarios', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('scimulator scenarios');
    expect(help.stdout).toContain('scimulator run okta-lifecycle --target local');
  });

  it('lists every built-in with its profile and a one-line description', async () => {
    const result = await runCli(['scenarios']);
    expect(result.code).toBe(0);
    for (const info of builtinScenarios()) {
      expect(result.stdout).toMatch(new RegExp(`^${info.name}\\s+${info.profile ?? ''}\\s+\\S`, 'm'));
    }
  });
});

describe('scimulator run', () => {
  it('explains itself with an example in --help', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('scimulator run okta-lifecycle --target local');
    for (const flag of ['--target', '--token', '--basic', '--header', '--oauth-token-url', '--profile', '--exact', '--insecure', '--save', '--idp-state']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('runs a built-in against the local provider: a line per exchange, a summary, exit 0', async () => {
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+POST\s+\/Users 201 [\d.]+ ms\s+create user$/m);
    expect(result.stdout).toMatch(/^passed: \d+ passed, 0 failed, 0 errors, 0 skipped/m);
  });

  it('runs against a URL with a token, saves the run record, and keeps the IdP state so a second sync updates', async () => {
    const save = join(dir, 'run.json');
    const state = join(dir, 'idp.json');
    const args = ['run', 'entra-lifecycle', '--target', serving.baseUrl, '--token', serving.token, '--save', save, '--idp-state', state];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const record = JSON.parse(await readFile(save, 'utf8')) as RunRecord;
    expect(record).toMatchObject({ format: 'scimulator-run', version: 1, profile: 'entra', target: { baseUrl: serving.baseUrl } });
    expect(record.summary.outcome).toBe('passed');
    // Every exchange in full; the token never.
    expect(record.exchanges.length).toBe(record.summary.exchanges);
    expect(await readFile(save, 'utf8')).not.toContain(serving.token);

    // Same IdP state, same target: the people the IdP already provisioned are not created again.
    const again = await runCli(['run', 'okta-lifecycle', '--target', serving.baseUrl, '--token', serving.token, '--idp-state', state, '--save', save]);
    expect(again.code).toBe(0);
    const okta = JSON.parse(await readFile(save, 'utf8')) as RunRecord;
    const stateFile = JSON.parse(await readFile(state, 'utf8')) as { format: string; targets: Record<string, unknown> };
    expect(stateFile.format).toBe('scimulator-idp-state');
    expect(Object.keys(stateFile.targets)).toEqual([serving.baseUrl]);
    const third = await runCli(['run', 'okta-lifecycle', '--target', serving.baseUrl, '--token', serving.token, '--idp-state', state, '--save', save]);
    const thirdRecord = JSON.parse(await readFile(save, 'utf8')) as RunRecord;
    expect(okta.exchanges.filter((exchange) => exchange.source === 'idp' && exchange.request.method === 'POST')).toHaveLength(2);
    expect(thirdRecord.exchanges.filter((exchange) => exchange.source === 'idp' && exchange.request.method === 'POST')).toHaveLength(0);
    // Its expectations were written for a first sync, so they now fail: exit 1.
    expect(third.code).toBe(1);
  });

  it('--save writes into a folder that does not exist yet, as --report-json does, instead of failing after the run', async () => {
    const save = join(dir, 'records', 'today', 'run.json');
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--save', save]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const record = JSON.parse(await readFile(save, 'utf8')) as RunRecord;
    expect(record).toMatchObject({ format: 'scimulator-run', scenario: { name: 'okta-lifecycle' } });
  });

  it('--idp-state keeps the IdP state in a folder that does not exist yet, instead of losing it after the run', async () => {
    const state = join(dir, 'states', 'ci', 'idp.json');
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--idp-state', state]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 errors, 0 warnings, 10 steps, /);
    const saved = JSON.parse(await readFile(state, 'utf8')) as { format: string; people: unknown[] };
    expect(saved.format).toBe('scimulator-idp-state');
    expect(saved.people.length).toBeGreaterThan(0);
  });

  it('a repeated setup step left out under --exact says why, without a line of zero latencies', async () => {
    const result = await runCli(['run', 'okta-import', '--target', 'local', '--exact']);
    expect(result.stdout).toMatch(/^2\. the app already has 150 users\n   – skipped — Left out under --exact/m);
    expect(result.stdout).not.toContain('0 requests, 0/s');
  });

  it('sends the same story as another IdP would with --profile', async () => {
    const save = join(dir, 'aiw.json');
    const result = await runCli(['run', 'okta-lifecycle', '--profile', 'okta-aiw', '--target', 'local', '--save', save]);
    const record = JSON.parse(await readFile(save, 'utf8')) as RunRecord;
    expect(record.profile).toBe('okta-aiw');
    // The AIW app never PATCHes users: deactivation is GET then PUT.
    expect(record.exchanges.some((exchange) => exchange.request.method === 'PATCH' && exchange.request.url.includes('/Users/'))).toBe(false);
    expect(result.stdout).toContain('profile okta-aiw');
    // Okta's PATCH checks do not apply to the AIW app's PUTs: they are said not applied, not failed.
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PATCH \/Users\/ exchange \(line \d+\) not applied: okta-aiw sends no such request here/);
    expect(result.stdout).toMatch(/\d+ checks not applied/);
  });

  it('runs a scenario file, and reports a bad one with its line and column, exit 2', async () => {
    const good = join(dir, 'mine.yaml');
    await writeFile(
      good,
      ['name: mine', 'description: one user', 'profile: entra', 'directory: { people: [{ key: kim }] }', 'steps:', '  - event: assignUser', '    user: kim', ''].join('\n'),
    );
    expect((await runCli(['run', good, '--target', 'local'])).code).toBe(0);
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, ['name: bad', 'description: typo', 'steps:', '  - event: assignUsr', '    user: kim', ''].join('\n'));
    const result = await runCli(['run', bad, '--target', 'local']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}:4:`);
    expect(result.stderr).toContain('assignUser');
  });

  it('exits 1 when a step fails', async () => {
    const failing = join(dir, 'failing.yaml');
    await writeFile(
      failing,
      ['name: failing', 'description: wrong status', 'steps:', '  - request: { method: GET, path: /Users/nope }', '    expect: [{ status: 200 }]', ''].join('\n'),
    );
    const result = await runCli(['run', failing, '--target', 'local']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/expected 200, got 404/);
  });

  it('exits 2 with one line saying what to do for usage errors and an unreachable target', async () => {
    const unknown = await runCli(['run', 'okta-lifecyle', '--target', 'local']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^scimulator: Unknown built-in scenario "okta-lifecyle" \(did you mean "okta-lifecycle"\?\)/);
    const badTarget = await runCli(['run', 'okta-lifecycle', '--target', 'ftp://example.com']);
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const twoAuths = await runCli(['run', 'okta-lifecycle', '--target', 'https://example.com/scim', '--token', 'a', '--basic', 'u:p']);
    expect(twoAuths.code).toBe(2);
    expect(twoAuths.stderr).toContain('--token and --basic are alternatives');
    const closed = await runCli(['run', 'okta-lifecycle', '--target', 'http://127.0.0.1:9/scim/v2', '--token', 'x']);
    expect(closed.code).toBe(2);
    expect(closed.stdout).toContain('The target could not be reached (connection refused at http://127.0.0.1:9');
    // The steps that could not run are each shown under their own heading, not as anonymous lines.
    expect(closed.stdout).toMatch(/^2\. assign the manager\n   – skipped — Not run: the target could not be reached$/m);
    expect(closed.stdout).toMatch(/^10\. the manager is kept, inactive\n   – skipped — /m);
  });

  it('exits 2 with one line naming the auth flags when the target refuses every request', async () => {
    const wrong = await runCli(['run', 'okta-lifecycle', '--target', serving.baseUrl, '--token', 'not-the-token']);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('The target refused every request with 401 Unauthorized: check --token, --basic, --header or the --oauth-* flags.');
    // A target that refuses some requests but not all is judged, not told its credentials are wrong.
    const right = await runCli(['run', 'okta-lifecycle', '--target', serving.baseUrl, '--token', serving.token]);
    expect(right.stdout).not.toContain('refused every request');
  });
});
