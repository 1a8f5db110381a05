/**
 * The targets a run can go to, kept fresh by the `targets` event. Shared by the Scenarios, IdP
 * and Demo views, which all pick one.
 */
import { useEffect, useState } from 'react';
import type { ConsoleBridge, TargetSummary } from '../../../../src-main/api/contract';
import { describeError } from './describe-error';

export const LOCAL_TARGET = 'local';

export function useTargets(bridge: ConsoleBridge): { targets: readonly TargetSummary[]; failure?: string } {
  const [state, setState] = useState<{ targets: readonly TargetSummary[]; failure?: string }>({ targets: [] });
  useEffect(() => {
    let live = true;
    const load = () =>
      bridge.listTargets().then(
        (targets) => live && setState({ targets }),
        (error: unknown) => live && setState((current) => ({ ...current, failure: describeError(error, 'The targets could not be listed') })),
      );
    void load();
    const off = bridge.on('targets', () => void load());
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return state;
}

/** "Local provider" or "Okta practice · https://…": what a picker shows for a target. */
export function targetLabel(target: TargetSummary): string {
  return target.kind === 'local' ? `${target.name} (local)` : target.name;
}
