/**
 * The console's own live events (runs, history, the IdP directory, targets): services emit, the
 * transports subscribe. The provider's events (request, change) come from the provider itself.
 */
import type { ConsoleEventListener, ConsoleEventName, ConsoleEvents } from '../api/contract.js';
import type { ConsoleEventSink } from './ports.js';

export type ServiceEventName = Exclude<ConsoleEventName, 'request' | 'change'>;

export interface EventHub extends ConsoleEventSink {
  subscribe<E extends ServiceEventName>(event: E, listener: ConsoleEventListener<E>): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Map<ConsoleEventName, Set<(payload: unknown) => void>>();
  return {
    emit<E extends ConsoleEventName>(event: E, payload: ConsoleEvents[E]): void {
      for (const listener of listeners.get(event) ?? []) {
        // One failing listener (a closed window) must not keep the event from the others.
        try {
          listener(payload);
        } catch {
          /* the transport reports its own failures */
        }
      }
    },
    subscribe<E extends ServiceEventName>(event: E, listener: ConsoleEventListener<E>): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => {
        set.delete(untyped);
      };
    },
  };
}
