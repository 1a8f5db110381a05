/**
 * Findings and failed assertions as plain text, the way the JUnit report (and any other text
 * report) shows them: what was found, where, what was expected, what came back, and why it matters.
 */
import type { RunExchange } from '../runner/exchange.js';
import type { AssertionResult } from '../runner/run-events.js';
import type { Finding } from '../verdicts/finding.js';

/** An expected or actual value: strings as they are, anything else as compact JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(nothing)';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cyclic value cannot come from a parsed record, but a hand-built finding could hold one.
    return String(value);
  }
}

function indent(text: string, prefix: string): string {
  return text.split('\n').join(`\n${prefix}`);
}

/** One finding, several lines: severity and id, title, the exchange, message, expected/actual, reference. */
export function findingText(finding: Finding, exchanges: readonly RunExchange[]): string {
  const lines = [`[${finding.severity}] ${finding.id}: ${finding.title}`];
  const exchange = finding.exchange === undefined ? undefined : exchanges.find((candidate) => candidate.index === finding.exchange);
  if (finding.exchange !== undefined) {
    const request = exchange ? ` ${exchange.request.method} ${exchange.request.url}` : '';
    const status = exchange?.response ? ` → ${exchange.response.status}` : '';
    lines.push(`  Exchange #${finding.exchange}:${request}${status}`);
  }
  if (finding.message) lines.push(`  ${indent(finding.message, '  ')}`);
  if (finding.expected !== undefined) lines.push(`  Expected: ${indent(valueText(finding.expected), '            ')}`);
  if (finding.actual !== undefined) lines.push(`  Actual:   ${indent(valueText(finding.actual), '            ')}`);
  lines.push(`  Reference: ${finding.reference.title} <${finding.reference.url}>`);
  return lines.join('\n');
}

/** One failed assertion of the scenario's own. */
export function assertionText(assertion: AssertionResult, source: string): string {
  const where = assertion.line === undefined ? '' : ` (${source}:${assertion.line})`;
  return [
    `[assertion] ${assertion.check}${where}`,
    `  Expected: ${indent(valueText(assertion.expected), '            ')}`,
    `  Actual:   ${indent(valueText(assertion.actual), '            ')}`,
  ].join('\n');
}
