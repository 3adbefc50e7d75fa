import type { MetricDataset } from "../../adapter/metric-datasets.js";
import {
  createGp,
  type GpModel,
  type GpPriorKind,
  sampleGpHyperparameters,
} from "../../numerics/gp/index.js";
import { Rng } from "../../util/rng.js";
import type { SingleObjectiveFit } from "./single-objective.js";

/**
 * Offset of the salts of the hyperparameter chains from the salt of each metric's fit, so a chain never
 * shares the random stream of a fit's starts (those use salts 0, 1, ... by metric position).
 */
const CHAIN_SALT_OFFSET = 7_001;

/** Options of {@link sampleSingleObjectiveFits}. */
export interface SampleFitsOptions {
  /** Posterior draws per metric model, ≥ 1. */
  count: number;
  /** The priors the MAP models were fitted under. */
  prior: GpPriorKind;
  /** Seed of a purpose (`salt`) within the current gen call. */
  seedFor: (salt: number) => number;
}

/**
 * `count` single-objective fits, fit i built from draw i of every metric's hyperparameter posterior
 * (objective and constraints together), each chain started at the metric's MAP model and seeded by
 * the metric's position: the members of the acquisition ensemble. The MAP fit itself is unchanged.
 *
 * @throws ModelFittingError when a draw's covariance cannot be factored.
 */
export function sampleSingleObjectiveFits(
  fit: SingleObjectiveFit,
  options: SampleFitsOptions,
): SingleObjectiveFit[] {
  const objectiveModels = sampledModels(fit.objective, fit.objectiveModel, 0, options);
  const constraintModels = fit.constraints.map((c, i) => sampledModels(c.dataset, c.model, i + 1, options));
  return objectiveModels.map((objectiveModel, s) => ({
    ...fit,
    objectiveModel,
    constraints: fit.constraints.map((c, i) => ({ ...c, model: constraintModels[i]![s]! })),
  }));
}

/** The models of one metric under `count` posterior draws of its hyperparameters. */
function sampledModels(
  dataset: MetricDataset,
  map: GpModel,
  salt: number,
  options: SampleFitsOptions,
): GpModel[] {
  const { X, n, d, Y, Yvar } = dataset;
  const draws = sampleGpHyperparameters({
    X,
    n,
    d,
    Y,
    Yvar,
    start: map.hyperparameters,
    count: options.count,
    rng: new Rng(options.seedFor(CHAIN_SALT_OFFSET + salt)),
    kernel: map.kernel,
    prior: options.prior,
  });
  return draws.map((hyperparameters) => createGp({ X, n, d, Y, Yvar, hyperparameters, kernel: map.kernel }));
}
