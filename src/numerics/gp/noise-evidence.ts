/**
 * Whether a dataset shows observation noise at all: the log marginal likelihood a GP with inferred noise
 * gains over the same GP forced to interpolate (noise at its floor). A likelihood-ratio comparison of the
 * two nested models: noise that is really there (even 1% of the outputs' range) makes the gain tens of
 * nats, while a deterministic smooth function is fitted as well or better without noise.
 */
import { ModelFittingError, NumericalError } from "../../errors.js";
import { Rng } from "../../util/rng.js";
import { coldFitRestarts, fitGp } from "./fit.js";
import type { GpModel } from "./gp-model.js";

/** The data a noise-inferring model was fitted to (unit-cube inputs, outputs on the model's scale). */
export interface NoiseEvidenceData {
  X: Float64Array;
  n: number;
  d: number;
  Y: Float64Array;
}

/**
 * The noise-free fit starts from the noisy model's lengthscales and adds the random restarts of a cold
 * fit (`coldFitRestarts`): an interpolating GP often needs shorter lengthscales than a smoothing one,
 * in another basin of the likelihood, and a poor noise-free optimum would make noise look evident when
 * it is not.
 */
/**
 * log p(y | noisy MAP) − log p(y | noise-free MAP), in nats on the model's standardized outputs: how much
 * better the data are explained with the inferred noise than without it. Near 0 or negative when no noise
 * can be detected; huge for identical inputs with different outputs (which only noise explains), and
 * +Infinity when no noise-free GP can be fitted at all.
 *
 * @param data the dataset `inferred` was fitted to (same outputs, so both fits standardize them alike).
 * @param inferred a GP fitted with inferred noise (`Yvar` null).
 * @throws ModelFittingError when `inferred` was fitted with known noise.
 */
export function noiseLikelihoodGain(data: NoiseEvidenceData, inferred: GpModel): number {
  const h = inferred.hyperparameters;
  if (h.noiseVariance === null) {
    throw new ModelFittingError(
      "noiseLikelihoodGain: the model was fitted with known noise (Yvar given); pass a model whose noise " +
        "was inferred",
    );
  }
  try {
    const exact = fitGp({
      ...data,
      Yvar: new Float64Array(data.n),
      options: {
        warmStart: { ...h, noiseVariance: null },
        restarts: coldFitRestarts(data.n),
        rng: new Rng(0),
      },
    });
    return inferred.logMarginalLikelihood() - exact.logMarginalLikelihood();
  } catch (error) {
    if (error instanceof ModelFittingError || error instanceof NumericalError)
      return Number.POSITIVE_INFINITY;
    throw error;
  }
}
