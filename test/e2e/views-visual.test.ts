/**
 * Every view of the console in both themes, in a real Chromium: axe finds no serious or critical
 * WCAG 2.2 AA violation, and each view still looks like its committed baseline (a tolerant pixel
 * diff, so a layout regression fails the test while anti-aliasing noise does not).
 *
 * The data is deterministic: a fixed clock and sequential ids for the provider, seeded users, fixed
 * run seeds; what still moves (durations, times, ports, tokens, temporary paths) is masked, by
 * locator or by the `data-volatile` marker components put on such values.
 *
 * Baselines live in test/e2e/baselines/ (see its README): a missing one is written and the test
 * fails saying so; UPDATE_BASELINES=1 rewrites them all. Screenshots of this run, and the diff
 * images of any mismatch, go to test-results/visual/. UPDATE_SCREENSHOT=1 also writes the README's
 * docs/screenshot-run.png and docs/screenshot-demo.png.
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped when it is missing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConsoleE2e, type ConsoleE2e } from '../support/console-e2e.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASELINES = join(ROOT, 'test/e2e/baselines');
const ARTIFACTS = join(ROOT, 'test-results/visual');
const DOCS = join(ROOT, 'docs');
const UPDATE_BASELINES = process.env.UPDATE_BASELINES === '1';
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1';

/**
 * Per-pixel colour distance pixelmatch tolerates (0..1), and the share of pixels that may differ.
 * Measured on this machine: identical runs differ by 0 to 0.06 %; widening the view tabs' padding
 * by 4 px changes 0.18 %, which a 1 % bound would let through.
 */
const PIXEL_THRESHOLD = 0.1;
const MAX_CHANGED_RATIO = 0.001;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

/** A fixed instant: every `meta` timestamp and request-log time the provider writes is this one. */
const FIXED_NOW = new Date('2026-03-02T09:30:00.000Z');

function sequentialIds(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${(++next).toString(16).padStart(12, '0')}`;
}

/** Views that differed from their baseline by less than the bound: printed, to see how close to it they run. */
const driftSeen: string[] = [];

let e2e: ConsoleE2e;
let page: Page;
/** The finished run with a failing exchange (entra-lifecycle against a practice target). */
let failingRunId: string;

/** Opens a view on a freshly loaded page: a hash-only goto would keep the last view's state (an open demo, a scroll). */
async function go(hash: string): Promise<void> {
  const url = `${e2e.origin}/${hash}`;
  if (page.url() === url) await page.reload();
  else {
    await page.goto(url);
    await page.reload();
  }
}

async function setTheme(theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

/** Fonts loaded and nothing left to fetch or paint. */
async function settle(): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** Serious and critical axe violations, one readable block each. */
async function axeProblems(where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) =>
      [
        `${where}: [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})`,
        ...violation.nodes.slice(0, 8).map((node) => `    ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`),
        ...(violation.nodes.length > 8 ? [`    … and ${violation.nodes.length - 8} more`] : []),
      ].join('\n'),
    );
}

/**
 * What moves between two runs of the same data, masked in every screenshot: the `data-volatile`
 * values inside `scope` (a modal view would otherwise get masks painted over it for the values
 * of the page it covers).
 */
function volatile(scope: Locator, extra: readonly Locator[] = []): Locator[] {
  return [scope.locator('[data-volatile]'), ...extra];
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/**
 * Compares the page with its baseline. Returns a problem in words, or undefined when it matches
 * (or the baseline was just written on purpose with UPDATE_BASELINES=1).
 */
async function compareWithBaseline(name: string, mask: readonly Locator[]): Promise<string | undefined> {
  ensureDir(ARTIFACTS);
  const actualPath = join(ARTIFACTS, `${name}.png`);
  const shot = await page.screenshot({ path: actualPath, animations: 'disabled', caret: 'hide', mask: [...mask], maskColor: '#ff00ff' });
  const baselinePath = join(BASELINES, `${name}.png`);
  if (UPDATE_BASELINES || !existsSync(baselinePath)) {
    ensureDir(BASELINES);
    writeFileSync(baselinePath, shot);
    if (UPDATE_BASELINES) return undefined;
    return `${name}: no baseline existed, so it was created at test/e2e/baselines/${name}.png; check it and commit it`;
  }
  const expected = PNG.sync.read(readFileSync(baselinePath));
  const actual = PNG.sync.read(shot);
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return `${name}: size ${actual.width}×${actual.height} differs from the baseline's ${expected.width}×${expected.height}`;
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const changed = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: PIXEL_THRESHOLD });
  const ratio = changed / (actual.width * actual.height);
  if (changed === 0) return undefined;
  writeFileSync(join(ARTIFACTS, `${name}.diff.png`), PNG.sync.write(diff));
  driftSeen.push(`${name} ${(ratio * 100).toFixed(3)}%`);
  if (ratio <= MAX_CHANGED_RATIO) return undefined;
  return `${name}: ${(ratio * 100).toFixed(2)}% of pixels differ from the baseline (bound ${MAX_CHANGED_RATIO * 100}%); see test-results/visual/${name}.png and ${name}.diff.png`;
}

