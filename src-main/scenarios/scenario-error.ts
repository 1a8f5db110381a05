/**
 * A scenario file that cannot be run: every problem found, each with the file, line and column
 * and what is wrong in plain words, e.g.
 * `okta.yaml:12:5: step 3: \`assignUser\` needs \`user\``.
 */
import type { SourcePosition } from './scenario.js';

export interface ScenarioIssue {
  /** Absent when the problem is the file as a whole (it cannot be read). */
  readonly position?: SourcePosition;
  readonly message: string;
}

export function formatIssue(source: string, issue: ScenarioIssue): string {
  const where = issue.position ? `${source}:${issue.position.line}:${issue.position.column}` : source;
  return `${where}: ${issue.message}`;
}

export class ScenarioError extends Error {
  constructor(
    /** The file path (as given) or `builtin:<name>`. */
    readonly source: string,
    /** In file order. */
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(issues.map((issue) => formatIssue(source, issue)).join('\n'));
    this.name = 'ScenarioError';
  }
}
