/**
 * The run and history views end to end in a real Chromium, driven as a new user would: run a
 * built-in scenario and watch it pass live, open a failing exchange with its finding and diff,
 * compare two targets side by side, export a report, save a baseline and diff the next run
 * against it, and reopen and diff runs from History. Real runs against the real local provider and
 * practice targets, through the browser host (HTTP + SSE).
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped with a notice when it is missing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRendererConfig } from '../../electron.vite.config.js';
import { createConsoleApi } from '../../src-main/api/console-api.js';
import type { TargetSummary } from '../../src-main/api/contract.js';
import { createEventHub } from '../../src-main/console/event-hub.js';
import type { IdpDirectoryHolder, TargetCatalog, TargetCommands } from '../../src-main/console/ports.js';
import { openRunHistory } from '../../src-main/console/run-history.js';
import { createRunService, type RunService } from '../../src-main/console/runs.js';
import { createScenarioService } from '../../src-main/console/scenarios.js';
import { consoleUrl, createConsoleHost, type ConsoleHost } from '../../src-main/hosts/console-host.js';
import { serveProvider, type RunningProvider } from '../../src-main/hosts/provider-host.js';
import { IdpDirectory } from '../../src-main/idp/directory.js';
import type { Target } from '../../src-main/runner/target.js';
import { localTargetFor } from '../../src-main/runner/targets/local-target.js';
import { createPracticeTarget } from '../../src-main/runner/targets/practice-target.js';

const CHROMIUM = process.env.SCIMULATOR_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

let rendererDir: string;
let dataDir: string;
let provider: RunningProvider;
let host: ConsoleHost;
let runs: RunService;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function buildRenderer(outDir: string): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...createRendererConfig({ outDir }), configFile: false, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/** The local provider and two practice products, as the targets service offers them. */
function catalog(local: () => RunningProvider): TargetCatalog & TargetCommands {
  const practices = { litellm: createPracticeTarget('litellm'), 'open-webui': createPracticeTarget('open-webui') };
  const summary = (id: string, kind: TargetSummary['kind'], name: string, baseUrl: string): TargetSummary => ({
    id,
    kind,
    name,
    baseUrl,
    auth: { kind: 'bearer', secretSaved: true },
    insecure: false,
    builtIn: true,
  });
  // The provider starts after the services it serves: its base URL is read when asked for.
  const summaries = (): TargetSummary[] => [
    summary('local', 'local', 'Local provider', local().baseUrl),
    summary('practice:litellm', 'practice', 'LiteLLM (practice)', practices.litellm.baseUrl),
    summary('practice:open-webui', 'practice', 'Open WebUI (practice)', practices['open-webui'].baseUrl),
    summary('slow', 'remote', 'Slow target', slow.baseUrl),
  ];
  // A target that takes a while to answer, so a run is still going when the test cancels it.
  const slowPractice = createPracticeTarget('metabase');
  const slow: Target = {
    key: 'slow',
    baseUrl: slowPractice.baseUrl,
    send: async (request, signal) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 250);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        });
      });
      return slowPractice.send(request, signal);
    },
    close: async () => {},
  };
  const shared = (target: Target): Target => ({ key: target.key, baseUrl: target.baseUrl, send: (r, s) => target.send(r, s), close: async () => {} });
  return {
    describe(id) {
      const found = summaries().find((item) => item.id === id);
      if (!found) throw new Error(`No target "${id}"`);
      return found;
    },
    async open(id) {
      if (id === 'local') return localTargetFor(local());
      if (id === 'slow') return slow;
      const name = id.replace(/^practice:/, '') as keyof typeof practices;
      if (practices[name]) return shared(practices[name]);
      throw new Error(`No target "${id}"`);
    },
    listTargets: async () => summaries(),
    saveTarget: async () => {
      throw new Error('not in this test');
    },
    deleteTarget: async () => {},
  };
}

/** The view at 1024 and 1440 px, light and dark (the console follows the system's scheme by default). */
async function screenshot(name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: 820 });
      await page.waitForTimeout(60);
      await page.screenshot({ path: join(RESULTS, `${name}-${width}-${colorScheme}.png`) });
      // Nothing may push the page sideways at any width from 1024 up.
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 820 });
}

async function startRun(args: Parameters<RunService['startRun']>[0]): Promise<{ runId: string; compareRunId?: string }> {
  // The Scenarios view (another branch) starts runs in the product; here the test sends the same
  // command to the same service, and the page follows the run through its events as it would.
  return runs.startRun(args);
}

