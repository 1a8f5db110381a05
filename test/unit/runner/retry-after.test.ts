/**
 * Waiting out a 429: the Retry-After forms of RFC 9110 §10.2.3, the cap, the retry count, and
 * each attempt reported so the run records both exchanges. The sleep is injected: nothing waits.
 */
import { describe, expect, it } from 'vitest';
import type { ReceivedResponse } from '../../../src-main/runner/http.js';
import { TargetUnreachable } from '../../../src-main/runner/target.js';
import { parseRetryAfter, sendWithRetryAfter } from '../../../src-main/runner/targets/retry-after.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

function tooMany(retryAfter?: string): ReceivedResponse {
  return { status: 429, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } };
}
const ok: ReceivedResponse = { status: 200, headers: {} };

/** A target that answers with the given responses in turn, and the waits asked of the sleep. */
function scripted(...responses: ReceivedResponse[]) {
  const sent: number[] = [];
  const waits: number[] = [];
  return {
    sent,
    waits,
    send: async (_request: string, attempt: number) => {
      sent.push(attempt);
      return responses[Math.min(sent.length - 1, responses.length - 1)];
    },
    sleep: async (ms: number) => void waits.push(ms),
  };
}

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Sat, 01 Mar 2025 12:00:30 GMT', 30_000],
    ['Saturday, 01-Mar-25 12:00:05 GMT', 5_000],
    ['Sat Mar  1 12:00:10 2025', 10_000],
    ['Sat, 01 Mar 2025 11:00:00 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '10s'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('sendWithRetryAfter', () => {
  it('waits the seconds asked and retries once, reporting both attempts', async () => {
    const target = scripted(tooMany('3'), ok);
    const result = await sendWithRetryAfter(target.send, 'GET /Users', { honorRetryAfter: true, sleep: target.sleep });
    expect(result.response).toBe(ok);
    expect(result.attempts).toEqual([
      { attempt: 0, response: tooMany('3'), retryAfterMs: 3000, waitedMs: 3000 },
      { attempt: 1, response: ok },
    ]);
    expect(target.sent).toEqual([0, 1]);
    expect(target.waits).toEqual([3000]);
  });

  it('waits until an HTTP-date', async () => {
    const target = scripted(tooMany('Sat, 01 Mar 2025 12:00:04 GMT'), ok);
    await sendWithRetryAfter(target.send, 'x', { honorRetryAfter: true, sleep: target.sleep, now: () => NOW });
    expect(target.waits).toEqual([4000]);
  });

  it('cuts a long Retry-After to maxRetryAfterSeconds (default 30) and says what was asked', async () => {
    const target = scripted(tooMany('3600'), ok);
    const result = await sendWithRetryAfter(target.send, 'x', { honorRetryAfter: true, sleep: target.sleep });
    expect(target.waits).toEqual([30_000]);
    expect(result.attempts[0]).toMatchObject({ retryAfterMs: 3_600_000, waitedMs: 30_000 });

    const shorter = scripted(tooMany('3600'), ok);
    await sendWithRetryAfter(shorter.send, 'x', { honorRetryAfter: true, maxRetryAfterSeconds: 5, sleep: shorter.sleep });
    expect(shorter.waits).toEqual([5000]);
  });

  it('gives up after maxRetries and returns the last 429', async () => {
    const once = scripted(tooMany('1'));
    const result = await sendWithRetryAfter(once.send, 'x', { honorRetryAfter: true, sleep: once.sleep });
    expect(result.response.status).toBe(429);
    expect(once.sent).toEqual([0, 1]);

    const thrice = scripted(tooMany('1'), tooMany('2'), tooMany('3'), ok);
    const retried = await sendWithRetryAfter(thrice.send, 'x', { honorRetryAfter: true, maxRetries: 3, sleep: thrice.sleep });
    expect(retried.response).toBe(ok);
    expect(thrice.waits).toEqual([1000, 2000, 3000]);
    expect(retried.attempts.map((attempt) => attempt.attempt)).toEqual([0, 1, 2, 3]);
  });

  it('sends once when the profile does not honour Retry-After, or the 429 has none', async () => {
    const off = scripted(tooMany('1'), ok);
    expect((await sendWithRetryAfter(off.send, 'x', { honorRetryAfter: false, sleep: off.sleep })).response.status).toBe(429);
    expect(off.sent).toEqual([0]);

    const bare = scripted(tooMany(), ok);
    const result = await sendWithRetryAfter(bare.send, 'x', { honorRetryAfter: true, sleep: bare.sleep });
    expect(result.response.status).toBe(429);
    expect(result.attempts).toEqual([{ attempt: 0, response: tooMany() }]);
  });

  it('does not retry other statuses, whatever their Retry-After (a 503 is the target\'s to explain)', async () => {
    const target = scripted({ status: 503, headers: { 'retry-after': '1' } }, ok);
    expect((await sendWithRetryAfter(target.send, 'x', { honorRetryAfter: true, sleep: target.sleep })).response.status).toBe(503);
    expect(target.sent).toEqual([0]);
  });

  it('a cancelled run stops waiting', async () => {
    const controller = new AbortController();
    const target = scripted(tooMany('20'), ok);
    const pending = sendWithRetryAfter(target.send, 'x', { honorRetryAfter: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(TargetUnreachable);
    expect(target.sent).toEqual([0]);
  });
});
