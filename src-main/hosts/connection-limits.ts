/**
 * Limits on the connections of the provider's node:http server. Without them an idle socket or a
 * trickled body holds a file handle for minutes, and enough of them exhaust the process's handles.
 * The defaults suit a local test server that an IdP's provisioning run hits hard: generous enough
 * for bursts of keep-alive requests, short enough that abandoned sockets go away quickly.
 */
import type { Server, ServerOptions } from 'node:http';

export interface ConnectionLimits {
  /** Time from connecting (or from the previous response) to a request's complete headers. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open after a response. */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as soon as they are accepted. */
  readonly maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
};

/** The createServer options that carry the limits. */
export function serverOptionsFor(limits: ConnectionLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the header and request timeouts on this interval (30 s by default), so a
    // timeout fires up to one interval late; a quarter of the shorter one keeps that small.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
  };
}

/** The limits that are properties of the server rather than createServer options. */
export function applyConnectionLimits(server: Server, limits: ConnectionLimits): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
