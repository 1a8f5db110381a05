import { useEffect, useState } from 'react';
import type { ConsoleBridge, RunEvent } from '../../../../src-main/api/contract';
import { createFrameBatch, type FrameScheduler } from '../../model/frame-batch';
import { emptyRunState, eventsOfRecord, isFinished, reduceRun, type RunState } from '../../model/runs';
import { describeFailure } from '../../model/run-errors';
import type { Connection } from '../../transport/connection';

const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export interface LiveRunState {
  readonly state: RunState;
  /** Why the run could not be read (it was deleted, or the console lost the server). */
  readonly failure?: string;
}

/**
 * One run's state: follows its `run` events (batched per animation frame) and reads what already
 * happened with getRun, so a run opened mid-way or after it finished shows the same. The two
 * overlap while a run is going; the reducer keeps each exchange and finding once.
 */
export function useRun(bridge: ConsoleBridge, runId: string | undefined, connection?: Connection): LiveRunState | undefined {
  const [live, setLive] = useState<LiveRunState | undefined>(undefined);

  useEffect(() => {
    if (!runId) {
      setLive(undefined);
      return;
    }
    let active = true;
    let finished = false;
    const apply = (current: LiveRunState | undefined, events: readonly RunEvent[]): LiveRunState => {
      const state = reduceRun(current?.state ?? emptyRunState(runId), events);
      finished = isFinished(state);
      return { ...(current?.failure && state.status === 'pending' ? { failure: current.failure } : {}), state };
    };
    setLive({ state: emptyRunState(runId) });
    const batch = createFrameBatch<RunEvent>((events) => {
      setLive((current) => (current && current.state.runId === runId ? apply(current, events) : current));
    }, animationFrames);
    const stop = bridge.on('run', (message) => {
      if (message.runId === runId) batch.push(message.event);
    });
    const read = () =>
      bridge.getRun(runId).then(
        (record) => {
          if (!active) return;
          setLive((current) => apply(current, eventsOfRecord(record)));
        },
        (error: unknown) => {
          if (!active) return;
          setLive((current) => {
            // A run that has already streamed events exists: the record is just not written yet.
            if (current && current.state.status !== 'pending') return current;
            return { state: current?.state ?? emptyRunState(runId), failure: describeFailure(error, 'read this run') };
          });
        },
      );
    void read();
    // Events sent while the stream was down (or before it first connected) are lost: read again.
    const stopConnection = connection?.onChange((state) => {
      if (state === 'live') void read();
    });
    // A run that ended between the page subscribing and getRun answering reads as in progress (its
    // record is being written); the history announces it once kept, so read it again then.
    const stopHistory = bridge.on('history', () => {
      if (!finished) void read();
    });
    return () => {
      active = false;
      batch.cancel();
      stop();
      stopConnection?.();
      stopHistory();
    };
  }, [bridge, runId, connection]);

  return live?.state.runId === runId ? live : undefined;
}
