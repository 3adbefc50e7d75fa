/**
 * Draws of the GP hyperparameters from their posterior p(θ | data) ∝ exp(LML(θ) + log prior(θ)), for a
 * fully Bayesian treatment of the model (averaging an acquisition over the draws instead of trusting the
 * one MAP θ). The chain is a coordinate-wise slice sampler in θ's log space, within the fit's bounds.
 */
import { ModelFittingError } from "../../errors.js";
import type { Rng } from "../../util/rng.js";
import { sliceSample } from "../stats/index.js";
import { type GpDataset, standardizeData, validateDataset } from "./dataset.js";
import {
  clampTheta,
  type GpHyperparameters,
  type GpPriorKind,
  packTheta,
  thetaBounds,
  unpackTheta,
} from "./hyperparameters.js";
import type { CovarianceKernel } from "./kernels/covariance-kernel.js";
import { DEFAULT_KERNEL } from "./kernels/default-kernel.js";
import { MarginalLikelihood } from "./marginal-likelihood.js";

/**
 * Default burn-in of {@link sampleGpHyperparameters}, in sweeps (one update of every coordinate). The
 * chain starts at the MAP, the mode, and only has to move out to the posterior's typical set (about p/2
 * nats below the mode). Measured on Hartmann6 data (d = 6, fixed noise; a chain of 400 sweeps as
 * reference): at n = 15 successive sweeps are nearly independent (lag-3 autocorrelations ≤ 0.13); at
 * n = 40 the lengthscales of weakly relevant inputs wander over a factor of 10-100 and lag-3
 * autocorrelations reach 0.7, so short chains are somewhat under-dispersed there.
 */
export const DEFAULT_HYPERPARAMETER_BURN_IN = 20;

/**
 * Default thinning of {@link sampleGpHyperparameters}, in sweeps per kept draw: about the lag at which
 * the slow coordinates above decorrelate, at 20 + 4k sweeps (≈ 5p log-density evaluations each) for k
 * draws.
 */
export const DEFAULT_HYPERPARAMETER_THIN = 4;

/** Input of {@link sampleGpHyperparameters}. */
export interface SampleGpHyperparametersInput extends GpDataset {
  /** Where the chain starts: the MAP of `fitGp` on the same data (clamped into the bounds). */
  start: GpHyperparameters;
  /** Draws to return, ≥ 1. */
  count: number;
  /** Seeded source of the chain: the same stream gives the same draws. */
  rng: Rng;
  /** The covariance kernel the MAP was fitted with (default Matérn-5/2). */
  kernel?: CovarianceKernel;
  /** The priors the MAP was fitted under (default "lognormal"). */
  prior?: GpPriorKind;
  /** Sweeps discarded before the first draw (default {@link DEFAULT_HYPERPARAMETER_BURN_IN}). */
  burnIn?: number;
  /** Sweeps per kept draw (default {@link DEFAULT_HYPERPARAMETER_THIN}). */
  thin?: number;
}

/**
 * `count` hyperparameter draws from the posterior of the GP that `fitGp` fits to this dataset: the same
 * standardization, noise model (inferred σ² when Yvar is null, fixed otherwise), kernel, priors and
 * bounds, and the input warping of `start` when it has one (its dimensions' concentrations are sampled
 * too), so each draw can go to `createGp` with the same data. The target is the fit's objective
 * (−(LML + log prior)/n, see `MarginalLikelihood`) times −n, evaluated without its gradient; points
 * where the covariance cannot be factored have zero density.
 *
 * @throws ModelFittingError on an invalid dataset, when `start` does not match it (d lengthscales; a
 *   noise variance exactly when Yvar is null) or the posterior density at `start` is zero.
 * @example
 * const map = fitGp({ X, n, d, Y, Yvar: null });
 * const draws = sampleGpHyperparameters({ X, n, d, Y, Yvar: null, start: map.hyperparameters, count: 8, rng: new Rng(1) });
 * const models = draws.map((hyperparameters) => createGp({ X, n, d, Y, Yvar: null, hyperparameters }));
 */
export function sampleGpHyperparameters(input: SampleGpHyperparametersInput): GpHyperparameters[] {
  validateDataset(input, "sampleGpHyperparameters");
  const { X, n, d, Y, Yvar, start, count } = input;
  const inferNoise = Yvar === null;
  if (start.lengthscales.length !== d || (start.noiseVariance === null) !== !inferNoise) {
    throw new ModelFittingError(
      `sampleGpHyperparameters: the start must have ${d} lengthscales and ` +
        `${inferNoise ? "a noise variance (Yvar is null)" : "noiseVariance null (Yvar is given)"}; ` +
        "pass the hyperparameters of fitGp on the same dataset.",
    );
  }
  const { y, noise } = standardizeData(Y, Yvar);
  const kernel = input.kernel ?? DEFAULT_KERNEL;
  // A warped MAP is sampled with its warp: the concentrations of the same dimensions join θ.
  const warped = start.inputWarping?.dimensions ?? [];
  const prior = input.prior ?? "lognormal";
  const likelihood = new MarginalLikelihood(X, n, d, y, noise, kernel, prior, warped);
  const logPosterior = (theta: Float64Array): number => {
    const v = likelihood.evaluate(theta);
    return v.logMarginalLikelihood + v.logPrior;
  };
  const { lower, upper } = thetaBounds(d, inferNoise, warped.length);
  const theta0 = clampTheta(packTheta(start, d, inferNoise, warped), d, inferNoise);
  let draws: Float64Array;
  try {
    draws = sliceSample(logPosterior, theta0, count, {
      rng: input.rng,
      lower,
      upper,
      // One unit of log scale (a factor e) or of standardized mean: about the posterior spread of a
      // lengthscale with tens of points; stepping out and shrinkage correct it either way.
      width: 1,
      burnIn: input.burnIn ?? DEFAULT_HYPERPARAMETER_BURN_IN,
      thin: input.thin ?? DEFAULT_HYPERPARAMETER_THIN,
    }).draws;
  } catch (error) {
    throw new ModelFittingError(
      `sampleGpHyperparameters: cannot sample the posterior of n = ${n}, d = ${d} from the given start ` +
        `(${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const p = theta0.length;
  return Array.from({ length: count }, (_, i) =>
    unpackTheta(draws.subarray(i * p, (i + 1) * p), d, inferNoise, warped),
  );
}
