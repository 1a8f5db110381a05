/**
 * The JUnit report of a real run (the runner against the local provider, with stand-in findings):
 * valid against the JUnit schema the Jenkins xUnit plugin validates with, read back by libxml2
 * (xmllint) to check what a CI system shows: a test case per step, the failed step's findings and
 * failed assertions inside its <failure>, an errored step's <error>, a skipped step's reason and
 * the warnings in <system-out>, with markup and control characters surviving as text.
 *
 * Needs xmllint (Debian package libxml2-utils; .ci/run installs it).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { junitReport } from '../../src-main/reports/junit.js';
import { writeReports } from '../../src-main/reports/write-reports.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { CONTROL, HOSTILE, demoRecord } from '../support/reports-record.js';

const run = promisify(execFile);
const XSD = fileURLToPath(new URL('../fixtures/junit/junit-10.xsd', import.meta.url));

let dir: string;
let record: RunRecord;
let report: string;

async function xmllint(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('xmllint', args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('xmllint is missing: install libxml2-utils (apt-get install -y libxml2-utils), as .ci/run does');
    return { code: Number(failure.code), stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

async function validate(file: string): Promise<{ code: number; stderr: string }> {
  return xmllint(['--noout', '--schema', XSD, file]);
}

/** The string value of an XPath expression over the report, as libxml2 parses it. */
async function xpath(expression: string): Promise<string> {
  const result = await xmllint(['--xpath', `string(${expression})`, report]);
  expect(result.code, result.stderr).toBe(0);
  // xmllint ends what it prints with a line break of its own.
  return result.stdout.replace(/\n$/, '');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-junit-'));
  record = await demoRecord();
  [report] = (await writeReports(record, { junit: join(dir, 'reports', 'junit.xml') })) as [string];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the JUnit report', () => {
  it('is valid against the JUnit XML schema', async () => {
    const result = await validate(report);
    expect(result.stderr).toContain('validates');
    expect(result.code).toBe(0);
  });

  it('is checked by a schema that does reject a broken report', async () => {
    const broken = join(dir, 'broken.xml');
    // A test case without its required name.
    await writeFile(broken, (await readFile(report, 'utf8')).replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"'));
    const result = await validate(broken);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/attribute 'name' is required/);
  });

  it('has one suite for the run, named after the scenario, with its profile, target and seed', async () => {
    expect(await xpath('count(/testsuites/testsuite)')).toBe('1');
    expect(await xpath('/testsuites/testsuite/@name')).toBe('reports-demo');
    expect(await xpath('//property[@name="profile"]/@value')).toBe('okta');
    expect(await xpath('//property[@name="target"]/@value')).toBe(record.target.baseUrl);
    expect(await xpath('//property[@name="seed"]/@value')).toBe('7');
    expect(await xpath('/testsuites/testsuite/@tests')).toBe('5');
    expect(await xpath('/testsuites/testsuite/@failures')).toBe('2');
    expect(await xpath('/testsuites/testsuite/@errors')).toBe('1');
    expect(await xpath('/testsuites/testsuite/@skipped')).toBe('1');
  });

  it('has one test case per step, classname the scenario, time in seconds', async () => {
    expect(await xpath('count(//testcase)')).toBe(String(record.steps.length));
    for (const step of record.steps) {
      const testCase = `//testcase[@name=${JSON.stringify(step.name)}]`;
      expect(await xpath(`${testCase}/@classname`)).toBe('reports-demo');
      expect(Number(await xpath(`${testCase}/@time`))).toBeCloseTo(step.durationMs / 1000, 3);
    }
    expect(await xpath('count(//testcase[@name="test API credentials"]/failure | //testcase[@name="test API credentials"]/error)')).toBe('0');
  });

  it("puts a failed step's error findings and failed assertions in its <failure>", async () => {
    const failure = '//testcase[@name="assign Grace"]/failure';
    expect(await xpath(`${failure}/@message`)).toBe('The create response is not what Okta expects');
    expect(await xpath(`${failure}/@type`)).toBe('test.create-location');
    const text = await xpath(failure);
    const location = record.exchanges.find((exchange) => exchange.step === 1 && exchange.request.method === 'POST')!.response!.headers.location;
    expect(text).toContain('[error] test.create-location: The create response is not what Okta expects');
    expect(text).toContain(`Exchange #4: POST ${record.target.baseUrl}/Users → 201`);
    expect(text).toContain('Expected: {"status":201,"location":"https://…/Users/{id}"}');
    expect(text).toContain(`Actual:   {"status":201,"location":"${location}"}`);
    expect(text).toContain('Reference: RFC 7644 §3.3 <https://www.rfc-editor.org/rfc/rfc7644#section-3.3>');
    // The scenario's own expectation, with the line it is written on.
    expect(text).toContain('[assertion] POST /Users status (reports-demo.yaml:15)\n  Expected: 200\n  Actual:   201');
  });

  it('keeps markup, quotes and control characters as text, the latter as visible escapes', async () => {
    const failure = '//testcase[@name="create a user whose name is markup"]/failure';
    expect(await xpath(`${failure}/@message`)).toBe(`The response echoes ${HOSTILE} & "quotes"`);
    const text = await xpath(failure);
    expect(text).toContain(`Control characters: ${CONTROL.replace('\u0007', '\\u0007').replace('\u001b', '\\u001b').replace('\u0000', '\\u0000')}`);
    expect(text).toContain(`Actual:   ${HOSTILE}`);
    // The info finding of the same step is a note, not part of the failure.
    expect(text).not.toContain('test.note');
    expect(await xpath('//testcase[@name="create a user whose name is markup"]/system-out')).toContain('[info] test.note: The display name holds markup');
  });

  it('reports an errored step as <error>, a skipped one as <skipped> with why, and warnings in <system-out>', async () => {
    expect(await xpath('//testcase[@name="a path with a space"]/error/@message')).toMatch(/^the path "\/Users\/not sendable" has a space/);
    expect(await xpath('//testcase[@name="delete Grace"]/skipped/@message')).toMatch(/^Not applicable to Okta/);
    expect(await xpath('//testcase[@name="test API credentials"]/system-out')).toContain(
      '[warning] test.list-without-etag: The list response has no ETag',
    );
  });

  it("lists a step's checks that were not applied in its <system-out>, with where they are written", async () => {
    const steps = record.steps.map((step, i) =>
      i === 0 ? { ...step, notApplied: [{ check: 'PATCH /Users/ exchange', reason: "okta-aiw sends no such request here; the scenario is written for okta's traffic", line: 66 }] } : step,
    );
    const file = join(dir, 'not-applied.xml');
    await writeFile(file, junitReport({ ...record, steps }));
    expect((await validate(file)).code).toBe(0);
    const out = await xmllint(['--xpath', `string(//testcase[@name="${record.steps[0]!.name}"]/system-out)`, file]);
    expect(out.stdout).toContain(`Not applied: PATCH /Users/ exchange (${record.scenario.source}:66): okta-aiw sends no such request here`);
  });

  it('gives steps that share a name distinct test cases, so CI does not merge them', async () => {
    const twice: RunRecord = { ...record, steps: record.steps.map((step) => ({ ...step, name: 'assign Grace' })) };
    const file = join(dir, 'twice.xml');
    await writeFile(file, junitReport(twice));
    expect((await validate(file)).code).toBe(0);
    const names = await xmllint(['--xpath', '//testcase/@name', file]);
    expect(names.stdout.trim().split('\n').map((line) => line.trim())).toEqual(
      record.steps.map((step) => `name="assign Grace (step ${step.index + 1})"`),
    );
  });
});
