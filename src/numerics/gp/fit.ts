/**
 * Maximum-a-posteriori fit of the GP hyperparameters: maximize log marginal likelihood + log prior over
 * θ = [log ℓ, log s², c, log σ²] with L-BFGS-B from several starts.
 */
import { ModelFittingError } from "../../errors.js";
import { Rng } from "../../util/rng.js";
import { type MinimizeResult, minimizeBounded } from "../optim/index.js";
import {
  computeOutcomeTransform,
  type GpDataset,
  standardize,
  standardizeNoise,
  validateDataset,
} from "./dataset.js";
import { createGpState, type GpFitDiagnostics, GpModel } from "./gp-model.js";
import {
  clampTheta,
  type GpHyperparameters,
  packTheta,
  priorModeTheta,
  samplePriorTheta,
  thetaBounds,
  unpackTheta,
} from "./hyperparameters.js";
import { MarginalLikelihood } from "./marginal-likelihood.js";

/** Options of {@link fitGp}. */
export interface FitGpOptions {
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
}

/** Input of {@link fitGp}. */
export interface FitGpInput extends GpDataset {
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
 * Outputs are standardized inside (mean 0, sample sd 1). Noise: `Yvar` (original scale, per observation)
 * is used as fixed noise (floored at 1e-6 standardized, so noiseless data stay interpolated); with `Yvar`
 * null one homoskedastic σ² ∈ [1e-6, 10] is fitted with a LogNormal(−4, 1) prior. Lengthscales have the
 * LogNormal(√2 + log(d)/2, √3) prior (Hvarfner et al. 2024); outputscale and constant mean have none.
 * Starts: the warm start (or the prior mode) and `restarts` draws from the priors; the best MAP wins.
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
  const options = input.options ?? {};
  const inferNoise = Yvar === null;
  const transform = computeOutcomeTransform(Y);
  const noise = Yvar === null ? null : standardizeNoise(Yvar, transform);
  const likelihood = new MarginalLikelihood(X, n, d, standardize(Y, transform), noise);
  const starts = startPoints(d, inferNoise, options);
  const runs = starts.map((theta0) => localRun(likelihood, theta0, inferNoise, options.maxIterations ?? 200));
  const ranked = runs
    .map((r, i) => ({ r, i }))
    .filter((e): e is Ranked => e.r !== null)
    .sort((a, b) => a.r.f - b.r.f);
  let lastError: unknown;
  for (const best of ranked) {
    try {
      const hyperparameters = unpackTheta(best.r.x, d, inferNoise);
      const state = createGpState({ X, n, d, Y, Yvar, hyperparameters, outcomeTransform: transform });
      return new GpModel(state, diagnostics(runs, best));
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

interface Ranked {
  r: MinimizeResult;
  i: number;
}

/** One bounded L-BFGS-B run; null when it fails (non-finite objective at the optimum, or a throw). */
function localRun(
  likelihood: MarginalLikelihood,
  theta0: Float64Array,
  inferNoise: boolean,
  maxIterations: number,
): MinimizeResult | null {
  const { lower, upper } = thetaBounds(likelihood.d, inferNoise);
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

function diagnostics(runs: (MinimizeResult | null)[], best: Ranked): GpFitDiagnostics {
  return {
    starts: runs.length,
    failedStarts: runs.filter((r) => r === null).length,
    iterations: runs.map((r) => (r === null ? -1 : r.iterations)),
    evaluations: runs.reduce((s, r) => s + (r?.evaluations ?? 0), 0),
    bestStart: best.i,
    objective: best.r.f,
    converged: best.r.converged,
  };
}

/** The warm start (or the prior mode) followed by `restarts` prior draws. */
function startPoints(d: number, inferNoise: boolean, options: FitGpOptions): Float64Array[] {
  const rng = options.rng ?? new Rng(0);
  const restarts = options.restarts ?? 2;
  if (!Number.isInteger(restarts) || restarts < 0) {
    throw new ModelFittingError(`fitGp: restarts must be a non-negative integer, got ${restarts}`);
  }
  const warm = warmStartTheta(options.warmStart, d, inferNoise);
  const starts = [warm ?? priorModeTheta(d, inferNoise)];
  for (let i = 0; i < restarts; i++) starts.push(samplePriorTheta(d, inferNoise, rng));
  return starts;
}

function warmStartTheta(
  h: GpHyperparameters | null | undefined,
  d: number,
  inferNoise: boolean,
): Float64Array | null {
  if (!h || h.lengthscales.length !== d) return null;
  const theta = packTheta(h, d, inferNoise);
  if (inferNoise && h.noiseVariance === null) theta[d + 2] = priorModeTheta(d, true)[d + 2]!;
  return theta.every(Number.isFinite) ? clampTheta(theta, d, inferNoise) : null;
}
