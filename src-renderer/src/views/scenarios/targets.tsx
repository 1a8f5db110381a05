/**
 * The targets a run can go to, kept fresh by the `targets` event, and the picker the Scenarios,
 * IdP and Demo views all show. The choice lives in the view's URL (`target`; local when absent).
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

/** The "Target" picker: the local provider until the list has loaded, then every target. */
export function TargetSelect(props: {
  readonly targets: readonly TargetSummary[];
  readonly value: string;
  readonly onChange: (target: string | undefined) => void;
  readonly testId?: string;
}) {
  const { targets, value, onChange, testId } = props;
  return (
    <label className="sc-field">
      <span>Target</span>
      <select value={value} onChange={(event) => onChange(event.target.value === LOCAL_TARGET ? undefined : event.target.value)} data-testid={testId}>
        {targets.length === 0 && <option value={LOCAL_TARGET}>Local provider</option>}
        {targets.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {targetLabel(candidate)}
          </option>
        ))}
      </select>
    </label>
  );
}
