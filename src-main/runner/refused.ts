/**
 * Whether a target refused the IdP's requests outright: every answered one with the same 401 or
 * 403. Then the credentials are wrong, which a person fixes in the auth flags or the saved target,
 * not in the scenario; the CLI exits 2 on it and the console says so beside the run's counts.
 */
import type { RunExchange } from './exchange.js';

export function refusedStatus(exchanges: Iterable<RunExchange>): 401 | 403 | undefined {
  let refused: 401 | 403 | undefined;
  for (const exchange of exchanges) {
    if (exchange.source !== 'idp' || exchange.response === undefined) continue;
    const { status } = exchange.response;
    if (refused === undefined && (status === 401 || status === 403)) refused = status;
    else if (status !== refused) return undefined;
  }
  return refused;
}
