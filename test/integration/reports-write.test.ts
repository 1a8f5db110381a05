/**
 * writeReports, which `scimulator run --report-junit/--report-html/--report-json/--report-har`
 * calls: real files on disk, each written whole, parent folders created, two reports never in one
 * file; and the JSON report is the run record itself, in stable bytes.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonReport } from '../../src-main/reports/json.js';
import { ReportPathConflict, reportPathsFrom, writeReports } from '../../src-main/reports/write-reports.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { demoRecord } from '../support/reports-record.js';

let dir: string;
let record: RunRecord;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-reports-'));
  record = await demoRecord();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes each report asked for, creating its folder, and returns the absolute paths', async () => {
    const out = join(dir, 'all', 'nested');
    const written = await writeReports(record, {
      har: join(out, 'run.har'),
      json: join(out, 'run.json'),
      html: join(out, 'run.html'),
      junit: join(out, 'junit.xml'),
    });
    expect(written).toEqual([join(out, 'junit.xml'), join(out, 'run.html'), join(out, 'run.json'), join(out, 'run.har')]);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'run.har', 'run.html', 'run.json']);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(await readFile(join(out, 'run.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(JSON.parse(await readFile(join(out, 'run.har'), 'utf8'))).toHaveProperty('log.version', '1.2');
  });

  it('writes only what is asked for', async () => {
    const out = join(dir, 'one');
    expect(await writeReports(record, { html: join(out, 'report.html') })).toEqual([join(out, 'report.html')]);
    expect(await readdir(out)).toEqual(['report.html']);
    expect(await writeReports(record, {})).toEqual([]);
  });

  it('replaces an existing report with a complete one and leaves no temporary file', async () => {
    const out = join(dir, 'replace');
    await writeReports(record, { json: join(out, 'run.json') });
    await writeFile(join(out, 'run.json'), 'an older report');
    await writeReports(record, { json: join(out, 'run.json') });
    expect(await readFile(join(out, 'run.json'), 'utf8')).toBe(jsonReport(record));
    expect(await readdir(out)).toEqual(['run.json']);
  });

  it('refuses two reports in one file before writing anything', async () => {
    const out = join(dir, 'conflict');
    const same = join(out, 'report.out');
    await expect(writeReports(record, { junit: join(out, 'junit.xml'), html: same, json: join(out, '.', 'report.out') })).rejects.toThrow(
      new ReportPathConflict(`--report-html and --report-json both name ${same}: give each report its own file`),
    );
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("reads the run command's flags", () => {
    expect(reportPathsFrom({ reportJunit: 'a.xml', reportHar: 'b.har' })).toEqual({ junit: 'a.xml', har: 'b.har' });
    expect(reportPathsFrom({})).toEqual({});
  });
});

describe('the JSON report', () => {
  it('is the run record with its findings: 2-space JSON and a trailing newline', async () => {
    const text = jsonReport(record);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "scimulator-run",');
    const back = JSON.parse(text) as RunRecord;
    expect(back).toEqual(JSON.parse(JSON.stringify(record)));
    expect(back.findings.map((finding) => finding.id)).toEqual(['test.list-without-etag', 'test.create-location', 'test.hostile-echo', 'test.note']);
  });

  it('is stable: a record read back and written again gives the same bytes', () => {
    const text = jsonReport(record);
    expect(jsonReport(JSON.parse(text) as RunRecord)).toBe(text);
  });
});
