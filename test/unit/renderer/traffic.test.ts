/** The traffic panel's model: live batching, pausing, the wrapped ring, filters and Bulk operations. */
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../src-main/api/contract.js';
import { CONSOLE_USER_AGENT } from '../../../src-main/api/contract.js';
import {
  bulkOperations,
  exchangesMentioning,
  filterTraffic,
  mergeTraffic,
  NO_TRAFFIC_FILTER,
  statusClass,
  wrapSummary,
} from '../../../src-renderer/src/model/traffic.js';
import { createTrafficFeed } from '../../../src-renderer/src/model/traffic-feed.js';

const BASE = '/scim/v2';

function entry(seq: number, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    seq,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    method: 'GET',
    url: `${BASE}/Users/${seq}`,
    requestHeaders: { 'user-agent': 'Okta SCIM Client 1.0.0' },
    status: 200,
    responseHeaders: {},
    durationMs: 1,
    notes: [],
    ...overrides,
  };
}

/** A scheduler the test drives: flushes run when the test says a frame has passed. */
function manualFrames() {
  let pending: (() => void) | undefined;
  let scheduled = 0;
  return {
    schedule: (flush: () => void) => {
      pending = flush;
      scheduled++;
      return () => {
        pending = undefined;
      };
    },
    frame() {
      const flush = pending;
      pending = undefined;
      flush?.();
    },
    get scheduled() {
      return scheduled;
    },
  };
}

const seqs = (entries: readonly RequestLogEntry[]) => entries.map((e) => e.seq);

describe('the traffic feed', () => {
  it('batches a burst into one update per frame, newest first, without duplicates', () => {
    const frames = manualFrames();
    const feed = createTrafficFeed({ schedule: frames.schedule });
    let updates = 0;
    feed.subscribe(() => updates++);
    for (let seq = 1; seq <= 200; seq++) feed.add([entry(seq)]);
    // History overlapping the live stream: deduplicated by seq.
    feed.add([entry(5), entry(6)]);
    expect(updates).toBe(0);
    expect(frames.scheduled).toBe(1);
    frames.frame();
    expect(updates).toBe(1);
    expect(seqs(feed.getState().entries).slice(0, 3)).toEqual([200, 199, 198]);
    expect(feed.getState().entries).toHaveLength(200);
  });

  it('holds exchanges back while paused, counting them, and shows them on resume', () => {
    const frames = manualFrames();
    const feed = createTrafficFeed({ schedule: frames.schedule });
    feed.add([entry(1), entry(2)]);
    frames.frame();
    feed.pause();
    feed.add([entry(3), entry(4), entry(5)]);
    frames.frame();
    expect(seqs(feed.getState().entries)).toEqual([2, 1]);
    expect(feed.getState()).toMatchObject({ paused: true, held: 3 });
    feed.resume();
    expect(seqs(feed.getState().entries)).toEqual([5, 4, 3, 2, 1]);
    expect(feed.getState()).toMatchObject({ paused: false, held: 0 });
  });

  it('says when the server’s ring wrapped: the oldest seq it still has is not the first', () => {
    const frames = manualFrames();
    const feed = createTrafficFeed({ schedule: frames.schedule });
    // A log of capacity 3 after 10 exchanges.
    feed.add([entry(8), entry(9), entry(10)]);
    frames.frame();
    expect(feed.getState()).toMatchObject({ wrapped: true, total: 10 });
    expect(wrapSummary(feed.getState().entries.length, feed.getState().total, feed.getState().wrapped)).toBe('last 3 of 10');

    const whole = createTrafficFeed({ schedule: frames.schedule });
    whole.add([entry(1), entry(2)]);
    frames.frame();
    expect(whole.getState().wrapped).toBe(false);
    expect(wrapSummary(2, 2, false)).toBeUndefined();
    expect(wrapSummary(1000, 12_345, true)).toBe('last 1,000 of 12,345');
  });

  it('keeps the newest within its capacity, which also counts as wrapped', () => {
    const frames = manualFrames();
    const feed = createTrafficFeed({ schedule: frames.schedule, capacity: 5 });
    feed.add(Array.from({ length: 4 }, (_, i) => entry(i + 1)));
    frames.frame();
    feed.add(Array.from({ length: 4 }, (_, i) => entry(i + 5)));
    frames.frame();
    expect(seqs(feed.getState().entries)).toEqual([8, 7, 6, 5, 4]);
    expect(feed.getState()).toMatchObject({ wrapped: true, total: 8 });
  });

  it('clears for good: a resync does not bring cleared exchanges back, and totals count from the clear', () => {
    const frames = manualFrames();
    const feed = createTrafficFeed({ schedule: frames.schedule });
    feed.add([entry(1), entry(2), entry(3)]);
    frames.frame();
    feed.clear();
    expect(feed.getState().entries).toEqual([]);
    feed.add([entry(1), entry(2), entry(3), entry(4)]);
    frames.frame();
    expect(seqs(feed.getState().entries)).toEqual([4]);
    expect(feed.getState()).toMatchObject({ total: 1, wrapped: false });
  });

  it('does not let a backlog grow without bound when no frame comes (a hidden window)', () => {
    const frames = manualFrames();
    const feed = createTrafficFeed({ schedule: frames.schedule, capacity: 10 });
    for (let seq = 1; seq <= 25; seq++) feed.add([entry(seq)]);
    // Flushed synchronously once the backlog exceeded the capacity.
    expect(feed.getState().entries.length).toBeGreaterThan(0);
    expect(feed.getState().entries.length).toBeLessThanOrEqual(10);
  });
});

