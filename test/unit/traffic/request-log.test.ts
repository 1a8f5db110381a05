import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RequestLog, type RequestLogEntry, redactBody, redactHeaders, truncateBody } from '../../../src-main/traffic/request-log.js';

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

  it('keeps an exact suffix of what was recorded, within its count and byte bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat({ max: 1800 }), fc.string({ maxLength: 8 }), fc.option(fc.string({ maxLength: 60 }))), {
          minLength: 1,
          maxLength: 120,
        }),
        (capacity, items) => {
          const slabBytes = 16 * 1024;
          const log = new RequestLog({ capacity, slabBytes });
          const recorded: RequestLogEntry[] = [];
          for (const [size, tag, requestBody] of items) {
            const input = {
              ...entry(`/${tag}`),
              ...(requestBody === null ? {} : { requestBody: `{"q":"${requestBody}"}` }),
              responseBody: 'é'.repeat(size),
            };
            const seq = log.record(input);
            recorded.push({ seq, ...input });
            const kept = log.entries();
            expect(kept.length).toBeGreaterThanOrEqual(1);
            expect(kept.length).toBeLessThanOrEqual(capacity);
            expect(kept).toEqual(recorded.slice(recorded.length - kept.length));
            const wanted = recorded.slice(-capacity);
            const bytes = wanted.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e)), 0); // an upper bound
            if (bytes <= slabBytes / 2) expect(kept.length).toBe(wanted.length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never lets a wrapped write overwrite an entry it still lists', () => {
    // Entries of exact serialized sizes in a 4 KiB slab: after two wraps, an old small entry sits
    // past the end of the new write while a newer one sits under it.
    const log = new RequestLog({ capacity: 100, slabBytes: 4096 });
    const recorded: RequestLogEntry[] = [];
    // An entry takes its JSON without bodies plus the bodies' own bytes.
    const overhead = Buffer.byteLength(JSON.stringify({ seq: 1, ...entry('/x') }));
    const record = (bytes: number) => {
      const input = { ...entry('/x'), responseBody: 'b'.repeat(bytes - overhead) };
      recorded.push({ seq: log.record(input), ...input });
    };
    for (const bytes of [3500, 250, 250, 700, 3400]) record(bytes);
    expect(log.entries()).toEqual(recorded.slice(-1));
    record(300);
    expect(log.entries()).toEqual(recorded.slice(-2));
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

  it('redacts credentials but keeps the scheme; cookies are redacted whole', () => {
    expect(
      redactHeaders({
        authorization: 'Bearer s3cret',
        cookie: 'session=abc; theme=dark',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        'content-type': 'application/json',
        skipped: undefined,
      }),
    ).toEqual({
      authorization: 'Bearer [redacted]',
      cookie: '[redacted]',
      'proxy-authorization': '[redacted]',
      'content-type': 'application/json',
    });
  });

  it('redacts the passwords IdPs send, keeping the body as it was written', () => {
    // Okta sends a random password on create (docs: developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20).
    const create = '{\n  "userName": "a@example.com",\n  "password": "t1!Xq\\"9",\n  "active": true\n}';
    expect(redactBody(create)).toBe('{\n  "userName": "a@example.com",\n  "password": "[redacted]",\n  "active": true\n}');
    const patch = JSON.stringify({
      Operations: [
        { op: 'replace', path: 'password', value: 'hunter2' },
        { op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User:password': 'swordfish', displayName: 'hunter2 fan' } },
      ],
    });
    const redacted = redactBody(patch);
    expect(redacted).not.toContain('swordfish');
    expect(JSON.parse(redacted)).toEqual({
      Operations: [
        { op: 'replace', path: 'password', value: '[redacted]' },
        { op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User:password': '[redacted]', displayName: 'hunter2 fan' } },
      ],
    });
    // Not JSON: the "password": "…" pairs are still found.
    expect(redactBody('{"password": "abc", broken')).toBe('{"password": "[redacted]", broken');
    // Bodies that never mention a password are returned as they are.
    const plain = '{"userName":"bob"}';
    expect(redactBody(plain)).toBe(plain);
  });

  it('truncates large bodies at a byte limit, never inside a character, and says by how much', () => {
    expect(truncateBody('small')).toBe('small');
    const big = 'x'.repeat(64 * 1024 + 10);
    const truncated = truncateBody(big)!;
    expect(truncated.startsWith('x'.repeat(64 * 1024))).toBe(true);
    expect(truncated).toMatch(/truncated 10 bytes\]$/);
    // 'é' is 2 bytes: 40,000 of them are 80,000 bytes, over the limit though only 40,000 characters.
    const accented = truncateBody('é'.repeat(40_000))!;
    const kept = accented.slice(0, accented.indexOf('…'));
    expect(kept).toBe('é'.repeat(32 * 1024));
    expect(accented).toMatch(/truncated 14464 bytes\]$/);
  });

  it('numbers exchanges in the order they began, so a commit can name one still in progress', () => {
    const log = new RequestLog(10);
    const slow = log.begin();
    const fast = log.begin();
    log.record({ ...entry('/fast'), seq: fast });
    log.record({ ...entry('/slow'), seq: slow });
    expect(log.entries().map((e) => [e.url, e.seq])).toEqual([
      ['/fast', 2],
      ['/slow', 1],
    ]);
    expect(log.record(entry('/next'))).toBe(3);
  });
});
