import { describe, expect, it } from 'vitest';
import { RequestLog, redactHeaders, truncateBody } from '../../../src-main/scim/request-log.js';

const entry = (url: string) => ({
  startedAt: '2026-01-01T00:00:00.000Z',
  method: 'GET',
  url,
  requestHeaders: {},
  status: 200,
  responseHeaders: {},
  durationMs: 1,
  notes: [],
});

describe('RequestLog', () => {
  it('keeps the most recent entries, oldest first, with increasing seq', () => {
    const log = new RequestLog(3);
    for (const url of ['/a', '/b', '/c', '/d', '/e']) log.record(entry(url));
    expect(log.entries().map((e) => e.url)).toEqual(['/c', '/d', '/e']);
    expect(log.entries().map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('notifies subscribers until they unsubscribe, and survives a throwing one', () => {
    const log = new RequestLog(10);
    const seen: string[] = [];
    log.subscribe(() => {
      throw new Error('faulty subscriber');
    });
    const unsubscribe = log.subscribe((e) => seen.push(e.url));
    log.record(entry('/one'));
    unsubscribe();
    log.record(entry('/two'));
    expect(seen).toEqual(['/one']);
    expect(log.entries()).toHaveLength(2);
  });

  it('redacts credentials but keeps the scheme', () => {
    expect(redactHeaders({ authorization: 'Bearer s3cret', 'content-type': 'application/json', skipped: undefined })).toEqual({
      authorization: 'Bearer [redacted]',
      'content-type': 'application/json',
    });
  });

  it('truncates large bodies and says by how much', () => {
    expect(truncateBody('small')).toBe('small');
    const big = 'x'.repeat(64 * 1024 + 10);
    const truncated = truncateBody(big)!;
    expect(truncated.startsWith('x'.repeat(64 * 1024))).toBe(true);
    expect(truncated).toMatch(/truncated 10 characters\]$/);
  });
});
