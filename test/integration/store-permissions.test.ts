/**
 * Permission errors as an ordinary user meets them: a folder or journal it may not write. The
 * store runs in a child process as user `nobody` (uid 65534), because the tests run as root,
 * for whom permission bits do not stop writes; hence root only.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, transpileTree } from './transpile-tree.js';

const NOBODY = 65534;
const asRoot = process.platform !== 'win32' && process.getuid?.() === 0;

let work: string;
let childScript: string;

async function openAsNobody(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [childScript, file], { uid: NOBODY, gid: NOBODY });
  return stdout.trim();
}

describe.skipIf(!asRoot)('permission errors for an unprivileged user', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'scimulator-permissions-'));
    // mkdtemp makes a private folder; nobody must be able to reach and run the build.
    await chmod(work, 0o755);
    childScript = await transpileTree(join(projectRoot, 'test/fixtures/store-open.ts'), join(work, 'build'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('can open a database in a folder it owns (the setup works)', async () => {
    const folder = join(work, 'own');
    await mkdir(folder, { mode: 0o777 });
    await chmod(folder, 0o777);
    expect(await openAsNobody(join(folder, 'db.json'))).toBe('opened');
  });

  it('refuses a read-only folder with one line naming it and the fix', async () => {
    const folder = join(work, 'read-only-folder');
    await mkdir(folder);
    await chmod(folder, 0o755);
    expect(await openAsNobody(join(folder, 'db.json'))).toBe(
      `refused StoreOpenError Cannot open the directory store: ${folder}: cannot create files in this folder: permission denied (EACCES); ` +
        'give this user write access to it, or choose another database file. The file was left unchanged.',
    );
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a journal it may not write, naming it, before touching anything', async () => {
    const folder = join(work, 'foreign-journal');
    await mkdir(folder);
    await chmod(folder, 0o777);
    const journal = join(folder, 'db.json.journal');
    await writeFile(journal, '', { mode: 0o644 });
    expect(await openAsNobody(join(folder, 'db.json'))).toBe(
      `refused StoreOpenError Cannot open the directory store: ${journal}: permission denied (EACCES); ` +
        'give this user write access to it, or choose another database file. The file was left unchanged.',
    );
    expect((await readdir(folder)).sort()).toEqual(['db.json.journal']);
  });
});
