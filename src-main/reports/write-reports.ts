/**
 * Writes a run's reports where `--report-junit`, `--report-html`, `--report-json` and
 * `--report-har` say. Each file is written whole to a temporary name and then renamed, so a CI
 * job never picks up half a report, and an existing report is replaced only by a complete one.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunRecord } from '../runner/run-record.js';
import { harReport } from './har.js';
import { htmlReport, type HtmlReportOptions } from './html.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';

/** Where to write each report; each is left out when absent. */
export interface ReportPaths {
  readonly junit?: string;
  readonly html?: string;
  readonly json?: string;
  readonly har?: string;
}

/** The `run` command's report flags, as commander hands them over. */
export interface ReportFlags {
  readonly reportJunit?: string;
  readonly reportHtml?: string;
  readonly reportJson?: string;
  readonly reportHar?: string;
}

const FLAG: Record<keyof ReportPaths, string> = {
  junit: '--report-junit',
  html: '--report-html',
  json: '--report-json',
  har: '--report-har',
};

const RENDER: Record<keyof ReportPaths, (record: RunRecord) => string> = {
  junit: junitReport,
  html: htmlReport,
  json: jsonReport,
  har: harReport,
};

/** Two reports named the same file: one would silently overwrite the other. */
export class ReportPathConflict extends Error {}

export function reportPathsFrom(flags: ReportFlags): ReportPaths {
  return {
    ...(flags.reportJunit === undefined ? {} : { junit: flags.reportJunit }),
    ...(flags.reportHtml === undefined ? {} : { html: flags.reportHtml }),
    ...(flags.reportJson === undefined ? {} : { json: flags.reportJson }),
    ...(flags.reportHar === undefined ? {} : { har: flags.reportHar }),
  };
}

/** Refuses two reports in one file; call it before the run so a usage error costs no run. */
export function checkReportPaths(paths: ReportPaths): void {
  const seen = new Map<string, keyof ReportPaths>();
  for (const kind of Object.keys(FLAG) as (keyof ReportPaths)[]) {
    const path = paths[kind];
    if (path === undefined) continue;
    const absolute = resolve(path);
    const other = seen.get(absolute);
    if (other) throw new ReportPathConflict(`${FLAG[other]} and ${FLAG[kind]} both name ${absolute}: give each report its own file`);
    seen.set(absolute, kind);
  }
}

async function writeWhole(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Writes the reports asked for and returns their absolute paths, in the order junit, html, json, har. */
export async function writeReports(record: RunRecord, paths: ReportPaths, options: { readonly html?: HtmlReportOptions } = {}): Promise<string[]> {
  checkReportPaths(paths);
  const written: string[] = [];
  for (const kind of Object.keys(FLAG) as (keyof ReportPaths)[]) {
    const path = paths[kind];
    if (path === undefined) continue;
    const absolute = resolve(path);
    await writeWhole(absolute, kind === 'html' ? htmlReport(record, options.html) : RENDER[kind](record));
    written.push(absolute);
  }
  return written;
}
