/**
 * The local provider's view, end to end in a real Chromium, driven as a developer would while an
 * IdP provisions into Scimulator: a user created by a SCIM client appears live and highlighted,
 * its drawer opens and closes from the keyboard, the table sorts on the server, the URL keeps
 * what is shown across a reload, and the traffic panel filters, pauses, exports HAR and saves a
 * selection as a scenario that loads.
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped with a notice when it is missing.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtRenderer, chromiumAvailable, launchChromium } from '../support/console-e2e.js';
import { createConsoleApi } from '../../src-main/api/console-api.js';
import { consoleUrl, createConsoleHost, type ConsoleHost } from '../../src-main/hosts/console-host.js';
import { serveProvider, type RunningProvider } from '../../src-main/hosts/provider-host.js';
import { parseScenario } from '../../src-main/scenarios/load.js';

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
/** A small request-log ring, so the page shows it wrapped ("last N of M"). */
const LOG_CAPACITY = 80;

let rendererDir: string;
let provider: RunningProvider;
let host: ConsoleHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** A SCIM client's call, over real HTTP. */
async function scim(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(provider.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${provider.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const userNames = () => page.getByTestId('user-name').allInnerTexts();
const trafficRows = () => page.getByTestId('traffic-row');
/**
 * The traffic count once it has stopped moving: the panel applies live exchanges at most ten times
 * a second, and after a reload it is still reading the log, so a count read at once can be short.
 */
async function settledTrafficCount(): Promise<number> {
  let last = Number.NaN;
  for (let attempt = 0; attempt < 25; attempt++) {
    const now = Number(await page.getByTestId('traffic-count').innerText());
    if (now === last) return now;
    last = now;
    await page.waitForTimeout(400);
  }
  throw new Error(`the traffic count kept changing (last ${last})`);
}
const focusedInside = (testId: string) =>
  page.evaluate((id) => document.activeElement?.closest(`[data-testid="${id}"]`) !== null, testId);

async function applyFilter(filter: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'SCIM filter' });
  await input.fill(filter);
  await input.press('Enter');
}

async function screenshot(name: string): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, name) });
}

