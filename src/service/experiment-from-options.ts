import { Experiment } from "../core/experiment.js";
import { describeValue as describe } from "../core/json.js";
import { ClientError } from "../errors.js";
import type { Clock } from "../util/clock.js";
import type { CreateExperimentOptions } from "./client-types.js";
import { searchSpaceFromSpecs } from "./experiment-spec.js";
import { optimizationFromSpec } from "./optimization-spec.js";

/**
 * Builds (but does not save) the experiment that `Client.createExperiment` describes: search space from
 * the parameter specs and constraints, optimization config and tracking metrics from the objectives,
 * outcome constraints and tracking metric names.
 * @throws ClientError for a missing options object or name; SearchSpaceError, ParameterConstraintError
 * or OptimizationConfigError for a bad spec (see `searchSpaceFromSpecs`, `optimizationFromSpec`).
 */
export function experimentFromOptions(options: CreateExperimentOptions, clock?: Clock): Experiment {
  if (options === null || typeof options !== "object") {
    throw new ClientError(`createExperiment needs an options object, got ${describe(options)}.`);
  }
  if (typeof options.name !== "string" || options.name.trim() === "") {
    throw new ClientError(`createExperiment needs a non-empty name, got ${describe(options.name)}.`);
  }
  const searchSpace = searchSpaceFromSpecs(options.parameters, options.parameterConstraints);
  const { optimizationConfig, trackingMetrics } = optimizationFromSpec(options);
  return new Experiment({
    name: options.name,
    searchSpace,
    optimizationConfig,
    trackingMetrics,
    isTest: options.isTest ?? false,
    description: options.description ?? null,
    ...(clock ? { clock } : {}),
  });
}
