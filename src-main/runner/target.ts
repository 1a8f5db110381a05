/**
 * Where the mock IdP sends its requests: the local provider in memory (through its handler, no
 * socket) or any SCIM base URL (through fetch). Both look the same to the runner and profiles.
 */
import type { OutgoingRequest, ReceivedResponse } from './http.js';

export interface Target {
  /** Identifies the target in the IdP's links (`local`, or the base URL). */
  readonly key: string;
  /** The SCIM base URL requests are addressed to. */
  readonly baseUrl: string;
  /**
   * Sends one request. Fills in the AUTHORIZATION placeholder with the target's credentials.
   * Rejects only when no response came (refused, timeout, TLS error, cancelled).
   */
  send(request: OutgoingRequest, signal?: AbortSignal): Promise<ReceivedResponse>;
  /** Releases connections and any in-memory provider. */
  close(): Promise<void>;
}

export type TargetAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  | {
      readonly kind: 'oauth-client-credentials';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
      /**
       * How the client authenticates to the token endpoint (RFC 6749 §2.3.1): HTTP Basic, which
       * every server must accept (the default), or `client_id`/`client_secret` in the form body.
       */
      readonly clientAuthentication?: 'basic' | 'body';
    };

export interface RemoteTargetOptions {
  readonly baseUrl: string;
  readonly auth: TargetAuth;
  /** Per request, in milliseconds. Default 60 000 (Entra's documented limit). */
  readonly timeoutMs?: number;
  /** Accept a self-signed or otherwise unverifiable certificate. Default false. */
  readonly insecure?: boolean;
}

/** A transport-level failure: no HTTP response came. */
export class TargetUnreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TargetUnreachable';
  }
}
