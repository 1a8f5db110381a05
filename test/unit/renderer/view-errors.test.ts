/**
 * The views' own error sentences (Scenarios, IdP, Demo, Run, History) say what failed and then why
 * in the same words as the rest of the console: never the transport's "Failed to fetch" or the
 * HTTP bridge's "startRun failed (500): …".
 */
import { describe, expect, it } from 'vitest';
import { ConsoleCommandError } from '../../../src-renderer/src/transport/errors';
import { describeError } from '../../../src-renderer/src/views/scenarios/describe-error';
import { describeFailure } from '../../../src-renderer/src/model/run-errors';

const origin = 'http://127.0.0.1:8080';

describe('errors the Scenarios, IdP and Demo views show', () => {
  it('say Scimulator is not reachable, and where, instead of "Failed to fetch"', () => {
    const message = describeError(new TypeError('Failed to fetch'), 'The scenario could not be read', origin);
    expect(message).toBe('The scenario could not be read: Scimulator isn’t reachable at http://127.0.0.1:8080. Is it still running?');
  });

  it('give the host’s reason for a refused command, not the bridge’s status line', () => {
    const message = describeError(new ConsoleCommandError('readScenario', 400, 'no built-in scenario named "nope"'), 'The scenario could not be read', origin);
    expect(message).toBe('The scenario could not be read: no built-in scenario named "nope".');
  });

  it('keep a plain reason as it is', () => {
    expect(describeError(new Error('Error: the folder is empty'), 'The folder could not be opened', origin)).toBe('The folder could not be opened: the folder is empty.');
    expect(describeError(undefined, 'The targets could not be listed', origin)).toBe('The targets could not be listed.');
  });
});

describe('errors the Run and History views show', () => {
  it('say Scimulator is not reachable, and where', () => {
    expect(describeFailure(new TypeError('Failed to fetch'), 'run it again', origin)).toBe(
      'Couldn’t run it again: Scimulator isn’t reachable at http://127.0.0.1:8080. Is it still running?',
    );
  });

  it('explain an internal error instead of repeating the bridge’s "startRun failed (500)"', () => {
    const message = describeFailure(new ConsoleCommandError('startRun', 500, 'ENOSPC: no space left on device'), 'run it again', origin);
    expect(message).not.toContain('startRun failed');
    expect(message).toContain('internal error (HTTP 500): ENOSPC: no space left on device');
  });

  it('say a run that is gone is no longer in the history', () => {
    expect(describeFailure(new ConsoleCommandError('getRun', 404, 'unknown run abc'), 'read this run', origin)).toBe(
      'Couldn’t read this run: the run is no longer in the history (unknown run abc).',
    );
  });
});