describe.skipIf(!existsSync(CHROMIUM))('run and history views in a browser', () => {
  beforeAll(async () => {
    rendererDir = await mkdtemp(join(tmpdir(), 'scimulator-renderer-'));
    dataDir = await mkdtemp(join(tmpdir(), 'scimulator-runs-'));
    await buildRenderer(rendererDir);
    const events = createEventHub();
    const scenarios = createScenarioService({});
    const idp: IdpDirectoryHolder = { directory: new IdpDirectory(), save: async () => {} };
    const targets = catalog(() => provider);
    const history = await openRunHistory(join(dataDir, 'runs.json'));
    runs = createRunService({ targets, idp, events, history, scenarios });
    provider = await serveProvider({
      port: 0,
      seed: 9,
      console: (hosted) => {
        host = createConsoleHost(createConsoleApi(hosted, { events, scenarios, runs, targets }), { rendererDir });
        return Object.assign((req: IncomingMessage, res: ServerResponse) => host(req, res), { secret: host.secret, close: () => host.close() });
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, deviceScaleFactor: 1, acceptDownloads: true, reducedMotion: 'reduce' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: provider.origin });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(consoleUrl(provider.origin, host.secret));
  });

  afterAll(async () => {
    await browser?.close();
    await runs?.close();
    await provider?.close();
    if (rendererDir) await rm(rendererDir, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows an empty state pointing to Scenarios and History when no run is open', async () => {
    await page.goto(`${provider.origin}/#/run`);
    await expect.poll(() => page.getByRole('heading', { name: 'No run open' }).count()).toBe(1);
    await screenshot('run-empty');
    await page.getByRole('button', { name: 'Open History' }).click();
    await expect.poll(() => page.getByText('No runs yet').count()).toBe(1);
    await screenshot('history-empty');
  });

  it('runs okta-lifecycle against the local provider and shows it pass live', async () => {
    await page.goto(`${provider.origin}/#/run`);
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    await page.goto(`${provider.origin}/#/run?run=${runId}`);
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
    const curl = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(curl).toMatch(/^curl /);
    expect(curl).toContain(`Authorization: Bearer ${provider.token}`);
    await screenshot('run-passed');
  });

  it('runs entra-lifecycle against a practice target and opens a failing exchange, its finding and its diff', async () => {
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'practice:litellm' });
    await page.goto(`${provider.origin}/#/run?run=${runId}`);
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

  it('compares two targets side by side', async () => {
    const { runId, compareRunId } = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local', compareTarget: 'practice:open-webui' });
    expect(compareRunId).toBeDefined();
    await page.goto(`${provider.origin}/#/run?run=${runId}&compare=${compareRunId}&pane=compare`);
    const diff = page.getByTestId('run-diff');
    await expect.poll(() => diff.count(), { timeout: 20_000 }).toBe(1);
    expect(await diff.innerText()).toContain('Open WebUI (practice)');
    await screenshot('run-compare');
  });

  it('exports an HTML report as a download', async () => {
    await page.getByLabel('Report format').selectOption('html');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.html$/);
    const file = join(dataDir, download.suggestedFilename());
    await download.saveAs(file);
    expect(await readFile(file, 'utf8')).toMatch(/<html/i);
  });

  it('saves a run as baseline and diffs the next run against it', async () => {
    const first = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'practice:open-webui' });
    await page.goto(`${provider.origin}/#/run?run=${first.runId}`);
    await expect.poll(() => page.getByTestId('run-counts').getAttribute('data-status'), { timeout: 20_000 }).not.toMatch(/running|pending/);
    await page.getByRole('button', { name: 'Save as baseline' }).click();
    await expect.poll(() => page.getByText('Saved as the baseline').count()).toBe(1);
    const second = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'practice:open-webui' });
    await page.goto(`${provider.origin}/#/run?run=${second.runId}&pane=baseline`);
    await expect.poll(() => page.getByTestId('run-diff').count(), { timeout: 20_000 }).toBe(1);
    await screenshot('run-baseline');
  });

  it('lists every run in History, reopens one and diffs two', async () => {
    await page.goto(`${provider.origin}/#/history`);
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

  it('cancels a run in progress with Ctrl+.', async () => {
    const { runId } = await startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'slow' });
    await page.goto(`${provider.origin}/#/run?run=${runId}`);
    const counts = page.getByTestId('run-counts');
    await expect.poll(() => counts.getAttribute('data-status')).toBe('running');
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    await page.keyboard.press('Control+Period');
    await expect.poll(() => counts.getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
  });

  it('ran clean under the console CSP', () => {
    expect(pageErrors).toEqual([]);
  });
});
