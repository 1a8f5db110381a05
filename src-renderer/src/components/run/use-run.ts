import { useEffect, useState } from 'react';
import type { ConsoleBridge, RunEvent } from '../../../../src-main/api/contract';
import { createFrameBatch, type FrameScheduler } from '../../model/frame-batch';
import { emptyRunState, eventsOfRecord, reduceRun, type RunState } from '../../model/runs';
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
    setLive({ state: emptyRunState(runId) });
    const batch = createFrameBatch<RunEvent>((events) => {
      setLive((current) => (current && current.state.runId === runId ? { ...current, state: reduceRun(current.state, events) } : current));
    }, animationFrames);
    const stop = bridge.on('run', (message) => {
      if (message.runId === runId) batch.push(message.event);
    });
    const read = () =>
      bridge.getRun(runId).then(
        (record) => {
          if (!active) return;
          setLive((current) => ({ state: reduceRun(current?.state ?? emptyRunState(runId), eventsOfRecord(record)) }));
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
    return () => {
      active = false;
      batch.cancel();
      stop();
      stopConnection?.();
    };
  }, [bridge, runId, connection]);

  return live?.state.runId === runId ? live : undefined;
}
