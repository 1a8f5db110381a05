/**
 * The run record as a file (`--report-json`, `--save`): everything the run did and found, the
 * input of `--baseline`. Stable bytes: 2-space JSON in the record's own key order and a trailing
 * newline, so the same run gives the same file and a saved record diffs cleanly in version control.
 */
import type { RunRecord } from '../runner/run-record.js';

export function jsonReport(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