interface ViewCase {
  readonly name: string;
  /** Opens the view in the current theme and waits until its content is there. */
  readonly open: (theme: Theme) => Promise<void>;
  readonly mask?: () => Locator[];
  /** Where the view's own volatile values are; the whole page unless the view covers it. */
  readonly scope?: () => Locator;
}

/** Runs axe and the baseline comparison on a view in both themes; fails listing every problem. */
async function checkView(view: ViewCase): Promise<void> {
  const problems: string[] = [];
  for (const theme of THEMES) {
    await setTheme(theme);
    await view.open(theme);
    await settle();
    problems.push(...(await axeProblems(`${view.name} (${theme})`)));
    const difference = await compareWithBaseline(`${view.name}-${theme}`, volatile(view.scope?.() ?? page.locator('body'), view.mask?.() ?? []));
    if (difference !== undefined) problems.push(difference);
  }
  await setTheme('light');
  expect(problems, problems.join('\n\n')).toEqual([]);
}

/** Polls by hand: expect.poll only works inside a test, and the runs are arranged in beforeAll. */
async function waitForRunEnd(runId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await e2e.api.listRuns()).find((run) => run.id === runId)?.summary?.outcome === undefined) {
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The Run view on the failing run, with its first failing exchange open and a diff in sight. */
async function openFailingRun(): Promise<void> {
  await go(`#/run?run=${failingRunId}`);
  await expect.poll(() => page.getByTestId('run-counts').getAttribute('data-status'), { timeout: 20_000 }).not.toMatch(/running|pending/);
  await page.getByLabel('Errors only').check();
  const failing = page.getByTestId('timeline-exchange');
  await expect.poll(() => failing.count()).toBeGreaterThan(0);
  for (let i = 0; i < (await failing.count()); i++) {
    await failing.nth(i).click();
    await expect.poll(() => page.getByTestId('exchange-view').count()).toBe(1);
    if ((await page.getByTestId('value-diff').count()) > 0) break;
  }
  await expect.poll(() => page.getByTestId('finding').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('value-diff').count()).toBeGreaterThan(0);
}

/** Demo mode three steps in; `seed` fixes the scenario's names (each demo run needs its own, as its users stay in the directory). */
async function openDemoMidway(seed: number): Promise<void> {
  await go(`#/demo?scenario=okta-lifecycle&seed=${seed}`);
  await page.getByTestId('demo-start').click();
  await page.getByTestId('demo-stage').waitFor();
  // One press at a time: a press while the demo still waits for the target is not queued.
  for (let step = 1; step <= 3; step++) {
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('demo-step').innerText(), { timeout: 15_000 }).toMatch(new RegExp(`Step ${step} of`));
  }
  await expect.poll(() => page.getByText('waiting for the target').count()).toBe(0);
  await expect.poll(() => page.getByTestId('demo-exchange').count()).toBeGreaterThan(0);
}

