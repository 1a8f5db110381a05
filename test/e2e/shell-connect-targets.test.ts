/**
 * The console's shell, Connect and Targets, driven in a real Chromium as a new user would: find the
 * Tenant URL and copy it, switch the theme, use the keyboard (shortcuts, help, tabs), and save a
 * remote target whose secret goes into Node and never comes back to the page.
 *
 * Saves screenshots of both views at 1024 and 1440 px wide, light and dark, under test-results/.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetSummary } from '../../src-main/api/contract.js';
import { chromiumAvailable, openConsoleE2e, type ConsoleE2e } from '../support/console-e2e.js';

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const SECRET = 'e2e-remote-secret-7f3a91';

/** The remote SCIM server under test: a real HTTP server on a free loopback port that records what it is sent. */
async function startRemote(): Promise<{ server: Server; baseUrl: string; received: { method: string; url: string; headers: IncomingHttpHeaders }[] }> {
  const received: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`, received };
}

/** What the page's own bridge gets back from listTargets, over the same HTTP + cookie. */
async function targetsSeenByPage(page: Page): Promise<{ text: string; targets: TargetSummary[] }> {
  return page.evaluate(async () => {
    const response = await fetch('/api/listTargets', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    const text = await response.text();
    return { text, targets: JSON.parse(text) as TargetSummary[] };
  });
}

const selectedTab = (page: Page) => page.getByRole('tablist', { name: 'Views' }).locator('[aria-selected="true"]').innerText();
const theme = (page: Page) => page.evaluate('document.documentElement.dataset.theme');
const background = (page: Page) => page.evaluate('getComputedStyle(document.body).backgroundColor');
const focusInHelp = (page: Page) => page.evaluate(`document.querySelector('[data-testid="help-overlay"]').contains(document.activeElement)`);
const noSidewaysScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

describe.skipIf(!chromiumAvailable())('shell, Connect and Targets in a browser', () => {
  let e2e: ConsoleE2e;
  let remote: Awaited<ReturnType<typeof startRemote>>;
  let page: Page;

  beforeAll(async () => {
    remote = await startRemote();
    e2e = await openConsoleE2e({ seedUsers: 12, viewport: { width: 1440, height: 900 } });
    page = e2e.page;
    await e2e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.origin });
    await mkdir(RESULTS, { recursive: true });
  });

  afterAll(async () => {
    await e2e?.close();
    await new Promise((resolve) => remote?.server.close(resolve));
  });

  it('opens Connect from the header and copies the Tenant URL', async () => {
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => selectedTab(page)).toBe('Connect');
    expect(page.url()).toBe(`${e2e.origin}/#/connect`);
    expect(await page.locator('h1').innerText()).toBe('Connect');

    const tenantUrl = page.getByTestId('tenant-url');
    await expect.poll(() => tenantUrl.locator('code').innerText()).toBe(e2e.baseUrl);
    await tenantUrl.getByRole('button', { name: 'Copy Tenant URL' }).click();
    await expect.poll(() => page.getByTestId('live-region').innerText()).toBe('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(e2e.baseUrl);

    // The token is masked until asked for, in the field and in the curl command.
    const token = e2e.provider.token;
    const secretToken = page.getByTestId('secret-token');
    expect(await secretToken.locator('code').innerText()).not.toContain(token);
    expect(await page.getByTestId('curl-command').innerText()).not.toContain(token);
    await secretToken.getByRole('button', { name: 'Show' }).click();
    expect(await secretToken.locator('code').innerText()).toBe(token);
    expect(await page.getByTestId('curl-command').innerText()).toBe(`curl -H "Authorization: Bearer ${token}" "${e2e.baseUrl}/Users?count=1"`);
    await secretToken.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('button', { name: 'Copy curl command' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toContain(`Bearer ${token}`);

    expect(await page.getByTestId('directory-counts').innerText()).toBe(`12 users · ${e2e.provider.store.count('Group')} groups`);
  });

  it('tests the connection to the local provider as Entra does, showing the exchanges', async () => {
    await page.getByLabel('Test as').selectOption('entra');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const run = page.getByTestId('live-run');
    await expect.poll(() => run.isVisible()).toBe(true);
    await expect.poll(() => run.innerText(), { timeout: 15_000 }).toContain('PASSED');
    expect(await run.innerText()).toContain('testConnection');
    // Its one step is open without a click: Entra's test is a GET of a user by a userName that cannot exist.
    await expect.poll(() => run.getByTestId('timeline-exchange').count()).toBeGreaterThan(0);
    expect(await run.getByTestId('timeline-step').getAttribute('aria-expanded')).toBe('true');
    expect(await run.innerText()).toMatch(/GET[\s\S]*\/Users\?filter=/);
    await expect.poll(() => page.getByRole('button', { name: 'Test connection' }).isEnabled()).toBe(true);
  });

  it('switches to the dark theme and back, and remembers the choice', async () => {
    const themeSwitch = page.getByLabel('Theme');
    expect(await themeSwitch.inputValue()).toBe('system');
    expect(await theme(page)).toBe('light');
    const lightBackground = await background(page);

    await themeSwitch.selectOption('dark');
    await expect.poll(() => theme(page)).toBe('dark');
    expect(await background(page)).not.toBe(lightBackground);
    await page.reload();
    await expect.poll(() => theme(page)).toBe('dark');
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');

    await page.getByLabel('Theme').selectOption('light');
    await expect.poll(() => theme(page)).toBe('light');
    await page.getByLabel('Theme').selectOption('system');
    // The browser says light (colorScheme), so System is light; and it follows the system when that changes.
    expect(await theme(page)).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => theme(page)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => theme(page)).toBe('light');
  });

  it('opens the shortcuts with ?, closes them with Esc and gives focus back', async () => {
    await page.getByRole('tab', { name: 'Connect' }).focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.innerText()).toContain('Focus the filter');
    expect(await focusInHelp(page)).toBe(true);
    // Tab stays inside the modal.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await focusInHelp(page)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Connect');
  });

  it('moves between views with the arrow keys, the digit alone and Alt+digit (a browser keeps Ctrl+digit for its own tabs)', async () => {
    await page.getByRole('tab', { name: 'Connect' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => selectedTab(page)).toBe('Targets');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Targets');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => selectedTab(page)).toBe('Connect');
    await page.keyboard.press('Alt+2');
    await expect.poll(() => selectedTab(page)).toBe('Targets');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => selectedTab(page)).toBe('Connect');
    // Linux browsers keep Alt+digit for their tabs as well: the digit alone works everywhere.
    await page.keyboard.press('3');
    await expect.poll(() => selectedTab(page)).toBe('IdP');
    await page.keyboard.press('1');
    await expect.poll(() => selectedTab(page)).toBe('Connect');
    // Headless Chromium would hand Ctrl+digit to the page, a real one switches its tabs: the console must not count on it.
    await page.keyboard.press('Control+2');
    expect(await selectedTab(page)).toBe('Connect');
    expect(await page.getByRole('tab', { name: 'Targets' }).getAttribute('title')).toBe('Targets (2 or Alt+2)');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => help.isVisible()).toBe(true);
    const helpText = await help.innerText();
    expect(helpText).toMatch(/2\s*or\s*Alt\s*2\s*Targets/);
    expect(helpText).not.toMatch(/Ctrl\s*2/);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
  });

  it('focuses the filter of the view in front with /, as the shortcuts overlay says', async () => {
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
    try {
      for (const [tab, filter] of [
        ['Local provider', 'SCIM filter'],
        ['IdP', 'Filter people'],
        ['History', 'Filter runs'],
      ] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tab', { name: tab }).focus();
        await page.keyboard.press('/');
        await expect.poll(focusedLabel).toBe(filter);
      }
    } finally {
      // The tests below work in Targets.
      await page.getByRole('tab', { name: 'Targets' }).click();
    }
  });

  it('lists the built-in targets', async () => {
    const items = page.getByTestId('target-item');
    await expect.poll(() => items.count()).toBeGreaterThanOrEqual(2);
    expect(await items.first().innerText()).toContain(e2e.baseUrl);
    expect(await page.getByTestId('empty-state').innerText()).toContain('No remote targets yet');
  });

  it('says what is wrong at the field, before and after sending', async () => {
    await page.getByRole('button', { name: 'New target' }).click();
    await expect.poll(() => page.evaluate("document.activeElement?.id.endsWith('-name')")).toBe(true);
    await page.getByLabel('Name').fill('Remote under test');
    await page.getByLabel('Base URL').fill('scim.example.com');
    await page.getByRole('button', { name: 'Save target' }).click();
    expect(await page.getByText('Enter the SCIM base URL, starting with https://').isVisible()).toBe(true);
    expect(await page.getByText('Required: nothing is saved for this yet.').isVisible()).toBe(true);
    // Focus goes to the first field to fix (the name is fine), not left on the button.
    await expect.poll(() => page.evaluate("document.activeElement?.id.endsWith('-baseUrl')")).toBe(true);

    // A header the HTTP transport owns: only the server knows; its message lands at the field.
    await page.getByLabel('Base URL').fill(remote.baseUrl);
    await page.getByLabel('Authentication').selectOption('header');
    await page.getByLabel('Header name').fill('Content-Type');
    await page.getByLabel('Header value').fill(SECRET);
    await page.getByRole('button', { name: 'Save target' }).click();
    const headerError = page.locator('.field-error').filter({ hasText: 'Content-Type is set by the HTTP transport' });
    await expect.poll(() => headerError.count()).toBe(1);
    await expect.poll(() => page.evaluate("document.activeElement?.id.endsWith('-headerName')")).toBe(true);
    expect((await targetsSeenByPage(page)).targets.filter((target) => target.kind === 'remote')).toEqual([]);
  });

  it('saves a remote target whose secret never comes back to the page', async () => {
    await page.getByLabel('Authentication').selectOption('bearer');
    await page.getByLabel('Token').fill(SECRET);
    await page.getByLabel('Accept a self-signed certificate').check();
    await page.getByLabel('Timeout (s)').fill('5');
    await page.getByRole('button', { name: 'Save target' }).click();

    const item = page.getByTestId('target-item').filter({ hasText: 'Remote under test' });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getAttribute('aria-current')).toBe('true');
    // The form shows that a token is saved, not the token.
    const tokenField = page.getByLabel('Token');
    expect(await tokenField.inputValue()).toBe('');
    expect(await tokenField.getAttribute('placeholder')).toBe('saved — leave empty to keep');

    const { text, targets } = await targetsSeenByPage(page);
    const saved = targets.find((target) => target.name === 'Remote under test');
    expect(saved).toMatchObject({ kind: 'remote', baseUrl: remote.baseUrl, insecure: true, timeoutMs: 5000, auth: { kind: 'bearer', secretSaved: true } });
    expect(text).not.toContain(SECRET);
    expect(await page.content()).not.toContain(SECRET);

    // Editing something else keeps the saved secret.
    await page.getByLabel('Name').fill('Remote (renamed)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('target-item').filter({ hasText: 'Remote (renamed)' }).count()).toBe(1);
    const after = (await targetsSeenByPage(page)).targets.find((target) => target.id === saved?.id);
    expect(after?.auth).toEqual({ kind: 'bearer', secretSaved: true });
  });

  it('tests the connection to the remote target with its saved secret, sent from Node', async () => {
    const before = remote.received.length;
    await page.getByLabel('Test as').selectOption('okta');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => remote.received.length, { timeout: 15_000 }).toBeGreaterThan(before);
    const sent = remote.received.slice(before);
    expect(sent.every((request) => request.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    const run = page.getByTestId('live-run');
    await expect.poll(() => run.innerText()).toContain('PASSED');
    await expect.poll(() => page.getByRole('button', { name: 'Test connection' }).isEnabled()).toBe(true);
    // The page shows the exchange with the credential redacted.
    expect(await page.content()).not.toContain(SECRET);
    await page.screenshot({ path: `${RESULTS}shell-target-test-1440-light.png` });
  });

  it('saves screenshots at 1024 and 1440 px, light and dark, with nothing scrolling sideways', async () => {
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.getByLabel('Theme').selectOption(scheme);
        await expect.poll(() => theme(page)).toBe(scheme);
        for (const view of ['connect', 'targets'] as const) {
          await page.getByRole('tab', { name: view === 'connect' ? 'Connect' : 'Targets' }).click();
          await expect.poll(() => selectedTab(page)).toBe(view === 'connect' ? 'Connect' : 'Targets');
          expect(await noSidewaysScroll(page)).toBe(true);
          await page.screenshot({ path: `${RESULTS}shell-${view}-${width}-${scheme}.png` });
        }
      }
    }
    await page.getByRole('tab', { name: 'Targets' }).click();
    await page.keyboard.press('?');
    await page.screenshot({ path: `${RESULTS}shell-help-1440-dark.png` });
    await page.keyboard.press('Escape');
    await page.getByLabel('Theme').selectOption('system');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('deletes the target after asking', async () => {
    await page.getByTestId('target-item').filter({ hasText: 'Remote (renamed)' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Remote (renamed)?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    // The safe choice has the focus.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Keep it');
    await confirm.getByRole('button', { name: 'Delete target' }).click();
    await expect.poll(() => page.getByTestId('target-item').filter({ hasText: 'Remote (renamed)' }).count()).toBe(0);
    expect((await targetsSeenByPage(page)).targets.some((target) => target.kind === 'remote')).toBe(false);
  });

  it('ran clean under the CSP', () => {
    // The one 400 is the refused Content-Type header above, which Chromium logs as a failed load.
    const expected = /status of 400 \(Bad Request\) \(http:\/\/127\.0\.0\.1:\d+\/api\/saveTarget\)/;
    expect(e2e.errors.filter((error) => !expected.test(error))).toEqual([]);
    expect(e2e.errors.filter((error) => expected.test(error))).toHaveLength(1);
  });
});
