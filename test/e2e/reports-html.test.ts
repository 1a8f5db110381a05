/**
 * The HTML report of a real run, opened from disk in a real Chromium as a user opens it: it loads
 * nothing from anywhere, shows the summary, the findings with their explanation and reference, the
 * steps and every exchange with request and response; a hostile body is shown as text and never
 * runs; the headers fold away and open for printing. A screenshot lands in test-results/.
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM); skipped with a notice when it is missing.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src-main/reports/write-reports.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { HOSTILE, demoRecord } from '../support/reports-record.js';

const CHROMIUM = process.env.SCIMULATOR_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-results/report.png', import.meta.url));

let dir: string;
let record: RunRecord;
let reportUrl: string;
let browser: Browser;
let page: Page;
const requests: string[] = [];
const problems: string[] = [];

if (!existsSync(CHROMIUM)) console.warn(`Skipping the HTML report test: no Chromium at ${CHROMIUM} (set SCIMULATOR_CHROMIUM)`);

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in a browser', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-html-'));
    record = await demoRecord();
    const [file] = await writeReports(record, { html: join(dir, 'report.html') });
    reportUrl = pathToFileURL(file!).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(reportUrl);
    await mkdir(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads nothing but itself, and nothing on it complains', () => {
    expect(requests).toEqual([reportUrl]);
    expect(problems).toEqual([]);
  });

  it('sums the run up: outcome, errors, warnings, steps, exchanges, time, profile, target, seed', async () => {
    await expect(page.title()).resolves.toBe('reports-demo · error · Scimulator');
    const header = await page.locator('header').innerText();
    expect(header).toContain('reports-demo');
    expect(header).toMatch(/Profile\s+okta/);
    expect(header).toContain(record.target.baseUrl);
    expect(header).toMatch(/Seed\s+7/);
    const stats = (await page.locator('.stats').innerText()).replace(/\s+/g, ' ');
    expect(stats).toContain('2 errors');
    expect(stats).toContain('1 warning');
    expect(stats).toContain('1 info');
    expect(stats).toContain('5 steps 1 passed · 2 failed · 1 error · 1 skipped');
    expect(stats).toContain(`${record.exchanges.length} exchanges`);
    expect(stats).toMatch(/\d+(\.\d)? m?s time/);
  });

  it('shows every finding, errors first, with its id, explanation, evidence, step, exchange and reference', async () => {
    const findings = page.locator('#findings article.finding');
    await expect(findings.count()).resolves.toBe(record.findings.length);
    const severities = await findings.evaluateAll((articles) => articles.map((article) => article.querySelector('.pill')!.textContent));
    expect(severities).toEqual(['error', 'error', 'warning', 'info']);
    const first = await findings.nth(0).innerText();
    expect(first).toContain('The create response is not what Okta expects');
    expect(first).toContain('test.create-location');
    expect(first).toContain('Okta reads the new id from the body and the Location header.');
    expect(first).toContain('Step 2 · assign Grace');
    expect(first).toContain('#4 POST /Users → 201');
    // innerText is what is seen: the labels are set in capitals.
    expect(first).toMatch(/EXPECTED\s*\{\s*"status": 201,\s*"location": "https:\/\/…\/Users\/\{id\}"\s*\}/);
    const reference = findings.nth(0).locator('.ref a');
    await expect(reference.innerText()).resolves.toBe('RFC 7644 §3.3');
    await expect(reference.getAttribute('href')).resolves.toBe('https://www.rfc-editor.org/rfc/rfc7644#section-3.3');
    // The finding's exchange link leads to that exchange.
    await expect(findings.nth(0).locator('a[href="#exchange-4"]').count()).resolves.toBe(1);
    await expect(page.locator('#exchange-4').count()).resolves.toBe(1);
  });

  it('lists the steps in order with their outcome and why a step failed, errored or was skipped', async () => {
    const rows = page.locator('table.steps tbody tr');
    await expect(rows.count()).resolves.toBe(5);
    const texts = await rows.allInnerTexts();
    expect(texts.map((text) => text.match(/passed|failed|error|skipped/)![0])).toEqual(['passed', 'failed', 'failed', 'error', 'skipped']);
    expect(texts[1]).toContain('POST /Users status (line 15): expected 200, got 201');
    expect(texts[3]).toContain('has a space, control or non-ASCII character');
    expect(texts[4]).toContain('Not applicable to Okta');
  });

  it('shows every exchange with its request and response, JSON bodies pretty-printed', async () => {
    const exchanges = page.locator('article.exchange');
    await expect(exchanges.count()).resolves.toBe(record.exchanges.length);
    for (const exchange of record.exchanges) {
      const text = await page.locator(`#exchange-${exchange.index}`).innerText();
      expect(text).toContain(`${exchange.request.method} ${exchange.request.url}`);
      expect(text).toContain(exchange.purpose);
      expect(text).toContain(exchange.response ? String(exchange.response.status) : 'no response');
    }
    await expect(page.locator('#exchange-4 .xhead').innerText()).resolves.toMatch(/#4\s+POST\s+\/Users\s+201 Created/);
    const create = await page.locator('#exchange-4 .pane').nth(1).innerText();
    expect(create).toMatch(/\n {2}"userName": "grace\.hopper\./);
    await expect(page.locator('#exchange-6 .pane').nth(1).innerText()).resolves.toMatch(/has a space/);
  });

  it('folds the headers away, opens them on a click, and opens them all for printing', async () => {
    const headers = page.locator('#exchange-1 .pane').first().locator('details');
    await expect(headers.locator('summary').innerText()).resolves.toBe('Headers (5)');
    await expect(headers.getByText('Okta SCIM Client 1.0.0').isVisible()).resolves.toBe(false);
    await headers.locator('summary').click();
    await expect(headers.getByText('Okta SCIM Client 1.0.0').isVisible()).resolves.toBe(true);
    await expect(headers.getByText('[redacted]').isVisible()).resolves.toBe(true);

    await page.emulateMedia({ media: 'print' });
    await page.evaluate("dispatchEvent(new Event('beforeprint'))");
    const closed = await page.locator('details:not([open])').count();
    await page.emulateMedia({ media: 'screen' });
    // The script that opens them ran under the report's own Content-Security-Policy.
    expect(closed).toBe(0);
  });

  it('shows a hostile body and finding as text, runs none of it and links to no javascript: URL', async () => {
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    await expect(page.locator('script').count()).resolves.toBe(1);
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(page.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
    const hostile = await page.locator('#exchange-5').innerText();
    expect(hostile).toContain(JSON.stringify(HOSTILE).slice(1, -1));
    const finding = await page.locator('article.finding', { hasText: 'test.hostile-echo' }).innerText();
    expect(finding).toContain(`The response echoes ${HOSTILE} & "quotes"`);
    expect(finding).toContain('bell\\u0007 escape\\u001b[31m nul\\u0000 end]]>');
    expect(finding).toContain('javascript:window.__pwned=true');
  });
});
