import type { Experiment } from "../core/experiment.js";
import { describeValue as describe } from "../core/json.js";
import { ClientError } from "../errors.js";
import type { GlobalStoppingDecision, GlobalStoppingStrategy } from "../scheduler/index.js";

/**
 * The Client's `globalStoppingStrategy` option, checked.
 * @throws ClientError for a value without a `shouldStopOptimization` method.
 */
export function checkClientGlobalStopping(
  strategy: GlobalStoppingStrategy | undefined,
): GlobalStoppingStrategy | undefined {
  if (strategy !== undefined && typeof strategy?.shouldStopOptimization !== "function") {
    throw new ClientError(
      `globalStoppingStrategy must have a shouldStopOptimization(experiment) method (e.g. new ImprovementGlobalStoppingStrategy()), got ${describe(strategy)}.`,
    );
  }
  return strategy;
}

/**
 * Asks `strategy` about `experiment` (`Client.shouldStopOptimization`); the answer is copied, so the
 * caller holds no object of the strategy's.
 * @throws ClientError when the Client has no strategy; what the strategy throws.
 */
export async function askGlobalStopping(
  strategy: GlobalStoppingStrategy | undefined,
  experiment: Experiment,
): Promise<GlobalStoppingDecision> {
  if (!strategy) {
    throw new ClientError(
      "shouldStopOptimization needs a global stopping strategy: create the Client with one, e.g. " +
        "new Client({ globalStoppingStrategy: new ImprovementGlobalStoppingStrategy({ minTrials: 10 }) }).",
    );
  }
  const { stop, reason } = await strategy.shouldStopOptimization(experiment);
  return { stop, reason };
}
