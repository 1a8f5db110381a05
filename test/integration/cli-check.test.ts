/**
 * `scimulator check` from the built CLI: against the local provider every cell is ✓ or – and it
 * exits 0; against the Open WebUI and Metabase practice targets the cells their real bugs block
 * carry the finding that explains them, with the reason under the table, and it exits 1.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { READINESS_CAPABILITIES } from '../../src-main/verdicts/readiness.js';
import { runCli, startServe } from '../support/cli.js';

const PROFILES = ['okta', 'okta-aiw', 'entra', 'entra-compliant', 'onelogin', 'jumpcloud', 'pingfederate'];

/** The matrix printed by check: profile → capability → cell text. */
function matrixOf(stdout: string): Record<string, Record<string, string>> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('IdP '));
  expect(lines[header]!.trim().split(/\s+/)).toEqual(['IdP', ...READINESS_CAPABILITIES]);
  const rows: Record<string, Record<string, string>> = {};
  for (const line of lines.slice(header + 1, header + 1 + PROFILES.length)) {
    const [profile, ...cells] = line.trim().split(/\s+/);
    rows[profile!] = Object.fromEntries(READINESS_CAPABILITIES.map((capability, i) => [capability, cells[i]!]));
  }
  expect(Object.keys(rows)).toEqual(PROFILES);
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'scimulator-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scimulator check', () => {
  it('against local: every cell ✓ or –, Okta never deletes, exit 0, and an HTML page with the matrix', async () => {
    const html = join(dir, 'local.html');
    const result = await runCli(['check', '--target', 'local', '--report-html', html], 60_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const matrix = matrixOf(result.stdout);
    for (const profile of PROFILES) for (const cell of Object.values(matrix[profile]!)) expect(['✓', '–']).toContain(cell);
    expect(matrix.okta!.delete).toBe('–');
    expect(matrix.okta!.create).toBe('✓');
    expect(matrix.entra!.delete).toBe('✓');
    expect(result.stdout).toMatch(/conformance: \d+ passed, 0 failed, 0 not run, 0 skipped; 0 errors, 0 warnings/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<td class="not-applicable"');
    expect(page).toContain('Nothing is blocked.');
    expect(page).not.toMatch(/<(script|link)\b/);
  });

  it('against practice:open-webui: Okta\'s path-less deactivation and Entra\'s "False" and Remove-by-value are blocked, exit 1', async () => {
    const html = join(dir, 'open-webui.html');
    const result = await runCli(['check', '--target', 'practice:open-webui', '--report-html', html], 60_000);
    expect(result.code).toBe(1);
    const matrix = matrixOf(result.stdout);
    expect(matrix.okta!.deactivate).toBe('okta.path-less-patch-unsupported');
    expect(matrix.entra!.deactivate).toBe('entra.string-boolean-misread');
    expect(matrix.entra!.membership).toBe('entra.remove-members-by-value');
    expect(matrix.okta!.delete).toBe('–');
    expect(result.stdout).toMatch(/^entra\.string-boolean-misread: The string "False" is taken as true.*\(entra\/deactivate\)$/m);
    expect(result.stdout).toMatch(/^okta\.path-less-patch-unsupported: .*\(okta\/deactivate\)$/m);
    // Open WebUI answers /ResourceTypes with a bare array: the conformance suite says so.
    expect(result.stdout).toMatch(/✗ \/ResourceTypes is a ListResponse naming User/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<td class="blocked" title="The string &quot;False&quot; is taken as true');
    expect(page).toContain('entra.remove-members-by-value');
  });

  it('against practice:metabase: error bodies that are not SCIM block Okta\'s deactivation, exit 1', async () => {
    const result = await runCli(['check', '--target', 'practice:metabase'], 60_000);
    expect(result.code).toBe(1);
    const matrix = matrixOf(result.stdout);
    // Metabase answers Okta's path-less PATCH 400 "Unsupported path" in its own error shape.
    expect(matrix.okta!.deactivate).toBe('rfc.error-not-scim');
    expect(matrix.okta!.create).toBe('rfc.create-location-missing');
    expect(matrix.entra!.delete).toBe('rfc.content-type-not-json');
    expect(result.stdout).toMatch(/^rfc\.error-not-scim: An error response is not a SCIM Error \(okta\/deactivate/m);
    // No /ServiceProviderConfig: the suite's capability checks are not applicable, not failed.
    expect(result.stdout).toMatch(/✗ \/ServiceProviderConfig describes the target's features/);
    expect(result.stdout).not.toMatch(/✗ (filter co|sortBy|If-None-Match)/);
  });

  it('refuses a target it cannot use with exit 2', async () => {
    const result = await runCli(['check', '--target', 'nowhere']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^scimulator: --target takes "local"/);
  });

  it('stops after the conformance suite with exit 2 and the auth flags to check when the target refuses every request (a wrong token)', async () => {
    const serving = await startServe(['--port', '0', '--db', join(dir, 'refusing.json'), '--token', 'right-token']);
    try {
      const result = await runCli(['check', '--target', serving.baseUrl, '--token', 'wrong-token']);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain('The target refused every request with 401 Unauthorized: check --token, --basic, --header or the --oauth-* flags.');
      // No matrix of a hundred 401s: the stories never ran.
      expect(result.stdout).not.toMatch(/^IdP\s+connect/m);
      expect(result.stdout).not.toContain('okta-lifecycle');
    } finally {
      serving.child.kill('SIGTERM');
      await serving.exited;
    }
  });

  it('writes --report-html into a folder that does not exist yet, instead of failing after every run', async () => {
    const html = join(dir, 'reports', 'nightly', 'check.html');
    const result = await runCli(['check', '--target', 'local', '--report-html', html]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<table');
  });
});