describe('mergeTraffic', () => {
  it('merges out-of-order arrivals by seq', () => {
    expect(seqs(mergeTraffic([entry(5), entry(3)], [entry(4), entry(6), entry(3)]))).toEqual([6, 5, 4, 3]);
    expect(seqs(mergeTraffic([entry(2), entry(1)], [entry(4), entry(3)], 3))).toEqual([4, 3, 2]);
  });
});

describe('traffic filters', () => {
  const log = [
    entry(1, { method: 'POST', url: `${BASE}/Users`, status: 201, notes: [{ code: 'string-boolean', detail: '"True" read as true' }] }),
    entry(2, { url: `${BASE}/Users?filter=userName%20eq%20%22ada%22`, status: 200 }),
    entry(3, { method: 'PATCH', url: `${BASE}/Users/abc`, status: 400 }),
    entry(4, { method: 'DELETE', url: `${BASE}/Groups/g1`, status: 503 }),
    entry(5, { url: `${BASE}/Users`, requestHeaders: { 'user-agent': CONSOLE_USER_AGENT } }),
  ];
  const shown = (filter: Partial<typeof NO_TRAFFIC_FILTER>) => seqs(filterTraffic(log, { ...NO_TRAFFIC_FILTER, ...filter }, BASE));

  it('hides the console’s own requests unless asked', () => {
    expect(shown({})).toEqual([1, 2, 3, 4]);
    expect(shown({ showConsole: true })).toEqual([1, 2, 3, 4, 5]);
  });

  it('filters by method, status class, path text (decoded, case-insensitive) and notes', () => {
    expect(shown({ method: 'PATCH' })).toEqual([3]);
    expect(shown({ status: '4xx' })).toEqual([3]);
    expect(shown({ status: '5xx' })).toEqual([4]);
    expect(shown({ status: '2xx' })).toEqual([1, 2]);
    expect(shown({ path: 'eq "ADA"' })).toEqual([2]);
    expect(shown({ path: '/groups' })).toEqual([4]);
    expect(shown({ notesOnly: true })).toEqual([1]);
    expect(shown({ method: 'GET', status: '2xx', path: 'users' })).toEqual([2]);
  });

  it('classes statuses', () => {
    expect([200, 204, 301, 404, 500, 101].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '5xx', undefined]);
  });
});

describe('Bulk operations', () => {
  it('pairs each operation’s own status with the path it was sent to, by bulkId', () => {
    const bulk = entry(1, {
      method: 'POST',
      url: `${BASE}/Bulk`,
      requestBody: JSON.stringify({
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: {} },
          { method: 'DELETE', path: '/Users/x' },
        ],
      }),
      responseBody: JSON.stringify({
        Operations: [
          { method: 'POST', bulkId: 'a', location: 'http://h/scim/v2/Users/1', status: '201' },
          { method: 'DELETE', status: '404', response: { detail: 'No User x' } },
        ],
      }),
    });
    expect(bulkOperations(bulk)).toEqual([
      { method: 'POST', bulkId: 'a', path: '/Users', location: 'http://h/scim/v2/Users/1', status: 201 },
      { method: 'DELETE', path: '/Users/x', status: 404, detail: 'No User x' },
    ]);
  });

  it('is undefined for anything that is not a Bulk response', () => {
    expect(bulkOperations(entry(1))).toBeUndefined();
    expect(bulkOperations(entry(2, { method: 'POST', url: `${BASE}/Bulk`, responseBody: 'not json' }))).toBeUndefined();
  });
});

describe('exchanges that touched a resource', () => {
  it('finds its id in the path or either body, leaving out the console’s own reads', () => {
    const id = '2819c223-7f76-453a-919d-413861904646';
    const log = [
      entry(1, { method: 'POST', url: `${BASE}/Users`, responseBody: `{"id":"${id}"}` }),
      entry(2, { url: `${BASE}/Users/${id}` }),
      entry(3, { method: 'POST', url: `${BASE}/Groups`, requestBody: `{"members":[{"value":"${id}"}]}` }),
      entry(4, { url: `${BASE}/Users/other` }),
      entry(5, { url: `${BASE}/Users/${id}`, requestHeaders: { 'user-agent': CONSOLE_USER_AGENT } }),
    ];
    expect(seqs(exchangesMentioning(log, id))).toEqual([1, 2, 3]);
    expect(exchangesMentioning(log, '')).toEqual([]);
  });
});
