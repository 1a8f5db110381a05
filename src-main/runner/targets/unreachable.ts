/**
 * Why no response came, in one line that says what to do. The transport's errors (Node's socket
 * and TLS errors, undici's own) become a TargetUnreachable the CLI prints as is.
 */
import { TargetUnreachable } from '../target.js';

/** TLS verification failures: the server answered, but its certificate is not trusted. */
const CERTIFICATE_ERRORS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'issuer unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer unknown',
  UNABLE_TO_GET_ISSUER_CERT: 'issuer unknown',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'issued for another host name',
  CERT_REVOKED: 'revoked',
};

export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** "60 s", "0.2 s". */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A transport error as one line; `url` is where the request went. */
export function describeTransportError(error: unknown, url: string): TargetUnreachable {
  const origin = originOf(url);
  const code = errorCode(error);
  const certificate = code === undefined ? undefined : CERTIFICATE_ERRORS[code];
  let message: string;
  if (certificate !== undefined) {
    message = `certificate not trusted (${certificate}) at ${origin}; pass --insecure to accept it`;
  } else if (code === 'ECONNREFUSED') {
    message = `connection refused at ${origin}: is the server running?`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    message = `host not found: ${new URL(url).hostname} (DNS lookup failed); check the URL`;
  } else if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    message = `could not connect to ${origin} (connection timed out): is the host reachable?`;
  } else if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    const scheme = url.startsWith('http:') ? ' (if the server uses TLS, the URL should start with https://)' : '';
    message = `${origin} closed the connection without a response${scheme}`;
  } else if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    message = `TLS handshake with ${origin} failed (is it an https server?)`;
  } else {
    message = `no response from ${origin}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return new TargetUnreachable(message, { cause: error });
}

export function timedOut(ms: number, url: string): TargetUnreachable {
  return new TargetUnreachable(`timed out after ${seconds(ms)} waiting for ${url}`);
}

export function cancelled(url: string): TargetUnreachable {
  return new TargetUnreachable(`cancelled: ${url}`);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
