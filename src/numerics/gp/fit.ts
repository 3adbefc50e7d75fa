/**
 * Maximum-a-posteriori fit of the GP hyperparameters: maximize log marginal likelihood + log prior over
 * θ = [log ℓ, log s², c, log σ², log a, log b] (the last two only for warped inputs) with L-BFGS-B from several starts. Large datasets are searched on a
 * random subset and the winner refined on all the data (see {@link FitGpOptions.subsetSize}).
 */
import { ModelFittingError } from "../../errors.js";
import { Rng } from "../../util/rng.js";
import { type MinimizeResult, minimizeBounded } from "../optim/index.js";
import { type GpDataset, standardizeData, validateDataset } from "./dataset.js";
import { createGpState, type GpFitDiagnostics, GpModel } from "./gp-model.js";
import {
  clampTheta,
  type GpHyperparameters,
  type GpPriorKind,
  packTheta,
  priorModeTheta,
  samplePriorTheta,
  thetaBounds,
  thetaLength,
  unpackTheta,
} from "./hyperparameters.js";
import { checkWarpedDimensions } from "./input-warping.js";
import type { CovarianceKernel } from "./kernels/covariance-kernel.js";
import { DEFAULT_KERNEL } from "./kernels/default-kernel.js";
import { MarginalLikelihood } from "./marginal-likelihood.js";
import { randomSubset, takeRows } from "./subset.js";

/** Options of {@link fitGp}. */
export interface FitGpOptions {
  /** The hyperparameter priors (default "lognormal"; see `GpPriorKind`). */
  prior?: GpPriorKind;
  /** Random prior-based starts besides the first (warm start, or the prior mode). Default 2. */
  restarts?: number;
  /**
   * Hyperparameters of a previous fit, used as the first start when they match this dataset (same d;
   * a noise variance present exactly when Yvar is null, otherwise it is taken from the prior mode).
   */
  warmStart?: GpHyperparameters | null;
  /** Source of the random starts; default `new Rng(0)`, so fits are reproducible. */
  rng?: Rng;
  /** L-BFGS-B iterations per start. Default 200. */
  maxIterations?: number;
  /**
   * Above this many observations the starts run on a random subset of this size (drawn from `rng`), and
   * the best is refined on subsets of doubling size below n (also drawn from `rng`, after the starts),
   * then on all the data for {@link FitGpOptions.refineIterations} iterations. Default
   * {@link DEFAULT_SUBSET_SIZE}; `Infinity` always fits on all the data.
   */
  subsetSize?: number;
  /**
   * L-BFGS-B iterations on all the data after a subset search; 0 skips it (the posterior still
   * conditions on all the data). Default {@link DEFAULT_REFINE_ITERATIONS} up to
   * {@link LARGE_FIT_OBSERVATIONS} observations, 1 above.
   */
  refineIterations?: number;
  /**
   * Input dimensions to warp, each through a Kumaraswamy CDF whose two concentrations are fitted with
   * the other hyperparameters (see input-warping.ts); increasing, in [0, d). Default none. Warp only
   * continuous coordinates in [0, 1]: a one-hot column has nothing between its two values to bend.
   */
  warpedDimensions?: readonly number[];
}

/**
 * Default subset size of large fits. Each objective evaluation costs a Cholesky factorization and an
 * inverse, O(n³), and a cold search from the prior mode makes about 20-150 of them; at 128 points each
 * costs about a millisecond, while the marginal likelihood of a hundred-odd points already puts the
 * hyperparameters near their full-data optimum. Fits of up to 128 observations (every
 * Bayesian-optimization loop of ordinary length) are unchanged by it.
 */
export const DEFAULT_SUBSET_SIZE = 128;

