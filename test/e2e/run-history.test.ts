/**
 * The run and history views end to end in a real Chromium, driven as a new user would: run a
 * built-in scenario and watch it pass live, open a failing exchange with its finding and diff,
 * compare two targets side by side, export a report, save a baseline and diff the next run
 * against it, and reopen and diff runs from History. Real runs against the real local provider and
 * practice targets, through the browser host (HTTP + SSE).
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped with a notice when it is missing.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartRunArgs, StartedRun } from '../../src-main/api/contract.js';
import { chromiumAvailable, openConsoleE2e, type ConsoleE2e } from '../support/console-e2e.js';

const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

let e2e: ConsoleE2e;
let page: Page;
let origin: string;
/** A SCIM endpoint that answers every request late, so a run is still going when the test cancels it. */
let slowServer: Server;
let slowTarget: string;

/** The view at 1024 and 1440 px, light and dark (the console follows the system's scheme by default). */
async function screenshot(name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: 820 });
      await page.waitForTimeout(60);
      await page.screenshot({ path: join(RESULTS, `${name}-${width}-${colorScheme}.png`) });
      // Nothing may push the page sideways at any width from 1024 up.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 820 });
}

/**
 * The Scenarios view (another view) starts runs in the product; here the test sends the same
 * command to the same API, and the page follows the run through its events as it would.
 */
function startRun(args: StartRunArgs): Promise<StartedRun> {
  return e2e.api.startRun(args);
}

