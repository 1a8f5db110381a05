/**
 * Durability end to end: a real `scimulator serve` child takes a stream of concurrent creates
 * over HTTP and is killed with SIGKILL mid-stream. After a restart on the same file, every
 * create that was acknowledged with 201 must be there.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServe } from '../support/cli.js';

const WRITERS = 16;

async function writeUntilKilled(baseUrl: string, token: string, killAfter: number, kill: () => void): Promise<string[]> {
  const acknowledged: string[] = [];
  let n = 0;
  let killed = false;
  async function writer(): Promise<void> {
    while (!killed) {
      const userName = `crash-${n++}-${Math.random().toString(36).slice(2)}@example.com`;
      try {
        const response = await fetch(`${baseUrl}/Users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, title: 'x'.repeat(200) }),
        });
        if (response.status === 201) {
          acknowledged.push(((await response.json()) as { id: string }).id);
          if (acknowledged.length >= killAfter && !killed) {
            killed = true;
            kill();
          }
        }
      } catch {
        return; // the server is gone
      }
    }
  }
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return acknowledged;
}

describe('crash safety of scimulator serve', () => {
  it('keeps every acknowledged write across SIGKILL, three times over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scimulator-crash-'));
    const db = join(dir, 'directory.json');
    const all: string[] = [];
    for (let round = 0; round < 3; round++) {
      const serving = await startServe(['--port', '0', '--db', db, '--token', 'crash-token']);
      const acknowledged = await writeUntilKilled(serving.baseUrl, 'crash-token', 150 + Math.floor(Math.random() * 250), () =>
        serving.child.kill('SIGKILL'),
      );
      await serving.exited;
      expect(acknowledged.length).toBeGreaterThanOrEqual(150);
      all.push(...acknowledged);
    }
    const check = await startServe(['--port', '0', '--db', db, '--token', 'crash-token']);
    try {
      const missing: string[] = [];
      for (const id of all) {
        const response = await fetch(`${check.baseUrl}/Users/${id}`, { headers: { authorization: 'Bearer crash-token' } });
        if (response.status !== 200) missing.push(id);
      }
      expect(missing).toEqual([]);
    } finally {
      check.child.kill('SIGTERM');
      await check.exited;
    }
  }, 120_000);
});
