/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): the access token a remote target's requests carry
 * when the SCIM server sits behind an authorization server, as Okta and Entra can be configured to
 * do. One token is fetched, shared by concurrent requests, and reused until shortly before it
 * expires.
 */
import type { ReceivedResponse } from '../http.js';
import { TargetUnreachable } from '../target.js';

export interface OAuthClient {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  readonly clientAuthentication?: 'basic' | 'body';
}

/** Sends the token request (through the target's own transport, so `insecure` and timeouts apply). */
export type TokenPost = (
  url: string,
  headers: readonly (readonly [string, string])[],
  body: string,
  signal?: AbortSignal,
) => Promise<ReceivedResponse>;

/** The authorization server refused or garbled the token request: the run cannot authenticate. */
export class TargetAuthFailed extends TargetUnreachable {
  constructor(message: string) {
    super(message);
    this.name = 'TargetAuthFailed';
  }
}

export interface AccessToken {
  readonly value: string;
  /** Fetched for this call, rather than taken from the cache. */
  readonly fresh: boolean;
}

/** Renew this long before `expires_in` runs out, so a token never expires in flight. */
export function renewalMargin(expiresInMs: number): number {
  return Math.min(60_000, expiresInMs / 10);
}

export class OAuthTokenSource {
  private cached?: { value: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly client: OAuthClient,
    private readonly post: TokenPost,
    private readonly now: () => number = Date.now,
  ) {}

  async token(signal?: AbortSignal): Promise<AccessToken> {
    if (this.cached && this.now() < this.cached.renewAt) return { value: this.cached.value, fresh: false };
    this.pending ??= this.fetchToken(signal).finally(() => {
      this.pending = undefined;
    });
    return { value: await this.pending, fresh: true };
  }

  /** Forgets a token the target refused, unless another request has already replaced it. */
  invalidate(value: string): void {
    if (this.cached?.value === value) this.cached = undefined;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope } = this.client;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope !== undefined) form.set('scope', scope);
    const headers: [string, string][] = [
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Accept', 'application/json'],
    ];
    if ((this.client.clientAuthentication ?? 'basic') === 'basic') {
      // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded.
      const pair = `${formComponent(clientId)}:${formComponent(clientSecret)}`;
      headers.push(['Authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`]);
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const requestedAt = this.now();
    const response = await this.post(tokenUrl, headers, form.toString(), signal);
    const body = parseJson(response.body);
    if (response.status !== 200) {
      // RFC 6749 §5.2: `error` and an optional `error_description`.
      const error = typeof body?.error === 'string' ? ` ${body.error}` : '';
      const description = typeof body?.error_description === 'string' ? ` (${body.error_description})` : '';
      const hint = response.status === 400 || response.status === 401 ? '; check --client-id, --client-secret and --oauth-token-url' : '';
      throw new TargetAuthFailed(`OAuth token request to ${tokenUrl} failed: ${response.status}${error}${description}${hint}`);
    }
    const value = body?.access_token;
    if (typeof value !== 'string' || value === '') {
      throw new TargetAuthFailed(`OAuth token response from ${tokenUrl} has no access_token`);
    }
    const expiresIn = Number(body?.expires_in);
    // Without expires_in (RFC 6749 §5.1 only recommends it) the token is kept until a 401.
    const renewAt = Number.isFinite(expiresIn) && expiresIn > 0 ? requestedAt + expiresIn * 1000 - renewalMargin(expiresIn * 1000) : Infinity;
    this.cached = { value, renewAt };
    return value;
  }
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
function formComponent(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
