import { describe, expect, it } from 'vitest';
import {
  emptyRunState,
  eventsOfRecord,
  firstFailingExchange,
  reduceRun,
  refusedStatus,
  runStateFromRecord,
  timelineRows,
  type TimelineRow,
} from '../../../src-renderer/src/model/runs.js';
import { createFrameBatch, type FrameScheduler } from '../../../src-renderer/src/model/frame-batch.js';
import type { RunEvent, StepSummary } from '../../../src-main/runner/run-events.js';
import type { RunExchange } from '../../../src-main/runner/exchange.js';
import type { Finding } from '../../../src-main/verdicts/finding.js';
import { RunRecorder } from '../../../src-main/runner/run-record.js';

function exchange(index: number, step: number, status: number | undefined): RunExchange {
  return {
    index,
    step,
    source: 'idp',
    purpose: `exchange ${index}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 5,
    request: { method: 'POST', url: 'http://t.example/scim/Users', headers: [] },
    ...(status === undefined ? { error: 'connection refused' } : { response: { status, headers: {} } }),
  };
}

function step(index: number, outcome: StepSummary['outcome'], exchanges: number): StepSummary {
  return { index, name: `step ${index}`, outcome, durationMs: 10, exchanges, assertions: [] };
}

const finding: Finding = {
  id: 'scim.create.status',
  severity: 'error',
  title: 'Create did not answer 201',
  message: 'POST /Users answered 200; Entra expects 201 Created',
  step: 1,
  exchange: 3,
  expected: 201,
  actual: 200,
  reference: { title: 'RFC 7644 §3.3', url: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.3' },
};

/** A two-step run: step 0 passes (exchanges 1, 2), step 1 fails (exchange 3, with an error finding). */
const EVENTS: RunEvent[] = [
  { type: 'run-started', scenario: 'entra-lifecycle', profile: 'entra', target: 'practice:litellm', steps: 3 },
  { type: 'step-started', index: 0, name: 'create' },
  { type: 'exchange', exchange: exchange(1, 0, 404) },
  { type: 'exchange', exchange: exchange(2, 0, 201) },
  { type: 'step-finished', step: step(0, 'passed', 2) },
  { type: 'step-started', index: 1, name: 'update' },
  { type: 'exchange', exchange: exchange(3, 1, 200) },
  { type: 'finding', finding },
  { type: 'step-finished', step: step(1, 'failed', 1) },
];
const FINISHED: RunEvent = {
  type: 'run-finished',
  summary: { outcome: 'failed', steps: { passed: 1, failed: 1, error: 0, skipped: 1 }, exchanges: 3, durationMs: 30 },
};

describe('a run live, from its events', () => {
  it('counts passed and failed steps as they finish, with the total announced up front', () => {
    const afterFirst = reduceRun(emptyRunState('r1'), EVENTS.slice(0, 5));
    expect(afterFirst.status).toBe('running');
    expect(afterFirst.counts).toMatchObject({ total: 3, passed: 1, failed: 0, exchanges: 2 });
    expect(afterFirst.steps.map((s) => s.status)).toEqual(['passed', 'pending', 'pending']);

    const running = reduceRun(afterFirst, EVENTS.slice(5, 7));
    expect(running.steps[1]).toMatchObject({ name: 'update', status: 'running', exchanges: [3] });

    const done = reduceRun(running, [...EVENTS.slice(7), FINISHED]);
    expect(done.status).toBe('failed');
    expect(done.counts).toMatchObject({ passed: 1, failed: 1, skipped: 1, exchanges: 3, findings: { error: 1, warning: 0, info: 0 } });
    expect(done.steps[2].status).toBe('skipped'); // announced, never run
  });

  it('files findings by exchange and by step', () => {
    const state = reduceRun(emptyRunState('r1'), EVENTS);
    expect(state.findingsByExchange.get(3)).toEqual([finding]);
    expect(state.steps[1].findings.error).toBe(1);
    expect(state.steps[0].findings.error).toBe(0);
    expect(firstFailingExchange(state)?.index).toBe(3);
  });

  it('never changes the state it was given (React compares by reference)', () => {
    const before = reduceRun(emptyRunState('r1'), EVENTS.slice(0, 3));
    const snapshot = { steps: before.steps, exchanges: before.exchanges.size };
    reduceRun(before, EVENTS.slice(3));
    expect(before.steps).toBe(snapshot.steps);
    expect(before.exchanges.size).toBe(snapshot.exchanges);
    expect(before.steps[0].exchanges).toEqual([1]);
  });

  it('keeps each exchange and finding once when the record so far and the stream overlap', () => {
    const streamed = reduceRun(emptyRunState('r1'), EVENTS);
    const twice = reduceRun(streamed, [...EVENTS, FINISHED]);
    expect(twice.counts.exchanges).toBe(3);
    expect(twice.findings).toHaveLength(1);
    expect(twice.steps[0].exchanges).toEqual([1, 2]);
  });

  it('marks steps left running by a cancelled run as skipped, not running forever', () => {
    const cancelled = reduceRun(emptyRunState('r1'), [
      ...EVENTS.slice(0, 7),
      { type: 'run-finished', summary: { outcome: 'cancelled', steps: { passed: 1, failed: 0, error: 0, skipped: 2 }, exchanges: 3, durationMs: 9 } },
    ]);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.map((s) => s.status)).toEqual(['passed', 'skipped', 'skipped']);
  });
});

describe('a finished run, from its record', () => {
  function record() {
    const recorder = new RunRecorder({
      scenario: { name: 'entra-lifecycle', source: 'builtin', description: '' },
      profile: 'entra',
      target: { key: 'practice:litellm', baseUrl: 'http://t.example/scim' },
      exact: false,
      seed: 1,
      runTag: 'abc',
      startedAt: '2026-01-01T00:00:00.000Z',
    });
    for (const event of [...EVENTS, FINISHED]) recorder.listener(event);
    return recorder.record('2026-01-01T00:00:01.000Z');
  }

  it('loads into the same state as the live stream produced', () => {
    const fromRecord = runStateFromRecord('r1', record());
    const live = reduceRun(emptyRunState('r1'), [...EVENTS, FINISHED]);
    expect(fromRecord.counts).toEqual(live.counts);
    expect(fromRecord.steps.map((s) => [s.name, s.status, s.exchanges])).toEqual(
      live.steps.slice(0, 2).map((s) => [s.name, s.status, s.exchanges]),
    );
    expect(fromRecord.findingsByExchange.get(3)).toEqual([finding]);
    expect(fromRecord).toMatchObject({ scenario: 'entra-lifecycle', profile: 'entra', target: 'practice:litellm', status: 'failed' });
  });

  it('reads the record so far of a run in progress (no finishedAt, a summary of the steps so far) as running', () => {
    const soFar = { ...record(), finishedAt: '' };
    const state = runStateFromRecord('r1', soFar);
    expect(state.status).toBe('running');
    expect(state.summary).toBeUndefined();
    expect(state.counts).toMatchObject({ passed: 1, failed: 1, exchanges: 3, total: 0 }); // how many steps is not in the record
    // The stream's own run-started, when it comes, tells the total.
    expect(reduceRun(state, [EVENTS[0]]).counts.total).toBe(3);
  });

  it('reads a record of a run still in progress (no summary yet) as running', () => {
    const { summary: _summary, ...partial } = record();
    const events = eventsOfRecord(partial as unknown as ReturnType<typeof record>);
    expect(events.at(-1)?.type).toBe('step-finished');
    expect(reduceRun(emptyRunState('r1'), events).status).toBe('running');
  });
});

const label = (row: TimelineRow) => (row.kind === 'step' ? `step ${row.step.index}` : row.kind === 'exchange' ? `exchange ${row.exchange.index}` : `note: ${row.text}`);

describe('the timeline rows', () => {
  const state = reduceRun(emptyRunState('r1'), [...EVENTS, FINISHED]);

  it("shows under an open step why it failed or was skipped, and the checks it did not apply", () => {
    const skipped: StepSummary = {
      ...step(2, 'skipped', 0),
      message: "Not applicable to Okta: Okta never deletes users",
    };
    const notApplied: StepSummary = {
      ...step(0, 'passed', 2),
      notApplied: [{ check: 'PATCH /Users/ exchange', reason: "okta-aiw sends no such request here; the scenario is written for okta's traffic", line: 66 }],
    };
    const events = EVENTS.map((event) => (event.type === 'step-finished' && event.step.index === 0 ? { ...event, step: notApplied } : event));
    const withNotes = reduceRun(emptyRunState('r1'), [...events, { type: 'step-started', index: 2, name: 'delete' }, { type: 'step-finished', step: skipped }, FINISHED]);
    expect(timelineRows(withNotes, new Set([0, 2])).map(label)).toEqual([
      'step 0',
      'exchange 1',
      'exchange 2',
      "note: PATCH /Users/ exchange (line 66) not applied: okta-aiw sends no such request here; the scenario is written for okta's traffic",
      'step 1',
      'step 2',
      'note: Not applicable to Okta: Okta never deletes users',
    ]);
    // Closed steps keep their notes folded away.
    expect(timelineRows(withNotes, new Set()).map(label)).toEqual(['step 0', 'step 1', 'step 2']);
  });

  it('lists every step, and the exchanges of the open ones', () => {
    const rows = timelineRows(state, new Set([0]));
    expect(rows.map((row) => label(row))).toEqual([
      'step 0',
      'exchange 1',
      'exchange 2',
      'step 1',
      'step 2',
    ]);
  });

  it('shows only failing steps and error exchanges under "errors only"', () => {
    const rows = timelineRows(state, new Set([0, 1]), { errorsOnly: true });
    expect(rows.map((row) => label(row))).toEqual([
      'step 1',
      'exchange 3',
    ]);
  });

  it('shows one step when asked', () => {
    const rows = timelineRows(state, new Set([1]), { step: 1 });
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ kind: 'exchange', findings: [finding] });
  });
});

describe('batching per frame', () => {
  function manualFrames(): FrameScheduler & { run(): void } {
    let pending: (() => void) | undefined;
    return {
      request: (callback) => {
        pending = callback;
        return 1;
      },
      cancel: () => {
        pending = undefined;
      },
      run: () => {
        const callback = pending;
        pending = undefined;
        callback?.();
      },
    };
  }

  it('hands over everything that arrived within a frame at once, in order', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const batch = createFrameBatch<number>((items) => flushed.push(items), frames);
    for (let i = 0; i < 500; i++) batch.push(i);
    expect(flushed).toEqual([]);
    frames.run();
    batch.push(500);
    frames.run();
    expect(flushed.map((items) => items.length)).toEqual([500, 1]);
    expect(flushed[0].slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('flushes nothing after cancel (the view went away)', () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const batch = createFrameBatch<number>((items) => flushed.push(items), frames);
    batch.push(1);
    batch.cancel();
    frames.run();
    batch.push(2);
    frames.run();
    expect(flushed).toEqual([]);
  });
});

describe('refusedStatus', () => {
  const finished = (statuses: readonly (number | undefined)[]): RunEvent[] => [
    { type: 'run-started', scenario: 'okta-lifecycle', profile: 'okta', target: 'remote-1', steps: 1 },
    { type: 'step-started', index: 0, name: 'test API credentials' },
    ...statuses.map((status, i): RunEvent => ({ type: 'exchange', exchange: exchange(i + 1, 0, status) })),
    { type: 'step-finished', step: step(0, 'failed', statuses.length) },
    { type: 'run-finished', summary: { outcome: 'failed', steps: { passed: 0, failed: 1, error: 0, skipped: 0 }, exchanges: statuses.length, durationMs: 20 } },
  ];

  it('names the status when the target refused every request with it: the credentials are wrong', () => {
    expect(refusedStatus(reduceRun(emptyRunState('r'), finished([401, 401])))).toBe(401);
    expect(refusedStatus(reduceRun(emptyRunState('r'), finished([403])))).toBe(403);
  });

  it('says nothing when some request got through, or while the run goes on', () => {
    expect(refusedStatus(reduceRun(emptyRunState('r'), finished([401, 200])))).toBeUndefined();
    expect(refusedStatus(reduceRun(emptyRunState('r'), finished([404])))).toBeUndefined();
    expect(refusedStatus(reduceRun(emptyRunState('r'), finished([401]).slice(0, 3)))).toBeUndefined();
  });
});
