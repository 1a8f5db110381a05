/**
 * The console contract over HTTP, for a normal browser: commands are `POST /api/<name>` with a
 * JSON array of arguments, events arrive on one shared EventSource at `/api/events`. Both need the
 * console cookie, which the URL printed at start-up sets; a 401 means the browser lacks it, and
 * the connection turns `unauthorized` so the page can say which URL to open.
 */
import {
  CONSOLE_COMMANDS,
  isConsoleEvent,
  type ConsoleBridge,
  type ConsoleCommandName,
  type ConsoleCommands,
  type ConsoleEventListener,
  type ConsoleEventName,
  type ConsoleEvents,
} from '../../../src-main/api/contract';
import { createConnection, type Connection } from './connection';
import { ConsoleCommandError, ConsoleLockedError } from './errors';

export { ConsoleLockedError };

type Result<K extends ConsoleCommandName> = Awaited<ReturnType<ConsoleCommands[K]>>;

/** Wait before reopening an event stream the browser gave up on; matches the host's `retry:`. */
const REOPEN_MS = 2000;

export function createHttpBridge(apiBase = './api'): { bridge: ConsoleBridge; connection: Connection } {
  const connection = createConnection('browser', 'connecting');
  let locked = false;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;

  function lock(): void {
    locked = true;
    source?.close();
    source = undefined;
    clearTimeout(reopenTimer);
    connection.set('unauthorized');
  }

  async function call<K extends ConsoleCommandName>(name: K, args: Parameters<ConsoleCommands[K]>): Promise<Result<K>> {
    if (locked) throw new ConsoleLockedError();
    const response = await fetch(`${apiBase}/${name}`, {
      method: 'POST',
      // JSON content type on purpose: the host refuses anything else, which keeps other sites'
      // "simple" cross-origin POSTs out.
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    if (response.status === 401) {
      lock();
      throw new ConsoleLockedError();
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const message = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : response.statusText;
      throw new ConsoleCommandError(name, response.status, message);
    }
    // The transport boundary: the host serialises exactly the contract's result type.
    return body as Result<K>;
  }

  let source: EventSource | undefined;
  const listeners: { [E in ConsoleEventName]: Set<ConsoleEventListener<E>> } = {
    request: new Set(),
    change: new Set(),
    run: new Set(),
    history: new Set(),
    idp: new Set(),
    targets: new Set(),
  };

  function dispatch<E extends ConsoleEventName>(event: E, message: MessageEvent<string>): void {
    let payload: ConsoleEvents[E];
    try {
      payload = JSON.parse(message.data) as ConsoleEvents[E];
    } catch {
      return;
    }
    for (const listener of listeners[event]) listener(payload);
  }

  function ensureSource(): void {
    if (source || locked) return;
    const opened = new EventSource(`${apiBase}/events`);
    source = opened;
    opened.addEventListener('open', () => connection.set('live'));
    opened.addEventListener('error', () => {
      if (locked) return;
      // The state tells the UI, and the resync logic once the stream is live again.
      connection.set('reconnecting');
      // EventSource retries by itself after a dropped connection, but gives up for good on an HTTP
      // error (401 without the secret, 503 while the app starts). It cannot say which: a command
      // can, and locks the console on a 401; otherwise the stream is opened afresh.
      if (opened.readyState !== EventSource.CLOSED) return;
      source = undefined;
      clearTimeout(reopenTimer);
      reopenTimer = setTimeout(() => {
        call('getServerInfo', []).then(ensureSource, ensureSource);
      }, REOPEN_MS);
    });
    for (const event of Object.keys(listeners) as ConsoleEventName[]) {
      opened.addEventListener(event, (message) => dispatch(event, message));
    }
  }

  const commands: Partial<Record<ConsoleCommandName, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of Object.keys(CONSOLE_COMMANDS) as ConsoleCommandName[]) {
    commands[name] = (...args: unknown[]) => call(name, args as Parameters<ConsoleCommands[typeof name]>);
  }

  const bridge = {
    // Complete by construction: CONSOLE_COMMANDS lists every command (checked in contract.ts).
    ...(commands as unknown as ConsoleCommands),
    on<E extends ConsoleEventName>(event: E, listener: ConsoleEventListener<E>): () => void {
      if (!isConsoleEvent(event)) throw new TypeError(`Unknown console event: ${String(event)}`);
      ensureSource();
      const set = listeners[event] as Set<ConsoleEventListener<E>>;
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  } satisfies ConsoleBridge;

  ensureSource();
  return { bridge, connection };
}