describe.skipIf(!chromiumAvailable())('every view, both themes: axe and visual baselines', () => {
  beforeAll(async () => {
    e2e = await openConsoleE2e({ seedUsers: 12, provider: { now: () => new Date(FIXED_NOW), newId: sequentialIds() } });
    page = e2e.page;
    // History: a passing run against the local provider; Run: a failing one against a practice target.
    const passing = await e2e.api.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local', seed: 1 });
    await waitForRunEnd(passing.runId);
    const failing = await e2e.api.startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'practice:litellm', seed: 2 });
    await waitForRunEnd(failing.runId);
    failingRunId = failing.runId;
  }, 90_000);

  afterAll(async () => {
    if (driftSeen.length > 0) console.info(`Changed pixels within the bound: ${driftSeen.join(', ')}`);
    await e2e?.close();
  });

  const views: ViewCase[] = [
    {
      name: 'connect',
      open: async () => {
        await go('#/connect');
        await page.getByTestId('tenant-url').waitFor();
        await expect.poll(() => page.getByTestId('directory-counts').innerText()).toMatch(/users/);
      },
      mask: () => [page.getByTestId('tenant-url'), page.getByTestId('secret-token'), page.getByTestId('curl-command')],
    },
    {
      name: 'targets',
      open: async () => {
        await go('#/targets');
        await page.getByTestId('target-item').first().waitFor();
      },
      // The local provider's URL carries this run's port.
      mask: () => [page.getByText(e2e.baseUrl)],
    },
    {
      name: 'idp',
      open: async () => {
        await go('#/idp');
        await page.getByTestId('idp-people').locator('tr[data-key]').first().waitFor();
      },
    },
    {
      name: 'scenarios',
      open: async () => {
        await go('#/scenarios');
        await page.getByTestId('builtin-scenarios').locator('li').first().waitFor();
      },
    },
    { name: 'run-failing', open: () => openFailingRun() },
    {
      name: 'history',
      open: async () => {
        await go('#/history');
        await expect.poll(() => page.getByTestId('history-run').count()).toBeGreaterThanOrEqual(2);
      },
    },
    {
      name: 'provider',
      open: async () => {
        await go('#/provider');
        await page.getByTestId('user-row').first().waitFor();
        await expect.poll(() => page.getByTestId('traffic-row').count()).toBeGreaterThan(0);
      },
    },
    { name: 'demo', open: (theme) => openDemoMidway(theme === 'light' ? 11 : 12), scope: () => page.getByTestId('demo-stage') },
  ];

  for (const view of views) {
    it(`${view.name}: no serious axe violation and matches its baseline, light and dark`, () => checkView(view), 90_000);
  }

  it('History is one Tab stop: arrow keys move between runs, Tab reaches the run\'s buttons, Enter opens it', async () => {
    await go('#/history');
    const rows = page.getByTestId('history-run');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    // From the filter, Tab goes past the (disabled) Diff button to the list: to its active run.
    await page.getByRole('searchbox', { name: 'Filter runs' }).focus();
    await page.keyboard.press('Tab');
    const focusedRun = () => page.evaluate(() => document.activeElement?.getAttribute('data-run-id') ?? document.activeElement?.tagName);
    expect(await focusedRun()).toBe(await rows.nth(0).getAttribute('data-run-id'));
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedRun).toBe(await rows.nth(1).getAttribute('data-run-id'));
    // Its own checkbox and buttons come next in Tab order, then the page goes on.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^Select .* for diff$/);
    await page.keyboard.press('Shift+Tab');
    const opened = await rows.nth(1).getAttribute('data-run-id');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain(`#/run?run=${opened}`);
  });

  it('an opened resource drawer and the help overlay have no serious axe violation', async () => {
    const problems: string[] = [];
    for (const theme of THEMES) {
      await setTheme(theme);
      await go('#/provider');
      await page.getByTestId('user-row').first().click();
      await expect.poll(() => page.getByTestId('resource-drawer').isVisible()).toBe(true);
      await settle();
      problems.push(...(await axeProblems(`resource drawer (${theme})`)));
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: 'Connect' }).focus();
      await page.keyboard.press('?');
      await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
      await settle();
      problems.push(...(await axeProblems(`help overlay (${theme})`)));
      await page.keyboard.press('Escape');
    }
    await setTheme('light');
    expect(problems, problems.join('\n\n')).toEqual([]);
  }, 60_000);

  it.skipIf(!UPDATE_SCREENSHOT)('writes the README screenshots (UPDATE_SCREENSHOT=1)', async () => {
    await setTheme('light');
    await page.setViewportSize({ width: 1440, height: 900 });
    try {
      await openFailingRun();
      await settle();
      await page.screenshot({ path: join(DOCS, 'screenshot-run.png'), animations: 'disabled', caret: 'hide' });
      await openDemoMidway(13);
      await settle();
      await page.screenshot({ path: join(DOCS, 'screenshot-demo.png'), animations: 'disabled', caret: 'hide' });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  }, 60_000);

  it('ran clean under the console CSP', () => {
    expect(e2e.errors).toEqual([]);
  });
});
