/**
 * The console contract over HTTP, for a normal browser: commands are `POST /api/<name>` with a
 * JSON array of arguments, events arrive on one shared EventSource at `/api/events`.
 */
import {
  isConsoleEvent,
  type ConsoleBridge,
  type ConsoleCommandName,
  type ConsoleCommands,
  type ConsoleEventListener,
  type ConsoleEventName,
  type ConsoleEvents,
} from '../../../src-main/api/contract';
import { createConnection, type Connection } from './connection';

type Result<K extends ConsoleCommandName> = Awaited<ReturnType<ConsoleCommands[K]>>;

export function createHttpBridge(apiBase = './api'): { bridge: ConsoleBridge; connection: Connection } {
  const connection = createConnection('browser', 'connecting');

  async function call<K extends ConsoleCommandName>(name: K, args: Parameters<ConsoleCommands[K]>): Promise<Result<K>> {
    const response = await fetch(`${apiBase}/${name}`, {
      method: 'POST',
      // JSON content type on purpose: the host refuses anything else, which keeps other sites'
      // "simple" cross-origin POSTs out.
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const message = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : response.statusText;
      throw new Error(`${name} failed (${response.status}): ${message}`);
    }
    // The transport boundary: the host serialises exactly the contract's result type.
    return body as Result<K>;
  }

  let source: EventSource | undefined;
  const listeners: { [E in ConsoleEventName]: Set<ConsoleEventListener<E>> } = { request: new Set(), change: new Set() };

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
    if (source) return;
    source = new EventSource(`${apiBase}/events`);
    source.addEventListener('open', () => connection.set('live'));
    // EventSource reconnects by itself; the state only tells the UI (and the resync logic).
    source.addEventListener('error', () => connection.set('reconnecting'));
    source.addEventListener('request', (message) => dispatch('request', message));
    source.addEventListener('change', (message) => dispatch('change', message));
  }

  const bridge = {
    getServerInfo: () => call('getServerInfo', []),
    listResources: (args) => call('listResources', [args]),
    recentRequests: () => call('recentRequests', []),
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
