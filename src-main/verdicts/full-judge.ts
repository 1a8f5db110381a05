/**
 * The judge every run of `scimulator run` and `scimulator check` gets: the RFC checks, what the
 * profile's IdP accepts, and reading back what each step wrote.
 */
import { idpExchangeChecks } from './idp-checks.js';
import { createJudge, type Judge } from './judge.js';
import { readBackStep } from './read-back.js';

export function createFullJudge(): Judge {
  return createJudge({ extraExchangeChecks: [idpExchangeChecks], stepChecks: [readBackStep] });
}
