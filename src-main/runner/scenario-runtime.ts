/**
 * A scenario's values during one run: `${…}` resolved by one Interpolator (variables, generators,
 * captures), expectations checked and captures stored with the scenarios module's evaluators.
 */
import type { Random } from '../idp/profile.js';
import { captureValues, evaluateExpectations } from '../scenarios/assertions.js';
import { Interpolator } from '../scenarios/interpolate.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { ScenarioRuntime } from './run.js';

export function createScenarioRuntime(scenario: Scenario, random: Random, runTag: string, baseUrl: string, now?: () => Date): ScenarioRuntime {
  const interpolator = new Interpolator({
    random,
    runTag,
    ...(now === undefined ? {} : { now }),
    ...(scenario.variables === undefined ? {} : { variables: { ...scenario.variables } }),
  });
  const resolve = (value: unknown): unknown => interpolator.value(value);
  return {
    resolve: <T>(value: T) => interpolator.value(value) as T,
    check: (expectations, exchanges) => evaluateExpectations(expectations, exchanges, { baseUrl, resolve }),
    capture(save, exchanges) {
      const { values, results } = captureValues(save, exchanges, { baseUrl });
      for (const [name, value] of Object.entries(values)) interpolator.set(name, value);
      return results;
    },
  };
}
