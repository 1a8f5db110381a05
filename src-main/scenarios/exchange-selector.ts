/**
 * Which exchanges of a step an expectation or a capture looks at. One event becomes several
 * requests (Okta's lookup then create; Entra's create then manager PATCH), so a check names the
 * one it means. The runner hands it only the step's own sender's exchanges (see selectExchanges).
 *
 * Grammar (words separated by spaces):
 *
 *   selector := '#' N                          the Nth exchange of the step, from 1
 *             | quantifier                     `last`, `first`, `all`
 *             | [quantifier] method [path]     `POST /Users`, `all PATCH /Groups`, `first GET`
 *             | [quantifier] path              `/Users`
 *   quantifier := 'last' (the default) | 'first' | 'all' (every match, each checked)
 *   method   := an HTTP method in capitals
 *   path     := starts with `/`: a prefix of the request path below the target's base URL, at a
 *               segment boundary (`/Users` matches `/Users` and `/Users/42`, not `/UsersX`); with a
 *               `?` it is a prefix of path and query as sent.
 */
import type { RunExchange } from '../runner/exchange.js';
import { didYouMean } from './suggest.js';

export type Quantifier = 'first' | 'last' | 'all';

export type ExchangeSelector =
  | { readonly kind: 'nth'; readonly text: string; readonly position: number }
  | { readonly kind: 'match'; readonly text: string; readonly quantifier: Quantifier; readonly method?: string; readonly path?: string };

export class SelectorError extends Error {
  constructor(
    readonly selector: string,
    reason: string,
  ) {
    super(`invalid exchange selector \`${selector}\`: ${reason}`);
    this.name = 'SelectorError';
  }
}

export const DEFAULT_SELECTOR: ExchangeSelector = { kind: 'match', text: 'last', quantifier: 'last' };

const QUANTIFIERS: readonly string[] = ['first', 'last', 'all'];
const STANDARD_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function parseSelector(text: string): ExchangeSelector {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new SelectorError(text, 'it is empty');
  const nth = /^#(\d+)$/.exec(words[0]!);
  if (nth) {
    if (words.length > 1) throw new SelectorError(text, '`#N` stands alone');
    const position = Number(nth[1]);
    if (position < 1) throw new SelectorError(text, 'exchanges are counted from #1');
    return { kind: 'nth', text, position };
  }
  let quantifier: Quantifier = 'last';
  let method: string | undefined;
  let path: string | undefined;
  let rest = words;
  if (QUANTIFIERS.includes(rest[0]!)) {
    quantifier = rest[0] as Quantifier;
    rest = rest.slice(1);
  }
  if (rest[0] !== undefined && /^[A-Z]+$/.test(rest[0])) {
    method = rest[0];
    // `PSOT /Users` would only ever match nothing; a method far from every standard one (PURGE)
    // may be what a raw request sends.
    const meant = STANDARD_METHODS.includes(method) ? '' : didYouMean(method, STANDARD_METHODS);
    if (meant !== '') throw new SelectorError(text, `\`${method}\` is not an HTTP method${meant}`);
    rest = rest.slice(1);
  }
  if (rest[0] !== undefined && rest[0].startsWith('/')) {
    path = rest[0];
    rest = rest.slice(1);
  }
  if (rest.length > 0) {
    const word = rest[0]!;
    const hint = STANDARD_METHODS.includes(word.toUpperCase())
      ? ` (write the method in capitals: \`${word.toUpperCase()}\`)`
      : didYouMean(word, QUANTIFIERS) || ' (expected `first`, `last`, `all`, `#N`, a METHOD in capitals or a /path)';
    throw new SelectorError(text, `\`${word}\` is not understood${hint}`);
  }
  return { kind: 'match', text, quantifier, ...(method === undefined ? {} : { method }), ...(path === undefined ? {} : { path }) };
}

/** Path and query of an exchange's request below the target's base URL. */
export function requestTarget(exchange: RunExchange, baseUrl: string): { path: string; query?: string } {
  const base = baseUrl.replace(/\/+$/, '');
  let rest = exchange.request.url;
  if (rest.startsWith(base)) rest = rest.slice(base.length);
  else {
    try {
      const url = new URL(rest);
      rest = url.pathname + url.search;
    } catch {
      // Not an absolute URL: it is already a path.
    }
  }
  const question = rest.indexOf('?');
  return question < 0 ? { path: rest } : { path: rest.slice(0, question), query: rest.slice(question + 1) };
}

/** `POST /Users/42`: how an exchange is named in check texts. */
export function describeExchange(exchange: RunExchange, baseUrl: string): string {
  return `${exchange.request.method} ${requestTarget(exchange, baseUrl).path}`;
}

function pathMatches(prefix: string, exchange: RunExchange, baseUrl: string): boolean {
  const { path, query } = requestTarget(exchange, baseUrl);
  if (prefix.includes('?')) return `${path}${query === undefined ? '' : `?${query}`}`.startsWith(prefix);
  if (path === prefix) return true;
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}

/**
 * The exchanges of a step that a selector names, in the order they were sent. The runner passes
 * only the step's own sender's exchanges (the IdP's, or Scimulator's for `sentBy: scimulator`).
 */
export function selectExchanges(selector: ExchangeSelector, exchanges: readonly RunExchange[], baseUrl: string): RunExchange[] {
  const candidates = exchanges;
  if (selector.kind === 'nth') {
    const exchange = candidates[selector.position - 1];
    return exchange ? [exchange] : [];
  }
  const matching = candidates.filter(
    (exchange) =>
      (selector.method === undefined || exchange.request.method === selector.method) &&
      (selector.path === undefined || pathMatches(selector.path, exchange, baseUrl)),
  );
  if (selector.quantifier === 'all') return matching;
  const picked = selector.quantifier === 'first' ? matching[0] : matching.at(-1);
  return picked ? [picked] : [];
}
