/** A failed check on a JSON value shows, in the terminal, what differs by path rather than two long values. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('scimulator run, expected vs actual', () => {
  it('prints the differing paths of a JSON expectation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scimulator-expected-'));
    const file = join(dir, 'name.yaml');
    await writeFile(
      file,
      [
        'name: name-check',
        'description: a JSON expectation that does not hold',
        'profile: okta',
        'directory: { people: [{ key: ada, givenName: Ada, familyName: Lovelace }] }',
        'steps:',
        '  - event: assignUser',
        '    user: ada',
        '    expect:',
        '      - exchange: POST /Users',
        '        json:',
        '          $.name: { givenName: Ada, familyName: Byron }',
        '',
      ].join('\n'),
    );
    const result = await runCli(['run', file, '--target', 'local']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('$.name (line 11): differs from what was expected');
    expect(result.stdout).toMatch(/familyName[\s\S]*- "Byron"[\s\S]*\+ "Lovelace"/);
  });
});
