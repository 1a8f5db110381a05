/**
 * The health of the live event stream, which the header shows and which tells the data hooks to
 * re-read everything after a gap (events sent while disconnected are lost). `unauthorized` is
 * final: the browser lacks the console secret (the page was opened without the printed URL, or
 * Scimulator restarted with a new secret), and only opening the printed URL helps.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface Connection {
  readonly kind: 'electron' | 'browser';
  current(): ConnectionState;
  onChange(listener: (state: ConnectionState) => void): () => void;
}

export function createConnection(kind: Connection['kind'], initial: ConnectionState): Connection & {
  set(state: ConnectionState): void;
} {
  let state = initial;
  const listeners = new Set<(state: ConnectionState) => void>();
  return {
    kind,
    current: () => state,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener(next);
    },
  };
}
