/**
 * The e2e helper itself: a new user's console opens through the printed URL, with the composed
 * services behind it (the targets list answers over real HTTP), and nothing errors in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConsoleE2e, type ConsoleE2e } from '../support/console-e2e.js';

describe.skipIf(!chromiumAvailable())('the console e2e helper', () => {
  let e2e: ConsoleE2e;
  beforeAll(async () => {
    e2e = await openConsoleE2e({ seedUsers: 5, colorScheme: 'dark', viewport: { width: 1024, height: 768 } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('opens the console with its secret and serves the composed services to the page', async () => {
    expect(e2e.page.url()).toBe(`${e2e.origin}/`);
    // From inside the page, as the renderer's HTTP bridge calls it.
    const targets = (await e2e.page.evaluate(async () => {
      const response = await fetch('/api/listTargets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
      return { status: response.status, body: (await response.json()) as { id: string }[] };
    })) as { status: number; body: { id: string }[] };
    expect(targets.status).toBe(200);
    expect(targets.body.map((target) => target.id)).toEqual(['local', 'practice:litellm', 'practice:open-webui', 'practice:metabase']);
    expect(await e2e.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")).toBe(true);
    expect(e2e.provider.store.count('User')).toBe(5);
    expect(e2e.errors).toEqual([]);
  });
});
