/**
 * "Copy as curl": an exchange of a run as a curl command that sends the same request again. The
 * run record redacts credentials (`[redacted]`), so the command puts back the local provider's
 * token when the exchange went to it, and otherwise a `$SCIM_TOKEN` placeholder the shell expands
 * (hence double quotes around that one header; every other word is single-quoted, POSIX sh).
 */
import type { RunExchange } from '../../../src-main/runner/exchange.js';

/** What the run record writes where a credential was. */
export const REDACTED = '[redacted]';
export const TOKEN_PLACEHOLDER = '$SCIM_TOKEN';

/** Headers curl computes itself: copying them could only make the command wrong. */
const COMPUTED_HEADERS = new Set(['content-length', 'host', 'connection', 'transfer-encoding']);

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word for POSIX sh: unchanged when nothing in it is special, else single-quoted (a `'` becomes `'\''`). */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface CurlOptions {
  /** The local provider's token (ServerInfo.token), used when the exchange went to the local provider. */
  readonly localToken?: string;
  /** The local provider's base URL (ServerInfo.baseUrl). */
  readonly localBaseUrl?: string;
  /** The run's target id; `local` means the local provider. */
  readonly target?: string;
}

function isLocal(exchange: RunExchange, options: CurlOptions): boolean {
  if (options.target === 'local') return true;
  return options.localBaseUrl !== undefined && exchange.request.url.startsWith(options.localBaseUrl);
}

function credentialHeader(name: string, exchange: RunExchange, options: CurlOptions): string {
  const isAuthorization = name.toLowerCase() === 'authorization';
  if (isLocal(exchange, options) && options.localToken && isAuthorization) return shellQuote(`${name}: Bearer ${options.localToken}`);
  // Double quotes so the shell fills in the placeholder; the name is a header token (no quotes, $ or `).
  return `"${name}: ${isAuthorization ? 'Bearer ' : ''}${TOKEN_PLACEHOLDER}"`;
}

/**
 * Where the request can be sent again. A run against `local` reaches the provider in process, and
 * its record names a host nothing resolves (local.scimulator): curl needs the provider's real
 * origin, the one it is served at.
 */
function reachableUrl(exchange: RunExchange, options: CurlOptions): string {
  const { url } = exchange.request;
  if (options.target !== 'local' || options.localBaseUrl === undefined || url.startsWith(options.localBaseUrl)) return url;
  const recorded = new URL(url);
  return new URL(`${recorded.pathname}${recorded.search}`, new URL(options.localBaseUrl).origin).href;
}

export function curlCommand(exchange: RunExchange, options: CurlOptions = {}): string {
  const { method, headers, body } = exchange.request;
  const parts: string[] = ['curl'];
  if (method !== 'GET' || body !== undefined) parts.push('-X', shellQuote(method));
  parts.push(shellQuote(reachableUrl(exchange, options)));
  for (const [name, value] of headers) {
    if (COMPUTED_HEADERS.has(name.toLowerCase())) continue;
    parts.push('-H', value === REDACTED ? credentialHeader(name, exchange, options) : shellQuote(`${name}: ${value}`));
  }
  if (body !== undefined) parts.push('--data-raw', shellQuote(body));
  return parts.join(' ');
}
