/**
 * Nothing cut off at 1024 px, the narrowest width the console supports, measured in a real
 * Chromium: a status pill whole in its column, the traffic toolbar's hint whole, buttons on one
 * line, the Scenarios row's Run button beside the step count and not over it, and demo mode's
 * names broken between words, never inside one.
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped when it is missing.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConsoleE2e, type ConsoleE2e } from '../support/console-e2e.js';

let e2e: ConsoleE2e;
let page: Page;

async function go(hash: string): Promise<void> {
  await page.goto(`${e2e.origin}/${hash}`);
  await page.reload();
}

/** How far an element's content runs past its box (0 when it fits). */
const overflowOf = (locator: Locator) => locator.evaluate((element) => Math.max(0, element.scrollWidth - element.clientWidth));

/** How many lines an element's text takes. */
const linesOf = (locator: Locator) =>
  locator.evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  });

describe.skipIf(!chromiumAvailable())('nothing cut off at 1024 px', () => {
  beforeAll(async () => {
    e2e = await openConsoleE2e({ seedUsers: 12, viewport: { width: 1024, height: 760 } });
    page = e2e.page;
    // Okta deactivates its leaver: an inactive user in the table, and traffic in the log.
    const run = await e2e.api.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local', seed: 1 });
    for (let i = 0; i < 400 && !(await e2e.api.listRuns()).find((item) => item.id === run.runId)?.summary; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }, 60_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('Local provider: the "inactive" pill is whole in its column, and the traffic toolbar says all of its hint', async () => {
    await go('#/provider');
    const inactive = page.getByTestId('user-row').locator('.pill', { hasText: 'inactive' }).first();
    await inactive.waitFor();
    const cell = inactive.locator('xpath=ancestor::td[1]');
    const [pill, box] = [await inactive.boundingBox(), await cell.boundingBox()];
    expect(pill!.x + pill!.width).toBeLessThanOrEqual(box!.x + box!.width);
    expect(await overflowOf(cell)).toBe(0);
    const hint = page.getByTestId('traffic-selection');
    expect(await hint.innerText()).toBe('Tick exchanges to save a scenario');
    expect(await overflowOf(hint)).toBe(0);
  });

  it('IdP: each action keeps its label on one line, and People\'s actions one row', async () => {
    await go('#/idp');
    await page.getByTestId('idp-people').locator('tr[data-key]').first().waitFor();
    const buttons = page.locator('.idp-actionbar button');
    const rowsOfButtons = async () => {
      expect(await buttons.count()).toBeGreaterThan(3);
      for (const button of await buttons.all()) expect({ button: await button.innerText(), lines: await linesOf(button) }).toEqual({ button: await button.innerText(), lines: 1 });
      return new Set(await buttons.evaluateAll((elements) => elements.map((element) => Math.round(element.getBoundingClientRect().top)))).size;
    };
    // People's actions fit one row whether or not anyone is selected: the table does not jump down as one ticks a row.
    expect(await rowsOfButtons()).toBe(1);
    await page.getByTestId('idp-people').locator('tr[data-key]').first().getByRole('checkbox').check();
    expect(await rowsOfButtons()).toBe(1);
    await page.getByRole('tab', { name: /^Groups/ }).click();
    await rowsOfButtons();
    // Groups has fewer columns than People: the room left goes to the description, not to a wide empty gap after the checkbox.
    const checkColumn = await page.getByTestId('idp-groups').locator('th').first().boundingBox();
    expect(checkColumn!.width).toBeLessThanOrEqual(40);
  });

  it('Run: a check not applied under another profile is said whole under its step, not cut off at the edge', async () => {
    const run = await e2e.api.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local', profile: 'entra', seed: 2 });
    for (let i = 0; i < 400 && !(await e2e.api.listRuns()).find((item) => item.id === run.runId)?.summary; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await go(`#/run?run=${run.runId}`);
    await page.getByTestId('timeline-step').nth(1).click(); // 2 assign the manager
    const note = page.getByTestId('timeline-note').filter({ hasText: 'not applied' }).first();
    await note.waitFor();
    expect(await note.innerText()).toMatch(/this run sends as entra$/);
    expect(await overflowOf(note)).toBe(0);
    expect(await overflowOf(note.locator('.tl-note-text'))).toBe(0);
    // Whole means seen: the text ends inside the row's box, not under the next row.
    const [text, box] = [await note.locator('.tl-note-text').boundingBox(), await note.boundingBox()];
    expect(text!.y + text!.height).toBeLessThanOrEqual(box!.y + box!.height);
    expect(text!.x + text!.width).toBeLessThanOrEqual(box!.x + box!.width);
  });

  it('Scenarios: the Run button shown on hover leaves the step count in sight', async () => {
    await go('#/scenarios');
    const row = page.getByTestId('builtin-scenarios').locator('li').nth(1);
    await row.hover();
    const run = row.getByRole('button', { name: /^Run / });
    await expect.poll(() => run.evaluate((element) => getComputedStyle(element).opacity)).toBe('1');
    const [button, steps] = [await run.boundingBox(), await row.locator('.sc-row-steps').boundingBox()];
    expect(steps!.x + steps!.width).toBeLessThanOrEqual(button!.x);
  });

  it('Demo: names break between words, never inside one ("Engineerin" / "g")', async () => {
    await go('#/demo?scenario=okta-lifecycle&seed=5');
    await page.getByTestId('demo-start').click();
    await page.getByTestId('demo-stage').waitFor();
    for (let step = 1; step <= 4; step++) {
      await page.keyboard.press('Space');
      await expect.poll(() => page.getByTestId('demo-step').innerText(), { timeout: 15_000 }).toMatch(new RegExp(`Step ${step} of`));
    }
    const names = page.getByTestId('demo-stage').locator('.demo-card-name');
    await expect.poll(() => names.filter({ hasText: 'Engineering' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // Each word of a name, measured in the name's own font, fits the width the name has.
    const tooNarrow = await names.evaluateAll((elements) =>
      elements.flatMap((element) => {
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = getComputedStyle(element).font;
        const widest = Math.max(...(element.textContent ?? '').split(/[\s.@-]+/).map((word) => context.measureText(word).width));
        return widest > element.clientWidth + 1 ? [`${element.textContent} (${Math.round(widest)} > ${element.clientWidth})`] : [];
      }),
    );
    expect(tooNarrow).toEqual([]);
    expect(e2e.errors).toEqual([]);
  });
});
