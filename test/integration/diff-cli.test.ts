/** `scimulator run --compare` and `--baseline` as a user runs them: the real binary, real files. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { runCli, startServe } from '../support/cli.js';

let dir: string;
let baseline: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-diff-'));
  baseline = join(dir, 'baseline.json');
  const saved = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--save', baseline]);
  expect(saved.code).toBe(0);
});

/** The lines after the differences heading. */
function differences(stdout: string): string {
  const at = stdout.indexOf('Differences ');
  return at < 0 ? '' : stdout.slice(at);
}

describe('scimulator run --baseline', () => {
  it('a second run against the same target has nothing new since the baseline, and the summary stays the last line', async () => {
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--baseline', baseline, '--fail-on-diff']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No differences: 22 exchanges paired');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 errors, 0 warnings, 10 steps, 22 exchanges, /);
  });

  it('against a server that keeps what the baseline run left (the CI recipe), the next run collides with nothing and has no differences', async () => {
    // entra-lifecycle leaves a disabled user behind, as Entra does on unassign: a rerun with the
    // baseline's names would find him and update him instead of creating him.
    const serving = await startServe(['--port', '0', '--db', join(dir, 'kept.json'), '--token', 'ci-token']);
    try {
      const target = ['--target', serving.baseUrl, '--token', serving.token];
      const good = join(dir, 'entra-good.json');
      expect((await runCli(['run', 'entra-lifecycle', ...target, '--report-json', good])).code).toBe(0);
      const result = await runCli(['run', 'entra-lifecycle', ...target, '--baseline', good, '--fail-on-diff']);
      expect(result.stdout).toMatch(/^No differences: \d+ exchanges paired/m);
      expect(result.code).toBe(0);
      const rerun = JSON.parse(await readFile(good, 'utf8')) as RunRecord;
      expect(result.stdout).not.toContain(rerun.runTag);
    } finally {
      serving.child.kill('SIGTERM');
      await serving.exited;
    }
  });

  it('against a practice target, lists what changed since the baseline', async () => {
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'practice:open-webui', '--baseline', baseline]);
    expect(result.code).toBe(1); // its error findings, as without --baseline
    const text = differences(result.stdout);
    expect(text).toMatch(/^9\. unassign the manager/m);
    expect(text).toMatch(/PATCH \/Users\/<User 1>\s+deactivate user/);
    expect(text).toMatch(/~ \$\.active\n\s+- false\n\s+\+ true/);
    // Every step runs (a failed check still captures the ids later steps need), so every exchange pairs.
    expect(text).not.toMatch(/only in /);
  });

  it('a difference alone exits 0, and 1 with --fail-on-diff', async () => {
    // A baseline in which the target once answered a different title: the run has no finding, only a difference.
    const record = JSON.parse(await readFile(baseline, 'utf8')) as RunRecord;
    const read = record.exchanges.find((exchange) => exchange.source === 'scimulator' && exchange.request.method === 'GET' && exchange.response?.body?.includes('Principal Researcher'));
    expect(read).toBeDefined();
    const edited = { ...record, exchanges: record.exchanges.map((exchange) => (exchange === read ? { ...exchange, response: { ...exchange.response!, body: exchange.response!.body!.replace('Principal Researcher', 'Chief Researcher') } } : exchange)) };
    const changed = join(dir, 'changed.json');
    await writeFile(changed, JSON.stringify(edited));

    const plain = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--baseline', changed]);
    expect(plain.code).toBe(0);
    expect(differences(plain.stdout)).toMatch(/~ \$\.title\n\s+- "Chief Researcher"\n\s+\+ "Principal Researcher"/);
    expect(differences(plain.stdout)).toContain('Differences: 1 exchange of 22 differ.');

    const strict = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--baseline', changed, '--fail-on-diff']);
    expect(strict.code).toBe(1);
  });

  it.each([
    ['not JSON', '{"format": "scimulator-run",', /is not a usable baseline: it is not JSON/],
    ['another file', JSON.stringify({ hello: 'world' }), /is not a usable baseline: it is not a Scimulator run record/],
    ['another version', JSON.stringify({ format: 'scimulator-run', version: 99 }), /run record version 99; this Scimulator reads version 1/],
  ])('refuses a baseline that is %s: one line, exit 2, no run', async (_name, text, message) => {
    const bad = join(dir, `bad-${_name.replace(/\W+/g, '-')}.json`);
    await writeFile(bad, text);
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--baseline', bad]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a missing baseline and a baseline of another scenario', async () => {
    const missing = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--baseline', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the baseline .*nope\.json: no such file/);
    const other = await runCli(['run', 'entra-lifecycle', '--target', 'local', '--baseline', baseline]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is a run of "okta-lifecycle", not "entra-lifecycle"/);
  });
});

describe('scimulator run --compare', () => {
  it('local against local: both summaries, then no differences', async () => {
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare', 'local', '--fail-on-diff']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^0 errors, 0 warnings, 10 steps, 22 exchanges, /gm)).toHaveLength(2);
    expect(result.stdout).toMatch(/── compared with local \(seed \d+\) ──/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('No differences: 22 exchanges paired, all the same after normalising.');
  });

  it('local against a practice target: every exchange paired, the differences listed after both summaries', async () => {
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare', 'practice:open-webui']);
    expect(result.code).toBe(1); // Open WebUI's error findings
    const summaries = [...result.stdout.matchAll(/^\d+ errors, \d+ warnings, 10 steps, \d+ exchanges, /gm)];
    expect(summaries).toHaveLength(2);
    const text = differences(result.stdout);
    expect(result.stdout.indexOf(text)).toBeGreaterThan(summaries[1]!.index);
    expect(text).toMatch(/^Differences - local \+ practice:open-webui/);
    expect(text).toMatch(/~ header Content-Type\n\s+- application\/scim\+json\n\s+\+ application\/json/);
    expect(text).toMatch(/~ \$\.active\n\s+- false\n\s+\+ true/);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^Differences: \d+ exchanges of \d+ differ(, \d+ only in [\w:-]+)*, \d+ step outcomes differ\.$/);
  });

  it('writes the differences into the HTML report', async () => {
    const html = join(dir, 'report.html');
    const result = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare', 'practice:open-webui', '--report-html', html]);
    expect(result.code).toBe(1);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<section id="diffs">');
    expect(page).toContain('practice:open-webui');
  });

  it('refuses compare auth flags without --compare, and --compare with --baseline', async () => {
    const stray = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare-token', 'abc']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--compare-token without --compare/);
    const both = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare', 'local', '--baseline', baseline]);
    expect(both.code).toBe(2);
    const badUrl = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare', 'ftp://x']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^scimulator: --compare takes/);
    const authOnLocal = await runCli(['run', 'okta-lifecycle', '--target', 'local', '--compare', 'local', '--compare-token', 'abc']);
    expect(authOnLocal.code).toBe(2);
    expect(authOnLocal.stderr).toMatch(/--compare-token: the local target/);
  });
});