describe.skipIf(!chromiumAvailable())('run and history views in a browser', () => {
  beforeAll(async () => {
    e2e = await openConsoleE2e({ seedUsers: 9 });
    page = e2e.page;
    origin = e2e.origin;
    await e2e.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    slowServer = createServer((request, response) => {
      request.resume();
      setTimeout(() => {
        response.writeHead(404, { 'content-type': 'application/scim+json' });
        response.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'slow' }));
      }, 800);
    });
    await new Promise<void>((resolve) => slowServer.listen(0, '127.0.0.1', resolve));
    const port = (slowServer.address() as AddressInfo).port;
    slowTarget = (await e2e.api.saveTarget({ name: 'Slow target', baseUrl: `http://127.0.0.1:${port}/scim/v2`, auth: { kind: 'bearer', token: 'slow-token' } })).id;
  });

  afterAll(async () => {
    slowServer?.closeAllConnections();
    await new Promise((resolve) => slowServer?.close(resolve));
    await e2e?.close();
  });

  it('shows an empty state pointing to Scenarios and History when no run is open', async () => {
    await page.goto(`${origin}/#/run`);
    await expect.poll(() => page.getByRole('heading', { name: 'No run open' }).count()).toBe(1);
    await screenshot('run-empty');
    await page.getByRole('button', { name: 'Open History' }).click();
    await expect.poll(() => page.getByText('No runs yet').count()).toBe(1);
    await screenshot('history-empty');
  });

  it('runs okta-lifecycle against the local provider and shows it pass live', async () => {
    await page.goto(`${origin}/#/run`);
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    await page.goto(`${origin}/#/run?run=${runId}`);
    const counts = page.getByTestId('run-counts');
    await expect.poll(() => counts.getAttribute('data-status'), { timeout: 20_000 }).toBe('passed');
    const passed = Number(await page.getByTestId('count-passed').innerText());
    expect(passed).toBeGreaterThan(0);
    expect(await page.getByTestId('count-failed').innerText()).toBe('0');
    expect(await page.getByRole('heading', { name: 'okta-lifecycle' }).count()).toBe(1);
    // Open the first step and its first exchange: request, response and Copy as curl with the local token.
    await page.getByTestId('timeline-step').first().click();
    await page.getByTestId('timeline-exchange').first().click();
    const detail = page.getByTestId('exchange-view');
    await expect.poll(() => detail.count()).toBe(1);
    expect(await detail.getByTestId('exchange-status').innerText()).toMatch(/^\d{3}$/);
    // Copy as curl puts the local provider's real token where the record redacted it.
    await detail.getByTestId('copy-curl').click();
    await expect.poll(() => detail.getByTestId('copy-curl').innerText()).toBe('Copied');
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toMatch(/^curl /);
    expect(curl).toContain(`Authorization: Bearer ${e2e.provider.token}`);
    await screenshot('run-passed');
  });

  it('runs entra-lifecycle against a practice target and opens a failing exchange, its finding and its diff', async () => {
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'practice:litellm' });
    await page.goto(`${origin}/#/run?run=${runId}`);
    const counts = page.getByTestId('run-counts');
    await expect.poll(() => counts.getAttribute('data-status'), { timeout: 20_000 }).not.toMatch(/running|pending/);
    // Errors only: the timeline keeps the failing steps and the exchanges with error findings.
    await page.getByLabel('Errors only').check();
    const failing = page.getByTestId('timeline-exchange');
    await expect.poll(() => failing.count()).toBeGreaterThan(0);
    await failing.first().click();
    // Its findings, the worst first, with their explanation and reference.
    const finding = page.getByTestId('finding').first();
    await expect.poll(() => finding.count()).toBe(1);
    expect(await finding.getAttribute('data-severity')).toBe('error');
    expect(await finding.getByRole('link').getAttribute('href')).toMatch(/^https:\/\//);
    // Somewhere among the failing exchanges, a finding or failed check shows expected vs actual side by side.
    let diffs = 0;
    for (let i = 0; i < (await failing.count()) && diffs === 0; i++) {
      await failing.nth(i).click();
      await expect.poll(() => page.getByTestId('exchange-view').getAttribute('aria-label')).toContain(`Exchange ${await failing.nth(i).getAttribute('data-index')}:`);
      diffs = await page.getByTestId('value-diff').count();
    }
    expect(diffs).toBeGreaterThan(0);
    const changed = page.getByTestId('value-diff').first().locator('.k-changed, .k-added, .k-removed');
    expect(await changed.count()).toBeGreaterThan(0);
    await screenshot('run-failing');
  });

  it('wraps a finding whose message quotes a long unbroken body, instead of cutting it off', async () => {
    // Open WebUI answers GET /Schemas with a bare JSON array, which the finding quotes at length.
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'practice:open-webui' });
    await page.setViewportSize({ width: 1024, height: 820 });
    try {
      await page.goto(`${origin}/#/run?run=${runId}`);
      await expect.poll(() => page.getByTestId('run-counts').getAttribute('data-status'), { timeout: 20_000 }).not.toMatch(/running|pending/);
      await expect.poll(() => page.getByTestId('finding').count()).toBeGreaterThan(0);
      const clipped = await page.getByTestId('exchange-view').evaluate((view) =>
        Array.from(view.querySelectorAll<HTMLElement>('.fl-title, .fl-message'))
          .filter((element) => element.scrollWidth > element.clientWidth + 1)
          .map((element) => element.textContent?.slice(0, 60)),
      );
      expect(clipped).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 820 });
    }
  });

  it('compares two targets side by side', async () => {
    const { runId, compareRunId } = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local', compareTarget: 'practice:open-webui' });
    expect(compareRunId).toBeDefined();
    await page.goto(`${origin}/#/run?run=${runId}&compare=${compareRunId}&pane=compare`);
    const diff = page.getByTestId('run-diff');
    await expect.poll(() => diff.count(), { timeout: 20_000 }).toBe(1);
    expect(await diff.innerText()).toContain('Open WebUI (practice)');
    // Target B goes by its name, as Target A does, live and after a reload alike.
    const targetB = page.locator('.rv-compare-counts > span').first();
    expect(await targetB.innerText()).toBe('B: Open WebUI (practice)');
    await page.reload();
    await expect.poll(() => page.getByTestId('run-diff').count(), { timeout: 20_000 }).toBe(1);
    expect(await targetB.innerText()).toBe('B: Open WebUI (practice)');
    await screenshot('run-compare');
    // B's own steps: its run comes to the front, and this one becomes B.
    await page.getByRole('button', { name: "Show B's steps" }).click();
    await expect.poll(() => page.url()).toContain(`run=${compareRunId}&compare=${runId}`);
    await expect.poll(() => targetB.innerText()).toBe('B: Local provider');
    expect(await page.locator('.rv-sub').innerText()).toContain('Open WebUI (practice)');
    await expect.poll(() => page.getByTestId('timeline-step').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: "Show B's steps" }).click();
    await expect.poll(() => targetB.innerText()).toBe('B: Open WebUI (practice)');
    // Run again runs the pair again, against the same two targets.
    await page.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => page.url()).not.toContain(runId);
    expect(page.url()).toMatch(/compare=/);
    await expect.poll(() => page.getByTestId('run-diff').count(), { timeout: 20_000 }).toBe(1);
    expect(await targetB.innerText()).toBe('B: Open WebUI (practice)');
  });

  it('exports an HTML report as a download', async () => {
    await page.getByLabel('Report format').selectOption('html');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    const file = join(e2e.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    expect(await readFile(file, 'utf8')).toMatch(/<html/i);
  });

  it('saves a run as baseline and diffs the next run against it', async () => {
    const first = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'practice:open-webui' });
    await page.goto(`${origin}/#/run?run=${first.runId}`);
    await expect.poll(() => page.getByTestId('run-counts').getAttribute('data-status'), { timeout: 20_000 }).not.toMatch(/running|pending/);
    await page.getByRole('button', { name: 'Save as baseline' }).click();
    await expect.poll(() => page.getByText('Saved as the baseline').count()).toBe(1);
    // The baseline's own "vs baseline" tab says it is the baseline, not that there is none.
    await page.getByRole('tab', { name: 'vs baseline' }).click();
    const self = page.getByTestId('baseline-self');
    await expect.poll(() => self.count()).toBe(1);
    expect(await self.innerText()).toContain('This run is the baseline for okta-lifecycle on Open WebUI (practice). Run again to compare a new run against it.');
    expect(await page.getByText('No baseline yet').count()).toBe(0);
    await self.getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => page.url()).not.toContain(first.runId);
    await expect.poll(() => page.getByTestId('run-diff').count(), { timeout: 20_000 }).toBe(1);
    const second = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'practice:open-webui' });
    await page.goto(`${origin}/#/run?run=${second.runId}&pane=baseline`);
    await expect.poll(() => page.getByTestId('run-diff').count(), { timeout: 20_000 }).toBe(1);
    await screenshot('run-baseline');
  });

  it('lists every run in History, reopens one and diffs two', async () => {
    await page.goto(`${origin}/#/history`);
    const rows = page.getByTestId('history-run');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByText('baseline', { exact: true }).count()).toBeGreaterThan(0);
    await screenshot('history');
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await page.getByRole('button', { name: /Diff selected/ }).click();
    await expect.poll(() => page.getByTestId('run-diff').count(), { timeout: 10_000 }).toBe(1);
    await screenshot('history-diff');
    await rows.nth(0).getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.url()).toContain('#/run?run=');
    await expect.poll(() => page.getByTestId('run-counts').count()).toBe(1);
  });

  it('counts a run live and cancels it with Ctrl+.', async () => {
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: slowTarget });
    await page.goto(`${origin}/#/run?run=${runId}`);
    const counts = page.getByTestId('run-counts');
    await expect.poll(() => counts.getAttribute('data-status')).toBe('running');
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    // The counts move while the run goes: the slow target's 404s fail steps one by one.
    await expect.poll(async () => Number(await page.getByTestId('count-failed').innerText()), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await counts.getAttribute('data-status')).toBe('running');
    // One quick shot: the run must still be going when Ctrl+. is pressed.
    await page.screenshot({ path: join(RESULTS, 'run-live-1280-light.png') });
    await page.keyboard.press('Control+Period');
    await expect.poll(() => counts.getAttribute('data-status'), { timeout: 15_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
  });

  it('ran clean under the console CSP', () => {
    expect(e2e.errors).toEqual([]);
  });
});