/**
 * Default refinement on all the data after a subset search, in L-BFGS-B iterations, up to
 * {@link LARGE_FIT_OBSERVATIONS} observations (1 iteration above). Between the search and this refinement
 * the optimum is carried up a ladder of random subsets of doubling size (256, 512, … while below n),
 * {@link INTERMEDIATE_ITERATIONS} iterations each, so that few full-data evaluations are left. Measured
 * on Hartmann6 (uniform random points, 2 cores): at n = 400, 0.3 s and within 0.2 nat of the former
 * 256-point search + 10 full iterations (0.6-0.8 s); at n = 1,000, where one full-data evaluation costs
 * 0.3-0.5 s, the ladder + 4 full iterations takes 2.7-3.1 s and the ladder + 1 iteration 1.7-1.9 s, 2-3
 * nats (of about 1,000 nats of data fit) below it, itself 2-20 nats above the former default (5-10 s).
 * The ladder alone would be 20 nats below.
 */
export const DEFAULT_REFINE_ITERATIONS = 4;

/** Above this many observations the full-data refinement makes 1 iteration (see {@link DEFAULT_REFINE_ITERATIONS}). */
export const LARGE_FIT_OBSERVATIONS = 640;

function defaultRefineIterations(n: number): number {
  return n > LARGE_FIT_OBSERVATIONS ? 1 : DEFAULT_REFINE_ITERATIONS;
}

/** L-BFGS-B iterations on each intermediate subset of a large fit (see {@link DEFAULT_REFINE_ITERATIONS}). */
const INTERMEDIATE_ITERATIONS = 10;

/**
 * Above this many observations a cold fit (no previous hyperparameters) starts only from the prior
 * mode: with that much data the marginal likelihood outweighs the prior and has one dominant optimum,
 * so random restarts triple the O(n³) work for nothing (BoTorch fits from a single start at any n).
 * Below it, where several optima of the likelihood are common, two prior draws are added.
 */
const COLD_RESTARTS_MAX_OBSERVATIONS = 64;

/** Random restarts of a cold GP fit on n observations (see {@link COLD_RESTARTS_MAX_OBSERVATIONS}). */
export function coldFitRestarts(n: number): number {
  return n > COLD_RESTARTS_MAX_OBSERVATIONS ? 0 : 2;
}

/** Input of {@link fitGp}. */
export interface FitGpInput extends GpDataset {
  /** The covariance kernel; default Matérn-5/2 (`matern52`), as BoTorch's. */
  kernel?: CovarianceKernel;
  options?: FitGpOptions;
}

/**
 * Stopping rules of each local run, on the objective −(LML + log prior)/n: scipy's L-BFGS-B defaults
 * (pgtol 1e-5, factr 1e7 → ftol = 1e7·ε), which BoTorch's fit uses.
 */
const GRADIENT_TOLERANCE = 1e-5;
const RELATIVE_FUNCTION_TOLERANCE = 1e7 * Number.EPSILON;

/**
 * Fits a GP to a dataset and returns its posterior.
 *
 * The covariance is `input.kernel` (default Matérn-5/2) with one lengthscale per input dimension and an
 * outputscale, plus a constant mean.
 * Outputs are standardized inside (mean 0, sample sd 1). Noise: `Yvar` (original scale, per observation)
 * is used as fixed noise (floored at 1e-6 standardized, so noiseless data stay interpolated); with `Yvar`
 * null one homoskedastic σ² ∈ [1e-6, 10] is fitted with a LogNormal(−4, 1) prior. Lengthscales have the
 * LogNormal(√2 + log(d)/2, √3) prior (Hvarfner et al. 2024); the outputscale
 * and the constant mean have none (see docs/bayesian-optimization.md for the priors compared).
 * With `warpedDimensions` those inputs go through a Kumaraswamy CDF whose concentrations a, b ∈ [0.1, 10]
 * (LogNormal(0, √0.75) prior each, starting at the identity a = b = 1) are fitted jointly (see
 * input-warping.ts); the model then warps every query point itself.
 * Starts: the warm start (or the prior mode) and `restarts` draws from the priors; the best MAP wins.
 * With n above `subsetSize` (default 128) the starts run on a random subset (outputs standardized as the
 * whole dataset), the winner is refined on random subsets of doubling size below n (10 iterations each),
 * then on all the data for `refineIterations` (default 4; 1 above 640 observations), and the
 * posterior always conditions on all the data.
 *
 * @param input X (n×d, unit cube), n, d, Y (n), Yvar (n or null), options.
 * @throws ModelFittingError on invalid data (n = 0, NaN or infinite values, negative Yvar, shape
 *   mismatch), or when every start fails.
 * @example
 * const model = fitGp({ X, n, d, Y, Yvar: null, options: { warmStart: previous?.hyperparameters } });
 * const { mean, variance } = model.predict(Xstar, m);
 */
