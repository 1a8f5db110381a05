/**
 * The Scenarios, IdP and Demo views end to end, in a real Chromium against the real console
 * services, driven as a new user would: run a built-in from the list, open a folder with a broken
 * scenario and see the error at its line, fix and save it, assign a person from the IdP view and
 * find the user in the local provider, and step through a demo with the space bar.
 *
 * Screenshots of the three views at 1024 and 1440 px, light and dark, go to test-results/.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openConsoleE2e, type ConsoleE2e } from '../support/console-e2e.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** A scenario with one mistake: `asignUser` on line 7 is not an event. */
const BROKEN = [
  'name: broken',
  'directory:',
  '  people:',
  '    - { key: grace, givenName: Grace, familyName: Hopper }',
  'steps:',
  '  - name: assign grace',
  '    event: asignUser',
  '    user: grace',
  '',
].join('\n');
const BROKEN_LINE = 7;
const FIXED = BROKEN.replace('asignUser', 'assignUser');

describe.skipIf(!chromiumAvailable())('Scenarios, IdP and Demo views', () => {
  let e2e: ConsoleE2e;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'scimulator-scenarios-'));
    await writeFile(join(folder, 'broken.yaml'), BROKEN);
    e2e = await openConsoleE2e({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await e2e?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const go = async (hash: string) => {
    await e2e.page.goto(`${e2e.origin}/${hash}`);
  };

  it('lists the built-in scenarios by name, with their description and profile', async () => {
    await go('#/scenarios');
    const builtins = await e2e.api.listBuiltinScenarios();
    const list = e2e.page.getByTestId('builtin-scenarios');
    await expect.poll(() => list.locator('li').count()).toBe(builtins.length);
    const okta = list.locator('li[data-scenario="okta-lifecycle"]');
    const expected = builtins.find((scenario) => scenario.name === 'okta-lifecycle')!;
    expect(await okta.innerText()).toContain(expected.description);
    expect(await okta.innerText()).toContain('okta');
  });

  it('runs okta-lifecycle against the local provider from the list and lands on its run', async () => {
    await go('#/scenarios');
    const row = e2e.page.getByTestId('builtin-scenarios').locator('li[data-scenario="okta-lifecycle"]');
    await row.hover();
    await row.getByRole('button', { name: 'Run okta-lifecycle' }).click();
    await expect.poll(() => new URL(e2e.page.url()).hash).toMatch(/^#\/run\?run=[^&]+$/);
    const runId = new URLSearchParams(new URL(e2e.page.url()).hash.split('?')[1]).get('run')!;
    await expect.poll(async () => (await e2e.api.listRuns()).find((run) => run.id === runId)?.summary?.outcome, { timeout: 20_000 }).toBe('passed');
    const run = (await e2e.api.listRuns()).find((item) => item.id === runId)!;
    expect(run.scenario).toBe('okta-lifecycle');
    expect(run.target.id).toBe('local');
  });

  it('opens a folder by its path and shows a broken scenario’s error inline at its line', async () => {
    await go('#/scenarios');
    await e2e.page.getByRole('button', { name: 'Open folder…' }).click();
    // The browser host has no native folder picker: the path is typed.
    await e2e.page.getByRole('textbox', { name: /Folder path/ }).fill(folder);
    await e2e.page.keyboard.press('Enter');
    const files = e2e.page.getByTestId('folder-scenarios');
    await expect.poll(() => files.locator('li').count()).toBe(1);
    expect(await files.getByTestId('file-issues').innerText()).toMatch(/problem/);

    await files.locator('[data-row-open]').click();
    const underlined = e2e.page.locator('.cm-lintRange-error').first();
    await underlined.waitFor();
    expect(await underlined.innerText()).toBe('asignUser');
    expect(await lineOf(underlined)).toBe(BROKEN_LINE);
    const problems = await e2e.page.getByTestId('problems').innerText();
    expect(problems).toContain(`${BROKEN_LINE}:`);
    expect(e2e.errors).toEqual([]);
  });

  it('edits the file and saves it with Ctrl+S: the file on disk changes and the error goes', async () => {
    // Fix the typo where it is underlined, as a person would: double-click the word, type over it.
    await e2e.page.locator('.cm-lintRange-error').first().dblclick();
    await e2e.page.keyboard.type('assignUser');
    await e2e.page.getByTestId('modified').waitFor();
    await e2e.page.keyboard.press('Control+S');
    await expect.poll(() => readFile(join(folder, 'broken.yaml'), 'utf8')).toBe(FIXED);
    await expect.poll(() => e2e.page.locator('.cm-lintRange-error').count()).toBe(0);
    await expect.poll(() => e2e.page.getByTestId('modified').count()).toBe(0);
    await e2e.page.getByTestId('problem-count').waitFor({ state: 'detached' });
  });

  it('types digits, / and ? into the editor as text: no shortcut switches the view or opens help', async () => {
    const before = e2e.page.url();
    await e2e.page.locator('.cm-line').filter({ hasText: 'user: grace' }).click();
    await e2e.page.keyboard.press('End');
    await e2e.page.keyboard.type(' # 2/3?');
    await expect.poll(() => e2e.page.locator('.cm-content').innerText()).toContain('user: grace # 2/3?');
    expect(e2e.page.url()).toBe(before);
    expect(await e2e.page.getByRole('dialog').count()).toBe(0);
    // Back to the saved text, so the next test opens the file as it is on disk.
    await e2e.page.keyboard.press('Control+Z');
    await expect.poll(() => e2e.page.getByTestId('modified').count()).toBe(0);
  });

  it('offers the scenario files of the folder opened in Scenarios in demo mode too, and shows one', async () => {
    await go('#/demo');
    const select = e2e.page.getByTestId('demo-scenario');
    const own = select.locator('optgroup[label^="Your files"] option');
    await expect.poll(() => own.allInnerTexts()).toEqual(['broken.yaml']);
    await select.selectOption({ label: 'broken.yaml' });
    await expect.poll(() => e2e.page.url()).toContain('scenario=file');
    await e2e.page.getByTestId('demo-start').click();
    await e2e.page.getByTestId('demo-stage').waitFor();
    expect(await e2e.page.getByTestId('demo-stage').innerText()).toContain('broken');
    await e2e.page.keyboard.press('Space');
    await expect.poll(() => e2e.page.getByTestId('demo-step').innerText(), { timeout: 15_000 }).toMatch(/Step 1 of 1/);
    expect(await e2e.page.getByTestId('demo-step').innerText()).toContain('assign grace');
    await e2e.page.keyboard.press('Escape');
    await e2e.page.getByTestId('demo-stage').waitFor({ state: 'detached' });
    expect(e2e.errors).toEqual([]);
  });

  it('saves exchanges picked in the local provider\'s traffic into the open folder, opens them in Scenarios and runs them', async () => {
    for (const path of ['/ServiceProviderConfig', '/Users?count=1']) {
      const response = await fetch(e2e.baseUrl + path, { headers: { authorization: `Bearer ${e2e.provider.token}` } });
      expect(response.status).toBe(200);
    }
    await go('#/provider');
    for (const path of ['/ServiceProviderConfig', '/Users?count=1']) {
      const item = e2e.page.locator('.traffic-item').filter({ hasText: path }).first();
      await item.waitFor();
      await item.getByRole('checkbox').check();
    }
    await expect.poll(() => e2e.page.getByTestId('traffic-selection').innerText()).toBe('2 selected');
    await e2e.page.getByRole('button', { name: 'Save as scenario' }).click();
    const saved = e2e.page.getByTestId('traffic-saved');
    await expect.poll(() => saved.innerText()).toContain('Saved 2 exchanges as recorded-traffic.yaml');
    expect(await readFile(join(folder, 'recorded-traffic.yaml'), 'utf8')).toContain('/ServiceProviderConfig');

    await saved.getByRole('link', { name: 'Open in Scenarios' }).click();
    await expect.poll(() => e2e.page.locator('.cm-content').innerText()).toContain('/ServiceProviderConfig');
    await e2e.page.getByTestId('run-editor').click();
    await expect.poll(() => new URL(e2e.page.url()).hash).toMatch(/^#\/run\?run=/);
    const runId = new URLSearchParams(new URL(e2e.page.url()).hash.split('?')[1]).get('run')!;
    await expect.poll(async () => (await e2e.api.listRuns()).find((run) => run.id === runId)?.summary?.outcome, { timeout: 15_000 }).toBe('passed');
    expect(e2e.errors).toEqual([]);
  });

  it('assigns a person from the IdP view, and the local provider has the user', async () => {
    await go('#/idp');
    const directory = await e2e.api.getIdpDirectory();
    const person = directory.people.find((candidate) => !directory.links.local?.users[candidate.key])!;
    expect(person).toBeDefined();
    const row = e2e.page.getByTestId('idp-people').locator(`tr[data-key="${person.key}"]`);
    await row.click();
    await e2e.page.getByRole('button', { name: 'Assign', exact: true }).click();

    await expect.poll(() => row.getByTestId('link-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('active');
    // A screen reader hears how the action ended, not only that it was sent.
    await expect.poll(() => e2e.page.getByTestId('idp-status').innerText()).toBe(`Assign ${person.key}: passed`);
    const link = (await e2e.api.getIdpDirectory()).links.local.users[person.key];
    const users = await e2e.api.listResources({ type: 'User', count: 200 });
    expect(users.ok).toBe(true);
    const listed = users.ok ? (users.list.Resources ?? []) : [];
    expect(listed.map((user) => user.id)).toContain(link.id);
    // The action's exchanges are shown beside the directory.
    await expect.poll(() => e2e.page.getByTestId('live-run').count()).toBeGreaterThan(0);
    // A one-step action shows its exchanges without a click.
    const action = e2e.page.getByTestId('live-run').last();
    await expect.poll(() => action.getByTestId('timeline-exchange').count()).toBeGreaterThan(0);
    await e2e.page.screenshot({ path: join(SCREENSHOTS, 'idp-action-light-1440.png') });
    expect(e2e.errors).toEqual([]);
  });

  it('opens Update… on its first field, ready to type, and Esc gives focus back to the button', async () => {
    // The person assigned above is still selected.
    const update = e2e.page.getByRole('button', { name: 'Update…' });
    await update.click();
    const form = e2e.page.getByRole('dialog', { name: /^Update / });
    await form.waitFor();
    await expect.poll(() => e2e.page.evaluate(() => (document.activeElement?.closest('label')?.textContent ?? '').trim())).toMatch(/^User name/);
    await e2e.page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await update.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('steps through okta-lifecycle in demo mode with the space bar, and leaves with Esc', async () => {
    await go('#/demo?scenario=okta-lifecycle');
    await e2e.page.getByTestId('demo-start').click();
    const stage = e2e.page.getByTestId('demo-stage');
    await stage.waitFor();
    const step = e2e.page.getByTestId('demo-step');
    expect(await step.innerText()).toContain('Press Space to begin');

    await e2e.page.keyboard.press('Space');
    await expect.poll(() => step.innerText(), { timeout: 15_000 }).toMatch(/Step 1 of \d+/);
    expect(await step.innerText()).toContain('test API credentials');
    await expect.poll(() => e2e.page.getByTestId('demo-exchange').count()).toBeGreaterThan(0);

    // The target side shows what the responses said: the connection test's listing of the target.
    const targetCards = e2e.page.getByTestId('demo-target-users').locator('li.demo-card');
    const listed = await targetCards.count();

    await e2e.page.keyboard.press('Space');
    await e2e.page.keyboard.press('Space');
    await expect.poll(() => step.innerText(), { timeout: 15_000 }).toMatch(/Step 3 of \d+/);
    // Steps 2 and 3 assign the manager and the report: two users created in the target.
    await expect.poll(() => targetCards.count()).toBe(listed + 2);
    expect(await e2e.page.getByTestId('demo-target-users').innerText()).toMatch(/alan\.turing/);

    await e2e.page.keyboard.press('Escape');
    await stage.waitFor({ state: 'detached' });
    // Focus goes back to where the presenter started, ready to start again.
    await expect.poll(() => e2e.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('demo-start');
    expect(e2e.errors).toEqual([]);
  });

  it('looks right at 1024 and 1440 px, light and dark (screenshots in test-results/)', async () => {
    const page = e2e.page;
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const width of [1024, 1440]) {
        await page.setViewportSize({ width, height: 800 });
        await go(`#/scenarios?folder=${encodeURIComponent(folder)}&open=${encodeURIComponent(`file:${join(folder, 'broken.yaml')}`)}`);
        await page.locator('.cm-content').waitFor();
        await expectNoSidewaysScroll();
        await page.screenshot({ path: join(SCREENSHOTS, `scenarios-${colorScheme}-${width}.png`) });

        await go('#/idp');
        await page.getByTestId('idp-people').locator('tr[data-key]').first().waitFor();
        await expectNoSidewaysScroll();
        await page.screenshot({ path: join(SCREENSHOTS, `idp-${colorScheme}-${width}.png`) });

        await go('#/demo?scenario=okta-lifecycle');
        await page.getByTestId('demo-start').click();
        await page.getByTestId('demo-stage').waitFor();
        for (let press = 0; press < 3; press++) await page.keyboard.press('Space');
        await expect.poll(() => page.getByTestId('demo-step').innerText(), { timeout: 15_000 }).toMatch(/Step 3 of/);
        await expectNoSidewaysScroll();
        await page.screenshot({ path: join(SCREENSHOTS, `demo-${colorScheme}-${width}.png`) });
        await page.keyboard.press('Escape');
      }
    }
    expect(e2e.errors).toEqual([]);
  }, 120_000);

  /** The 1-based line of the editor that holds this element. */
  async function lineOf(locator: ReturnType<ConsoleE2e['page']['locator']>): Promise<number> {
    return locator.evaluate((element) => {
      const line = element.closest('.cm-line');
      return line ? [...line.parentElement!.children].filter((child) => child.classList.contains('cm-line')).indexOf(line) + 1 : -1;
    });
  }

  async function expectNoSidewaysScroll(): Promise<void> {
    // A string: this file is compiled without the DOM's types.
    const [scrollWidth, innerWidth] = (await e2e.page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  }
});
