import { describe, expect, it } from 'vitest';
import { ConsoleCommandError, ConsoleLockedError, describeFailure } from '../../../src-renderer/src/transport/errors';

const at = { origin: 'http://127.0.0.1:8080' };

describe('errors in words a person can act on', () => {
  it('says Scimulator is not reachable instead of "Failed to fetch"', () => {
    const expected = 'Scimulator isn’t reachable at http://127.0.0.1:8080. Is it still running?';
    expect(describeFailure(new TypeError('Failed to fetch'), at)).toBe(expected);
    expect(describeFailure(new TypeError('NetworkError when attempting to fetch resource.'), at)).toBe(expected);
    expect(describeFailure(new TypeError('Load failed'), at)).toBe(expected);
    // Hooks that kept only the message string.
    expect(describeFailure('TypeError: Failed to fetch', at)).toBe(expected);
    expect(describeFailure(new ConsoleCommandError('listTargets', 502, 'Bad Gateway'), at)).toBe(expected);
  });

  it('explains server errors and what to do', () => {
    expect(describeFailure(new ConsoleCommandError('getServerInfo', 503, 'starting'), at)).toBe(
      'Scimulator at http://127.0.0.1:8080 isn’t ready yet (it is starting or shutting down). Try again in a moment.',
    );
    const internal = describeFailure(new ConsoleCommandError('exportDirectory', 500, 'ENOSPC: no space left on device'), at);
    expect(internal).toContain('internal error (HTTP 500): ENOSPC: no space left on device');
    expect(internal).toContain('check its terminal output');
    // The bridge's older message format, kept as a string by a hook.
    expect(describeFailure('listTargets failed (500): boom', at)).toContain('internal error (HTTP 500): boom');
  });

  it('says which database is locked and how to get past it', () => {
    const message = describeFailure(new ConsoleCommandError('importDirectory', 423, 'scimulator.db is locked by process 4242'), at);
    expect(message).toContain('locked by another Scimulator');
    expect(message).toContain('--db');
  });

  it('tells a locked browser to open the printed URL', () => {
    for (const error of [new ConsoleLockedError(), new ConsoleCommandError('listTargets', 401, 'no secret')]) {
      expect(describeFailure(error, at)).toContain('Open the Console URL it printed');
    }
  });

  it('passes a validation message on as it is, as a sentence', () => {
    expect(describeFailure(new ConsoleCommandError('saveTarget', 400, 'baseUrl must be an http(s) URL'), at)).toBe(
      'baseUrl must be an http(s) URL.',
    );
  });

  it('drops Electron’s IPC wrapping', () => {
    const ipc = new Error("Error invoking remote method 'scimulator:command:saveTarget': Error: name is already used by another target");
    expect(describeFailure(ipc, at)).toBe('name is already used by another target.');
  });
});