export function fitGp(input: FitGpInput): GpModel {
  validateDataset(input, "fitGp");
  const { X, n, d, Y, Yvar } = input;
  const kernel = input.kernel ?? DEFAULT_KERNEL;
  const options = input.options ?? {};
  const inferNoise = Yvar === null;
  const { transform, y, noise } = standardizeData(Y, Yvar);
  const rng = options.rng ?? new Rng(0);
  const subsetSize = options.subsetSize ?? DEFAULT_SUBSET_SIZE;
  // The subset is drawn before the random starts, so fits at or below the threshold see the same stream.
  const subset = n > subsetSize ? randomSubset(n, subsetSize, rng) : null;
  const prior = options.prior ?? "lognormal";
  const warped = options.warpedDimensions ?? [];
  checkWarpedDimensions(warped, d, "fitGp");
  const model = { kernel, prior, warped };
  const search = searchLikelihood({ X, n, d }, y, noise, subset, model);
  const starts = startPoints(d, inferNoise, options, rng);
  const runs = starts.map((theta0) => localRun(search, theta0, inferNoise, options.maxIterations ?? 200));
  const ranked = runs
    .map((r, i) => ({ r, i }))
    .filter((e): e is Ranked => e.r !== null)
    .sort((a, b) => a.r.f - b.r.f);
  if (subset !== null && ranked.length > 0) {
    let best = ranked[0]!.r;
    for (const size of intermediateSizes(subset.length, n)) {
      const level = searchLikelihood({ X, n, d }, y, noise, randomSubset(n, size, rng), model);
      const run = localRun(level, best.x, inferNoise, INTERMEDIATE_ITERATIONS);
      if (run !== null) best = run;
    }
    const iterations = options.refineIterations ?? defaultRefineIterations(n);
    const refined =
      iterations > 0
        ? localRun(searchLikelihood({ X, n, d }, y, noise, null, model), best.x, inferNoise, iterations)
        : null;
    // A failed (or skipped) full refinement keeps the best subset optimum, still ranked first.
    best = refined ?? best;
    if (best !== ranked[0]!.r) ranked[0] = { ...ranked[0]!, r: best, refinement: best };
  }
  let lastError: unknown;
  for (const best of ranked) {
    try {
      const hyperparameters = unpackTheta(best.r.x, d, inferNoise, warped);
      const state = createGpState({ X, n, d, Y, Yvar, hyperparameters, outcomeTransform: transform, kernel });
      return new GpModel(state, diagnostics(runs, best, subset?.length ?? n));
    } catch (error) {
      lastError = error;
    }
  }
  throw new ModelFittingError(
    `fitGp: all ${starts.length} hyperparameter optimization starts failed on n = ${n}, d = ${d} ` +
      "(the covariance matrix could not be factored); check for duplicate inputs with very different " +
      "outputs or extreme output values",
    { cause: lastError },
  );
}

/** What the likelihood of a fit is made of besides the data. */
interface LikelihoodModel {
  kernel: CovarianceKernel;
  prior: GpPriorKind;
  warped: readonly number[];
}

