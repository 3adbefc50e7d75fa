import { Arm } from "../core/arm.js";
import { Experiment } from "../core/experiment.js";
import { describeValue as describe } from "../core/json.js";
import type { SearchSpace } from "../core/search-space.js";
import { STATUS_QUO_ARM_NAME } from "../core/status-quo.js";
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
    ...(options.statusQuo === undefined ? {} : { statusQuo: statusQuoArm(searchSpace, options.statusQuo) }),
  });
}

/**
 * The status-quo arm from plain values: each cast to its parameter's type as attachTrial casts
 * (`SearchSpace.castValues`: an INT is never rounded), fixed parameters filled in; the domain is not
 * checked (the status quo may lie outside the searched ranges).
 * @throws ClientError for a non-object or an unknown parameter; SearchSpaceError for a value that
 * cannot be cast or a missing parameter (ParameterValueError for a non-integer INT).
 */
function statusQuoArm(space: SearchSpace, values: Readonly<Record<string, unknown>>): Arm {
  if (values === null || typeof values !== "object") {
    throw new ClientError(`statusQuo must be an object of parameter values, got ${describe(values)}.`);
  }
  for (const name of Object.keys(values)) {
    if (!space.parameters.has(name)) {
      throw new ClientError(
        `statusQuo names parameter "${name}", which the search space does not have (it has: ${space.parameterNames.join(", ")}).`,
      );
    }
  }
  return new Arm({ parameters: space.castValues(values), name: STATUS_QUO_ARM_NAME });
}