describe.skipIf(!chromiumAvailable())('the local provider view in a browser', () => {
  beforeAll(async () => {
    rendererDir = await builtRenderer();
    provider = await serveProvider({
      port: 0,
      seed: 40,
      logCapacity: LOG_CAPACITY,
      console: (hosted) => {
        host = createConsoleHost(createConsoleApi(hosted), { rendererDir });
        return host;
      },
    });
    // More exchanges than the ring keeps, before the page opens.
    for (let i = 0; i < LOG_CAPACITY + 10; i++) expect((await scim('GET', `/Users?count=1&startIndex=${i + 1}`)).status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true, reducedMotion: 'reduce' });
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(consoleUrl(provider.origin, host.secret));
    // Newest first, through the URL, as a shared link would ask for it.
    await page.evaluate(() => {
      window.location.hash = '#/provider?sort=meta.created&order=desc';
    });
    await page.getByTestId('user-row').nth(19).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
  });

  it('says the request log wrapped: the last N of M exchanges', async () => {
    const note = page.getByTestId('traffic-wrap');
    await expect.poll(() => note.isVisible()).toBe(true);
    const [, shown, total] = /^last ([\d,]+) of ([\d,]+)$/.exec(await note.innerText())!.map((n) => Number(n.replace(/,/g, '')));
    expect(shown).toBeGreaterThanOrEqual(LOG_CAPACITY - 5);
    expect(total).toBeGreaterThan(LOG_CAPACITY + 5);
  });

  it('shows a user a SCIM client creates at the top, live, highlighted', async () => {
    expect(await page.getByLabel('Newest first').isChecked()).toBe(true);
    const created = await scim('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'ada.live@example.com',
      displayName: 'Ada Lovelace',
      emails: [{ value: 'ada.live@example.com', type: 'work', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    const row = page.locator(`tr[data-id="${String(created.json.id)}"]`);
    await expect.poll(() => row.getAttribute('data-changed'), { timeout: 2000 }).toBe('true');
    expect((await userNames())[0]).toBe('ada.live@example.com');
    await screenshot('provider-live-1440.png');
    // The highlight is brief.
    await expect.poll(() => row.getAttribute('data-changed'), { timeout: 6000 }).toBeNull();
  });

  it('opens a user in a drawer with its groups and exchanges, and Esc gives focus back', async () => {
    const ada = (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "ada.live@example.com"')}`)).json.Resources as { id: string }[];
    const id = ada[0]!.id;
    expect((await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Analysts', members: [{ value: id }] })).status).toBe(201);

    const row = page.locator(`tr[data-id="${id}"]`);
    await row.click();
    const drawer = page.getByTestId('resource-drawer');
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await focusedInside('resource-drawer')).toBe(true);
    expect(await page.getByTestId('drawer-id').innerText()).toBe(id);
    await expect.poll(() => drawer.getByRole('button', { name: 'Analysts' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('drawer-json').innerText()).toContain('"userName": "ada.live@example.com"');
    // The exchanges that touched it: its creation and the group that named it.
    const exchanges = page.getByTestId('drawer-exchanges');
    await expect.poll(() => exchanges.innerText()).toMatch(/POST[\s\S]*\/Groups[\s\S]*201[\s\S]*POST[\s\S]*\/Users[\s\S]*201/);
    expect(new URL(page.url()).hash).toContain(`open=User%3A${id}`);
    await screenshot('provider-drawer-1440.png');

    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(id);
    expect(new URL(page.url()).hash).not.toContain('open=');

    // The keyboard opens it again from the row: Enter.
    await page.keyboard.press('Enter');
    await expect.poll(() => drawer.isVisible()).toBe(true);
    await drawer.getByRole('button', { name: 'Analysts' }).click();
    await expect.poll(() => page.getByTestId('drawer-json').innerText()).toContain('"displayName": "Analysts"');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
  });

  it('sorts by a column on the server, ascending then descending', async () => {
    await page.getByLabel('Newest first').uncheck();
    const header = page.getByRole('columnheader', { name: /userName/ });
    await header.getByRole('button').click();
    const expected = async (order: string) =>
      ((await scim('GET', `/Users?sortBy=userName&sortOrder=${order}&count=20`)).json.Resources as { userName: string }[]).map((u) => u.userName);
    const ascending = await expected('ascending');
    await expect.poll(userNames).toEqual(ascending);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.getByRole('button').click();
    await expect.poll(userNames).toEqual(await expected('descending'));
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(new URL(page.url()).hash).toContain('sort=userName');
  });

  it('keeps tab, filter, page and sort in the URL across a reload', async () => {
    await applyFilter('active eq true');
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.getByTestId('page-range').innerText()).toMatch(/^21–/);
    const before = await userNames();
    const range = await page.getByTestId('page-range').innerText();
    await page.reload();
    await expect.poll(() => page.getByTestId('page-range').innerText()).toBe(range);
    expect(await userNames()).toEqual(before);
    expect(await page.getByRole('textbox', { name: 'SCIM filter' }).inputValue()).toBe('active eq true');

    // The tabs are a tablist: arrow keys move between them, and the tab too survives a reload.
    await page.getByRole('tab', { name: /Users/ }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: /Groups/ }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
    await expect.poll(() => page.getByTestId('group-name').count()).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => page.getByRole('tab', { name: /Groups/ }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Tab');
    await page.getByRole('tab', { name: /Groups/ }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByRole('tab', { name: /Users/ }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(async () => (await userNames()).length).toBe(20);
  });

  it('filters the traffic by method, status class, path and notes', async () => {
    expect((await scim('GET', '/Users/no-such-user')).status).toBe(404);
    // "True" as a string: accepted leniently, with a note.
    expect((await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'noted@example.com', active: 'True' })).status).toBe(201);
    const bulk = await scim('POST', '/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'b1', data: { schemas: [USER_SCHEMA], userName: 'bulk.one@example.com' } },
        { method: 'POST', path: '/Users', bulkId: 'b2', data: { schemas: [USER_SCHEMA], userName: 'bulk.one@example.com' } },
      ],
    });
    expect(bulk.status).toBe(200);

    await page.getByLabel('Method').selectOption('POST');
    await expect.poll(async () => (await trafficRows().allInnerTexts()).every((text) => text.startsWith('POST'))).toBe(true);
    await expect.poll(() => trafficRows().count()).toBeGreaterThanOrEqual(4);
    await page.getByLabel('Method').selectOption('');

    await page.getByLabel('Status').selectOption('4xx');
    await expect.poll(() => trafficRows().allInnerTexts()).toEqual([expect.stringMatching(/GET\s+\/Users\/no-such-user\s+404/)]);
    await page.getByLabel('Status').selectOption('');

    await page.getByLabel('Path contains').fill('/bulk');
    await expect.poll(() => trafficRows().count()).toBe(1);
    // The Bulk exchange shows each operation with its own status.
    await trafficRows().first().click();
    const operations = page.getByTestId('bulk-operation');
    await expect.poll(() => operations.count()).toBe(2);
    expect(await operations.nth(0).innerText()).toMatch(/POST[\s\S]*\/Users[\s\S]*b1[\s\S]*201/);
    expect(await operations.nth(1).innerText()).toMatch(/b2[\s\S]*409/);
    await screenshot('provider-bulk-1440.png');
    await page.getByLabel('Path contains').fill('');

    await page.getByLabel('Has notes').check();
    await expect.poll(() => trafficRows().allInnerTexts()).toEqual([expect.stringMatching(/POST\s+\/Users\s+has notes\s+201/)]);
    await page.getByLabel('Has notes').uncheck();
  });

  it('pauses: new exchanges wait, counted, until resumed', async () => {
    const count = page.getByTestId('traffic-count');
    const shown = await settledTrafficCount();
    const firstRow = await trafficRows().first().innerText();
    await page.getByTestId('traffic-pause').click();
    for (let i = 0; i < 3; i++) expect((await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "paused${i}"`)}`)).status).toBe(200);
    await expect.poll(() => page.getByTestId('traffic-held').innerText()).toBe('3 new');
    expect(Number(await count.innerText())).toBe(shown);
    expect(await trafficRows().first().innerText()).toBe(firstRow);
    await page.getByTestId('traffic-pause').click();
    await expect.poll(async () => Number(await count.innerText())).toBe(shown + 3);
    expect(await trafficRows().first().innerText()).toContain('paused2');
  });

  it('exports what the filters show as a HAR file', async () => {
    await page.getByLabel('Method').selectOption('POST');
    const shown = await trafficRows().count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HAR' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.har$/);
    const har = JSON.parse(await readFile((await download.path())!, 'utf8')) as { log: { version: string; entries: { request: { method: string; url: string } }[] } };
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(shown);
    expect(har.log.entries.every((entry) => entry.request.method === 'POST' && entry.request.url.startsWith(provider.baseUrl))).toBe(true);
    expect(JSON.stringify(har)).not.toContain(provider.token);
    await expect.poll(() => page.getByTestId('provider-status').innerText()).toContain('Exported');
    await page.getByLabel('Method').selectOption('');
  });

  it('saves selected exchanges as a scenario that loads', async () => {
    // Tick the group's creation and the 404 lookup, by mouse and by keyboard.
    const post = page.locator('.traffic-item').filter({ hasText: 'POST' }).filter({ hasText: '/Groups' }).first();
    await post.getByRole('checkbox').check();
    const notFound = page.locator('.traffic-item').filter({ hasText: 'no-such-user' }).first();
    await notFound.getByTestId('traffic-row').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('traffic-selection').innerText()).toBe('2 selected');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as scenario' }).click()]);
    expect(download.suggestedFilename()).toBe('recorded-traffic.yaml');
    // Said on the page, not only to a screen reader: with no scenario folder open, the file is a download.
    await expect.poll(() => page.getByTestId('traffic-saved').innerText()).toContain('Downloaded 2 exchanges as recorded-traffic.yaml');
    const yaml = await readFile((await download.path())!, 'utf8');
    const scenario = parseScenario(yaml, { source: 'recorded-traffic.yaml', format: 'yaml' });
    expect(scenario.steps.map((step) => step.name)).toEqual(['POST /Groups', 'GET /Users/no-such-user']);
    await screenshot('provider-selection-1440.png');
  });

  it('lays out at 1024 and 1440 px, light and dark, with nothing cut off and no sideways scrolling', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      for (const width of [1024, 1440]) {
        await page.setViewportSize({ width, height: 800 });
        await expect.poll(async () => (await userNames()).length).toBe(20);
        await screenshot(`provider-${width}-${colorScheme}.png`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        // Nor does anything inside the view's panels.
        const overflowing = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.provider-view, .provider-view .panel, .provider-view .panel-header, .traffic-actions, .traffic-filters')]
            .filter((element) => element.scrollWidth > element.clientWidth + 1)
            .map((element) => element.className),
        );
        expect(overflowing).toEqual([]);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('runs clean under the CSP', () => {
    expect(pageErrors).toEqual([]);
  });
});
