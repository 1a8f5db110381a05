/**
 * One run's progress, live: subscribes to `run` events first, then asks for the run so far, so
 * nothing sent between the run starting and this view opening is missed. Events are applied once
 * per animation frame, so a run sending hundreds of requests a second re-renders at most 60 times.
 */
import { useEffect, useState } from 'react';
import type { ConsoleBridge, RunEvent } from '../../../../src-main/api/contract';
import { applyRecord, applyRunEvent, EMPTY_PROGRESS, type RunProgress } from './run-progress';
import { describeError } from '../scenarios/describe-error';

export function useRunProgress(bridge: ConsoleBridge, runId: string | undefined): { progress: RunProgress; failure?: string } {
  const [state, setState] = useState<{ progress: RunProgress; failure?: string }>({ progress: EMPTY_PROGRESS });
  useEffect(() => {
    setState({ progress: EMPTY_PROGRESS });
    if (!runId) return;
    let live = true;
    let pending: RunEvent[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const events = pending;
      pending = [];
      setState((current) => ({ ...current, progress: events.reduce(applyRunEvent, current.progress) }));
    };
    const off = bridge.on('run', ({ runId: id, event }) => {
      if (id !== runId) return;
      pending.push(event);
      if (!frame) frame = requestAnimationFrame(flush);
    });
    bridge.getRun(runId).then(
      (record) => live && setState((current) => ({ ...current, progress: applyRecord(current.progress, record) })),
      (error: unknown) => live && setState((current) => ({ ...current, failure: describeError(error, 'The run could not be read') })),
    );
    return () => {
      live = false;
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [bridge, runId]);
  return state;
}
