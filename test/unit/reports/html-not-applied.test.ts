/**
 * The HTML report says which checks a run did not apply and why, beside the step, so a green
 * run under --profile or --exact is not read as every check holding.
 */
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../../src-main/reports/html.js';
import { demoRecord } from '../../support/reports-record.js';

describe('the HTML report and checks not applied', () => {
  it('lists them under their step, with their line, escaped', async () => {
    const record = await demoRecord();
    const reason = "okta-aiw sends no such request here; the scenario is written for <okta>'s traffic";
    const steps = record.steps.map((step, i) => (i === 1 ? { ...step, notApplied: [{ check: 'PATCH /Users/ exchange', reason, line: 66 }] } : step));
    const html = htmlReport({ ...record, steps });
    const row = html.slice(html.indexOf('<tr id="step-2">'), html.indexOf('<tr id="step-3">'));
    expect(row).toContain(
      '<li class="not-applied"><span class="mono">PATCH /Users/ exchange</span> <span class="where">(line 66)</span> not applied: okta-aiw sends no such request here; the scenario is written for &lt;okta&gt;&#39;s traffic</li>',
    );
    expect(htmlReport(record)).not.toContain('not-applied"');
  });
});
