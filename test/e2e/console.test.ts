/**
 * The console end to end, in a real Chromium: the renderer built with the same Vite config the
 * desktop app uses, served by the console host from the real provider's loopback server, talking
 * to it over HTTP + Server-Sent Events — exactly the browser mode of the app.
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped with a notice when it is missing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRenderer, chromiumAvailable, launchChromium } from '../support/console-e2e.js';
import { createConsoleApi } from '../../src-main/api/console-api.js';
import { CONSOLE_USER_AGENT } from '../../src-main/api/contract.js';
import { consoleUrl, createConsoleHost, CONSOLE_CSP, type ConsoleHost } from '../../src-main/hosts/console-host.js';
import { serveProvider, type RunningProvider } from '../../src-main/hosts/provider-host.js';

// The README's screenshot is refreshed on request (UPDATE_SCREENSHOT=1 npm test); ordinary runs
// write beside the test results so they leave the working tree clean.
const SCREENSHOT = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOT ? '../../docs/screenshot.png' : '../../test-results/console.png', import.meta.url),
);
const LOCKED_SCREENSHOT = fileURLToPath(new URL('../../test-results/console-locked.png', import.meta.url));
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PAGE_SIZE = 20;

let rendererDir: string;
let provider: RunningProvider;
/** The console host now serving; the last test replaces it, as a restart with a new secret would. */
let host: ConsoleHost | undefined;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** A SCIM client call from the test, over real HTTP, as the client under test would make it. */
async function scim(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(provider.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${provider.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const userNamesShown = () => page.getByTestId('user-name').allInnerTexts();

async function applyFilter(filter: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'SCIM filter' });
  await input.fill(filter);
  await input.press('Enter');
}

describe.skipIf(!chromiumAvailable())('console in a browser', () => {
  beforeAll(async () => {
    rendererDir = await builtRenderer();
    provider = await serveProvider({
      port: 0,
      seed: 25,
      console: (hosted) => {
        host = createConsoleHost(createConsoleApi(hosted), { rendererDir });
        // Routes to whichever host is current, so the last test can swap in one with a new secret.
        return Object.assign((req: IncomingMessage, res: ServerResponse) => host!(req, res), {
          secret: host.secret,
          close: () => host?.close(),
        });
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    // CSP violations and React errors surface here; the console must run clean under its policy.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The URL `serve` and `npm start` print: the only way into the console.
    await page.goto(consoleUrl(provider.origin, host!.secret));
  });

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
  });

  it('opens through the printed URL, which leaves the secret out of the address bar', async () => {
    expect(page.url()).toBe(`${provider.origin}/`);
    const cookies = await page.context().cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // HttpOnly: the page's scripts never see the secret.
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('shows a browser without the secret which URL to open, and nothing of the directory', async () => {
    const stranger = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    try {
      const lockedPage = await stranger.newPage();
      await lockedPage.goto(`${provider.origin}/`);
      const message = lockedPage.getByTestId('console-locked');
      await expect.poll(() => message.isVisible()).toBe(true);
      const text = await message.innerText();
      expect(text).toContain('scimulator serve');
      expect(text).toContain('npm start');
      expect(text).toContain(`${provider.origin}/?secret=`);
      expect(await lockedPage.content()).not.toContain(provider.token);
      await mkdir(dirname(LOCKED_SCREENSHOT), { recursive: true });
      await lockedPage.screenshot({ path: LOCKED_SCREENSHOT });

      // The printed URL then opens the console in that same browser.
      await lockedPage.goto(consoleUrl(provider.origin, host!.secret));
      await expect.poll(() => lockedPage.getByTestId('user-count').innerText()).toBe('25');
    } finally {
      await stranger.close();
    }
  });

  it('shows the endpoint and the seeded directory', async () => {
    await expect.poll(() => page.getByTestId('base-url').locator('code').innerText()).toBe(provider.baseUrl);
    await expect.poll(() => page.getByTestId('user-count').innerText()).toBe('25');
    await expect.poll(async () => (await userNamesShown()).length).toBe(PAGE_SIZE);
    const firstPage = await scim('GET', `/Users?count=${PAGE_SIZE}`);
    const expected = (firstPage.json.Resources as { userName: string }[]).map((user) => user.userName);
    expect(await userNamesShown()).toEqual(expected);
    expect(await page.getByTestId('page-range').innerText()).toBe(`1–${PAGE_SIZE} of 25`);
    expect(await page.locator('.status-bar').innerText()).toContain('HTTP + SSE');
  });

  it('pages through the directory', async () => {
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.getByTestId('page-range').innerText()).toBe(`${PAGE_SIZE + 1}–25 of 25`);
    expect(await userNamesShown()).toHaveLength(25 - PAGE_SIZE);
    await page.getByRole('button', { name: '‹ Prev' }).click();
    await expect.poll(() => page.getByTestId('page-range').innerText()).toBe(`1–${PAGE_SIZE} of 25`);
  });

  it('filters with a SCIM filter evaluated by the server', async () => {
    // Whatever the server answers is what the table must show: the console adds no filtering of its own.
    const expectFilteredRows = async (filter: string): Promise<string[]> => {
      const direct = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}&count=${PAGE_SIZE}`);
      expect(direct.status).toBe(200);
      const expected = (direct.json.Resources as { userName: string }[] | undefined ?? []).map((user) => user.userName);
      await applyFilter(filter);
      await expect.poll(userNamesShown).toEqual(expected);
      await expect.poll(() => page.getByTestId('page-range').innerText()).toBe(
        expected.length === 0 ? 'No results' : `1–${expected.length} of ${String(direct.json.totalResults)}`,
      );
      return expected;
    };

    // The 25-user seed happens to have no userName starting with "a": the table empties and says so.
    const startingWithA = await expectFilteredRows('userName sw "a"');
    for (const name of startingWithA) expect(name.toLowerCase().startsWith('a')).toBe(true);
    if (startingWithA.length === 0) expect(await page.locator('.empty').first().innerText()).toContain('No resources match');

    // A filter the seed does match: some rows, not all.
    const startingWithG = await expectFilteredRows('userName sw "g"');
    expect(startingWithG.length).toBeGreaterThan(0);
    expect(startingWithG.length).toBeLessThan(25);
    for (const name of startingWithG) expect(name.startsWith('g')).toBe(true);
  });

  it("shows the server's invalidFilter detail for an invalid filter", async () => {
    const filter = 'userName zz "a"';
    const direct = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect(direct.status).toBe(400);
    expect(direct.json.scimType).toBe('invalidFilter');

    await applyFilter(filter);
    const banner = page.getByTestId('scim-error');
    await expect.poll(() => banner.isVisible()).toBe(true);
    const text = await banner.innerText();
    expect(text).toContain('invalidFilter');
    expect(text).toContain(String(direct.json.detail));
  });

  it('shows a user created by a SCIM client live, with its request in the traffic panel', async () => {
    await applyFilter('userName sw "grace.e2e"');
    await expect.poll(() => page.getByTestId('scim-error').count()).toBe(0);
    await expect.poll(userNamesShown).toEqual([]);

    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE_USER],
      userName: 'grace.e2e@example.com',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      displayName: 'Grace Hopper',
      emails: [{ value: 'grace.e2e@example.com', type: 'work', primary: true }],
      active: true,
      [ENTERPRISE_USER]: { department: 'Engineering' },
    });
    expect(created.status).toBe(201);

    // No reload, no polling by the page: the change event refreshes the table and the counts.
    await expect.poll(userNamesShown).toEqual(['grace.e2e@example.com']);
    const row = page.getByTestId('user-row').first();
    expect(await row.innerText()).toMatch(/Grace Hopper[\s\S]*grace\.e2e@example\.com[\s\S]*Engineering[\s\S]*active/);
    await expect.poll(() => page.getByTestId('user-count').innerText()).toBe('26');

    const post = page.getByTestId('traffic-row').filter({ hasText: 'POST' }).filter({ hasText: '/Users' });
    await expect.poll(() => post.count()).toBe(1);
    expect(await post.innerText()).toContain('201');

    // The exchange opens with headers and the server's response body.
    await post.click();
    const detail = page.getByTestId('exchange-detail');
    await expect.poll(() => detail.isVisible()).toBe(true);
    expect(await page.getByTestId('exchange-body').innerText()).toContain(String(created.json.id));
    await page.getByRole('tab', { name: 'Request' }).click();
    expect(await page.getByTestId('exchange-body').innerText()).toContain('"userName": "grace.e2e@example.com"');
    expect(await detail.innerText()).toContain('Bearer [redacted]');
  });

  it('hides the console’s own requests unless asked', async () => {
    const rows = page.getByTestId('traffic-row');
    // Only this test's own SCIM calls are shown: the GETs it made to compute expectations, and the POST.
    const clientRequests = provider.log.entries().filter((entry) => entry.requestHeaders['user-agent'] !== CONSOLE_USER_AGENT);
    await expect.poll(() => rows.count()).toBe(clientRequests.length);
    await page.getByLabel('Console requests').check();
    await expect.poll(() => rows.count()).toBeGreaterThan(clientRequests.length);
    await page.getByLabel('Console requests').uncheck();
    await expect.poll(() => rows.count()).toBe(clientRequests.length);
  });

  it('serves the same CSP in the page and the header, and runs clean under it', async () => {
    const response = await fetch(`${provider.origin}/`);
    const html = await response.text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'");
    expect(meta).toBeDefined();
    expect(`${meta}; frame-ancestors 'none'`).toBe(response.headers.get('content-security-policy'));
    expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(pageErrors).toEqual([]);
  });

  it('saves a screenshot of the console', async () => {
    // A representative state for docs: the full directory and one exchange opened.
    await applyFilter('');
    await expect.poll(async () => (await userNamesShown()).length).toBe(PAGE_SIZE);
    await page.getByRole('tab', { name: 'Response' }).click();
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  // Last: it locks the page.
  it('locks an open console once Scimulator runs with a new secret, as after a restart', async () => {
    const previous = host!;
    host = createConsoleHost(createConsoleApi(provider), { rendererDir });
    previous.close(); // Ends the page's event stream; EventSource reconnects to the new host.
    const message = page.getByTestId('console-locked');
    await expect.poll(() => message.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await message.innerText()).toContain('scimulator serve');
  });
});
