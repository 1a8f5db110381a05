/**
 * The run as JUnit XML, the format every CI system renders (Jenkins, GitLab, GitHub Actions
 * reporters, Azure DevOps): one `<testsuite>` per run, one `<testcase>` per step. A failed step
 * carries its error findings and failed assertions in `<failure>`, an errored step `<error>`, a
 * skipped one `<skipped>` with why; warnings and info findings go to the step's `<system-out>`, so
 * they are visible without failing the build. Valid against the JUnit schema the Jenkins xUnit
 * plugin uses (test/fixtures/junit/junit-10.xsd).
 */
import type { RunRecord } from '../runner/run-record.js';
import type { StepSummary } from '../runner/run-events.js';
import type { Finding } from '../verdicts/finding.js';
import { assertionText, findingText } from './finding-text.js';
import { xmlAttribute, xmlText } from './markup.js';

/** Seconds, as JUnit writes durations. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join('');
}

/**
 * Test case names, unique within the suite: CI systems key results by class name and name, and
 * would merge two steps that share a name (a scenario may assign the same user twice).
 */
function testCaseNames(steps: readonly StepSummary[]): string[] {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.name, (counts.get(step.name) ?? 0) + 1);
  return steps.map((step) => ((counts.get(step.name) ?? 0) > 1 ? `${step.name} (step ${step.index + 1})` : step.name));
}

/** The `<failure>` or `<error>` of a step that did not pass, or its `<skipped>`. */
function verdictElement(record: RunRecord, step: StepSummary, errors: readonly Finding[]): string {
  if (step.outcome === 'passed') return '';
  if (step.outcome === 'skipped') return `      <skipped${attributes(step.message === undefined ? {} : { message: step.message })}/>\n`;
  const failedAssertions = step.assertions.filter((assertion) => !assertion.passed);
  const parts = [
    // The runner words a step it failed for a finding with that finding's title: said once is enough.
    ...(step.message === undefined || errors.some((finding) => finding.title === step.message) ? [] : [step.message]),
    ...errors.map((finding) => findingText(finding, record.exchanges)),
    ...failedAssertions.map((assertion) => assertionText(assertion, record.scenario.source)),
  ];
  const first = errors[0];
  const message =
    first?.title ?? step.message ?? (failedAssertions[0] ? `Expectation failed: ${failedAssertions[0].check}` : `Step ${step.outcome}`);
  const element = step.outcome === 'error' ? 'error' : 'failure';
  const type = first?.id ?? (step.outcome === 'error' ? 'error' : failedAssertions.length > 0 ? 'assertion' : 'failure');
  return `      <${element}${attributes({ message, type })}>${xmlText(parts.join('\n\n'))}</${element}>\n`;
}

/** The JUnit XML document of a run. */
export function junitReport(record: RunRecord): string {
  const names = testCaseNames(record.steps);
  const suite = record.scenario.name;
  const failures = record.steps.filter((step) => step.outcome === 'failed').length;
  const errors = record.steps.filter((step) => step.outcome === 'error').length;
  const skipped = record.steps.filter((step) => step.outcome === 'skipped').length;
  const time = seconds(record.summary.durationMs);
  const counts = { tests: record.steps.length, failures, errors };

  const properties = [
    ['profile', record.profile],
    ['target', record.target.baseUrl],
    ['seed', String(record.seed)],
    ['runTag', record.runTag],
    ['exact', String(record.exact)],
    ['scenarioSource', record.scenario.source],
  ]
    .map(([name, value]) => `      <property${attributes({ name: name!, value: value! })}/>\n`)
    .join('');

  const cases = record.steps
    .map((step, position) => {
      const own = record.findings.filter((finding) => finding.step === step.index);
      const errorFindings = own.filter((finding) => finding.severity === 'error');
      const notes = own.filter((finding) => finding.severity !== 'error');
      const verdict = verdictElement(record, step, errorFindings);
      // Error findings of a step that still passed (the runner fails such steps, but a record
      // built elsewhere may not) are not lost: they join the notes.
      const out = [...(step.outcome === 'failed' || step.outcome === 'error' ? [] : errorFindings), ...notes];
      const texts = [
        ...out.map((finding) => findingText(finding, record.exchanges)),
        ...(step.notApplied ?? []).map((check) => `Not applied: ${check.check}${check.line === undefined ? '' : ` (${record.scenario.source}:${check.line})`}: ${check.reason}`),
      ];
      const systemOut = texts.length === 0 ? '' : `      <system-out>${xmlText(texts.join('\n\n'))}</system-out>\n`;
      const open = `    <testcase${attributes({ classname: suite, name: names[position]!, time: seconds(step.durationMs) })}`;
      return verdict === '' && systemOut === '' ? `${open}/>\n` : `${open}>\n${verdict}${systemOut}    </testcase>\n`;
    })
    .join('');

  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites${attributes({ name: 'Scimulator', ...counts, time })}>\n` +
    `  <testsuite${attributes({ name: suite, ...counts, skipped, time, timestamp: record.startedAt })}>\n` +
    `    <properties>\n${properties}    </properties>\n` +
    cases +
    '  </testsuite>\n' +
    '</testsuites>\n'
  );
}
