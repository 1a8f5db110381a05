/**
 * The HAR file of a real run, loaded back as a HAR tool loads it: valid against the HAR 1.2 JSON
 * Schema (har-schema, the one har-validator uses), every exchange in it with its request (method,
 * URL, headers in the IdP's order, decoded query string, body), its response (status, headers,
 * content with MIME type and text), timings and start time, grouped in one page per step.
 */
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harValidator } from '../support/har-schema.js';
import type { Har } from '../../src-main/reports/har.js';
import { writeReports } from '../../src-main/reports/write-reports.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { demoRecord } from '../support/reports-record.js';


let dir: string;
let record: RunRecord;
let har: Har;
let validateHar: ValidateFunction;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-har-'));
  record = await demoRecord();
  const [file] = await writeReports(record, { har: join(dir, 'run.har') });
  har = JSON.parse(await readFile(file!, 'utf8')) as Har;
  validateHar = await harValidator();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the HAR report', () => {
  it('is valid HAR 1.2 by the har-schema JSON Schema', () => {
    expect(validateHar(har), JSON.stringify(validateHar.errors, null, 2)).toBe(true);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'Scimulator', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('is checked by a schema that does reject a broken HAR', () => {
    const broken = structuredClone(har) as unknown as { log: { entries: Record<string, unknown>[] } };
    delete broken.log.entries[0]!.response;
    expect(validateHar(broken)).toBe(false);
  });

  it('has every exchange, in order, with its request as sent and its response as received', () => {
    expect(har.log.entries).toHaveLength(record.exchanges.length);
    for (const [position, exchange] of record.exchanges.entries()) {
      const entry = har.log.entries[position]!;
      expect(entry.startedDateTime).toBe(exchange.startedAt);
      expect(entry.time).toBe(exchange.durationMs);
      expect(entry.timings.wait).toBe(exchange.durationMs);
      expect(entry.request.method).toBe(exchange.request.method);
      expect(entry.request.url).toBe(exchange.request.url);
      expect(entry.request.httpVersion).toMatch(/^HTTP\//);
      // Headers in the order and case the IdP sent them, credentials still redacted.
      expect(entry.request.headers).toEqual(exchange.request.headers.map(([name, value]) => ({ name, value })));
      expect(entry.request.postData?.text).toBe(exchange.request.body);
      if (exchange.response) {
        expect(entry.response.status).toBe(exchange.response.status);
        expect(entry.response.headers).toEqual(Object.entries(exchange.response.headers).map(([name, value]) => ({ name, value })));
        expect(entry.response.content.text).toBe(exchange.response.body);
        expect(entry.response.content.mimeType).toBe(exchange.response.headers['content-type']);
        expect(entry.response.content.size).toBe(Buffer.byteLength(exchange.response.body ?? ''));
      }
      expect(entry.comment).toBe(exchange.purpose);
      expect(entry._index).toBe(exchange.index);
    }
    expect(JSON.stringify(har)).not.toContain('Bearer ');
  });

  it("decodes the query string, as devtools lists it, from the IdP's own encoding", () => {
    const lookup = har.log.entries.find((entry) => entry.comment === 'lookup by userName')!;
    expect(lookup.request.url).toContain('filter=userName%20eq%20%22grace.hopper.');
    expect(lookup.request.queryString).toEqual([
      { name: 'filter', value: `userName eq "grace.hopper.${record.runTag}@example.com"` },
      { name: 'startIndex', value: '1' },
      { name: 'count', value: '100' },
    ]);
  });

  it('gives a POST its body with its MIME type, and a request that got no response status 0 and the reason', () => {
    const create = har.log.entries.find((entry) => entry.request.method === 'POST')!;
    // The Content-Type the IdP sent, parameters and all (Okta adds a charset).
    const sent = create.request.headers.find((header) => header.name.toLowerCase() === 'content-type')!.value;
    expect(sent).toMatch(/^application\/scim\+json/);
    expect(create.request.postData?.mimeType).toBe(sent);
    expect(create.request.bodySize).toBe(Buffer.byteLength(create.request.postData!.text));
    expect(create.response.statusText).toBe('Created');
    const unsent = har.log.entries.find((entry) => entry.request.url.endsWith('/Users/not sendable'))!;
    expect(unsent.response.status).toBe(0);
    expect(unsent.response._error).toMatch(/has a space/);
  });

  it('groups the exchanges in one page per step and names the findings about each', () => {
    const pageIds = har.log.pages.map((page) => page.id);
    expect(new Set(pageIds).size).toBe(pageIds.length);
    for (const entry of har.log.entries) expect(pageIds).toContain(entry.pageref);
    expect(har.log.pages[1]!.title).toBe('2. assign Grace');
    expect(har.log.entries.filter((entry) => entry.pageref === 'step-2')).toHaveLength(
      record.exchanges.filter((exchange) => exchange.step === 1).length,
    );
    const hostile = har.log.entries.find((entry) => entry._findings?.includes('test.hostile-echo'))!;
    expect(hostile._findings).toEqual(['test.hostile-echo', 'test.note']);
  });
});
