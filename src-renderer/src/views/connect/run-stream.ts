/**
 * The events of runs this component started, gathered from the bridge's `run` stream. Listening
 * starts before the run does: a connection test against the local provider can finish before
 * `runIdpAction` has even answered with its id.
 */
import { useEffect, useState } from 'react';
import type { ConsoleBridge, RunEvent } from '../../../../src-main/api/contract';

/** Keeps the events of the last few runs only: a long session runs many tests. */
const KEEP_RUNS = 8;

export function useRunEvents(bridge: ConsoleBridge): ReadonlyMap<string, readonly RunEvent[]> {
  const [runs, setRuns] = useState<ReadonlyMap<string, readonly RunEvent[]>>(new Map());
  useEffect(
    () =>
      bridge.on('run', ({ runId, event }) => {
        setRuns((previous) => {
          const next = new Map(previous);
          next.set(runId, [...(previous.get(runId) ?? []), event]);
          while (next.size > KEEP_RUNS) next.delete(next.keys().next().value as string);
          return next;
        });
      }),
    [bridge],
  );
  return runs;
}
