/**
 * "Test connection": the chosen IdP's real connection test against a target (the exact requests
 * that IdP sends when you press its own Test button), with the exchanges as they happen.
 * Used by Connect (the local provider) and by each target in Targets.
 */
import { useState } from 'react';
import type { ConsoleBridge, ProfileName, ServerInfo } from '../../../../src-main/api/contract';
import { LiveRun } from '../../components/run/LiveRun';
import { useRun } from '../../components/run/use-run';
import { Banner, Button, ProfilePicker, Toolbar } from '../../components/ui';
import { useShortcut } from '../../shell/use-shortcuts';
import { describeFailure, type FailureContext } from '../../transport/errors';
import './connect.css';

export function ConnectionTest({ bridge, server, target, idPrefix, origin, shortcuts = false }: {
  bridge: ConsoleBridge;
  /** For "Copy as curl" with the local token. */
  server: ServerInfo | undefined;
  /** The target id (`local`, `practice:…`, a saved target's id). */
  target: string;
  /** Unique on the page (labels the profile picker). */
  idPrefix: string;
  origin: FailureContext['origin'];
  /** This test answers Ctrl/Cmd+Enter and Ctrl/Cmd+. (one per view). */
  shortcuts?: boolean;
}) {
  const [profile, setProfile] = useState<ProfileName>('entra');
  const [runId, setRunId] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const run = useRun(bridge, runId);
  const running = starting || (runId !== undefined && (run === undefined || (!run.failure && (run.state.status === 'pending' || run.state.status === 'running'))));

  async function start(): Promise<void> {
    if (running) return;
    setStarting(true);
    setFailure(undefined);
    try {
      const started = await bridge.runIdpAction({ profile, target, event: { type: 'testConnection' } });
      setRunId(started.runId);
    } catch (error) {
      setFailure(describeFailure(error, { origin }));
    } finally {
      setStarting(false);
    }
  }

  function cancel(): boolean {
    if (!runId || !running) return false;
    bridge.cancelRun(runId).catch((error: unknown) => setFailure(describeFailure(error, { origin })));
    return true;
  }

  useShortcut('run', () => void start(), shortcuts);
  useShortcut('cancel', cancel, shortcuts);

  return (
    <div className="connection-test">
      <Toolbar label="Connection test">
        <ProfilePicker id={`${idPrefix}-profile`} value={profile} onChange={setProfile} label="Test as" />
        <Button variant="primary" onClick={() => void start()} disabled={running}>
          {running ? 'Testing…' : 'Test connection'}
        </Button>
        {running && runId && (
          <Button variant="ghost" onClick={cancel}>
            Cancel
          </Button>
        )}
      </Toolbar>
      {failure && <Banner tone="error">{failure}</Banner>}
      {runId && <LiveRun bridge={bridge} runId={runId} server={server} title="Connection test" />}
    </div>
  );
}