/** The objective the starts run on: all the data, or the rows of the subset (same standardization). */
function searchLikelihood(
  inputs: { X: Float64Array; n: number; d: number },
  y: Float64Array,
  noise: Float64Array | null,
  subset: Int32Array | null,
  { kernel, prior, warped }: LikelihoodModel,
): MarginalLikelihood {
  const { X, n, d } = inputs;
  if (subset === null) return new MarginalLikelihood(X, n, d, y, noise, kernel, prior, warped);
  const subsetNoise = noise === null ? null : takeRows(noise, 1, subset);
  return new MarginalLikelihood(
    takeRows(X, d, subset),
    subset.length,
    d,
    takeRows(y, 1, subset),
    subsetNoise,
    kernel,
    prior,
    warped,
  );
}

interface Ranked {
  r: MinimizeResult;
  i: number;
  /** The full-data run after a subset search, when there was one. */
  refinement?: MinimizeResult;
}

/** One bounded L-BFGS-B run; null when it fails (non-finite objective at the optimum, or a throw). */
function localRun(
  likelihood: MarginalLikelihood,
  theta0: Float64Array,
  inferNoise: boolean,
  maxIterations: number,
): MinimizeResult | null {
  const warped = (likelihood.p - thetaLength(likelihood.d, inferNoise)) / 2;
  const { lower, upper } = thetaBounds(likelihood.d, inferNoise, warped);
  try {
    const r = minimizeBounded(likelihood.objective, theta0, {
      lower,
      upper,
      maxIterations,
      gradientTolerance: GRADIENT_TOLERANCE,
      relativeFunctionTolerance: RELATIVE_FUNCTION_TOLERANCE,
    });
    return Number.isFinite(r.f) ? r : null;
  } catch {
    return null;
  }
}

function diagnostics(runs: (MinimizeResult | null)[], best: Ranked, fittedOn: number): GpFitDiagnostics {
  return {
    starts: runs.length,
    failedStarts: runs.filter((r) => r === null).length,
    iterations: runs.map((r) => (r === null ? -1 : r.iterations)),
    evaluations: runs.reduce((s, r) => s + (r?.evaluations ?? 0), 0),
    bestStart: best.i,
    objective: best.r.f,
    converged: best.r.converged,
    fittedOn,
    refinement:
      best.refinement === undefined
        ? null
        : { iterations: best.refinement.iterations, evaluations: best.refinement.evaluations },
  };
}

/** The warm start (or the prior mode) followed by `restarts` prior draws. */
function startPoints(d: number, inferNoise: boolean, options: FitGpOptions, rng: Rng): Float64Array[] {
  const restarts = options.restarts ?? 2;
  if (!Number.isInteger(restarts) || restarts < 0) {
    throw new ModelFittingError(`fitGp: restarts must be a non-negative integer, got ${restarts}`);
  }
  const warped = options.warpedDimensions ?? [];
  const warm = warmStartTheta(options.warmStart, d, inferNoise, warped);
  const prior = options.prior ?? "lognormal";
  const starts = [warm ?? priorModeTheta(d, inferNoise, prior, warped.length)];
  for (let i = 0; i < restarts; i++) {
    starts.push(samplePriorTheta(d, inferNoise, rng, prior, warped.length));
  }
  return starts;
}

/**
 * θ of a warm start, or null when it does not fit this dataset. Its warp concentrations are used when
 * it warped the same dimensions; otherwise (e.g. a previous fit without warping) they start at the
 * identity.
 */
function warmStartTheta(
  h: GpHyperparameters | null | undefined,
  d: number,
  inferNoise: boolean,
  warped: readonly number[],
): Float64Array | null {
  if (!h || h.lengthscales.length !== d) return null;
  const theta = packTheta(h, d, inferNoise, warped);
  if (inferNoise && h.noiseVariance === null) theta[d + 2] = priorModeTheta(d, true)[d + 2]!;
  return theta.every(Number.isFinite) ? clampTheta(theta, d, inferNoise) : null;
}

/**
 * Sizes of the intermediate refinements between a search on `searched` points and the full data: the
 * search size doubled while it stays below n (n = 1,000 after a 128-point search: 256 and 512).
 */
function intermediateSizes(searched: number, n: number): number[] {
  const sizes: number[] = [];
  for (let m = 2 * searched; m < n; m *= 2) sizes.push(m);
  return sizes;
}
