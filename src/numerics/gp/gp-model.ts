/**
 * A single-output exact GP (a stationary ARD kernel, Matérn-5/2 by default; constant mean; fixed or
 * inferred Gaussian noise) with its posterior precomputed: the model behind the Bayesian-optimization generator.
 */
import { ModelFittingError } from "../../errors.js";
import type { JointSurrogate, PosteriorCrossCovariance } from "../acquisition/surrogate.js";
import { logDetFromCholesky } from "../linalg/index.js";
import { GpCrossCovariance, WarpedCrossCovariance } from "./cross-covariance.js";
import {
  computeOutcomeTransform,
  type GpDataset,
  type OutcomeTransform,
  standardize,
  standardizeNoise,
  validateDataset,
} from "./dataset.js";
import { appendFantasies } from "./fantasies.js";
import { buildGpState, type GpState } from "./gp-state.js";
import type { GpHyperparameters } from "./hyperparameters.js";
import { checkInputWarping } from "./input-warping.js";
import type { CovarianceKernel } from "./kernels/covariance-kernel.js";
import { DEFAULT_KERNEL } from "./kernels/default-kernel.js";
import {
  type JointPosterior,
  jointPosterior,
  type PosteriorMarginals,
  type PosteriorWithGradient,
  type PredictOptions,
  predictPosterior,
} from "./posterior.js";
import { PosteriorGradientWorkspace } from "./posterior-workspace.js";

/** How the hyperparameters of a fitted model were found. */
export interface GpFitDiagnostics {
  /** Optimizer runs started (warm start and prior-based starts). */
  starts: number;
  /** Runs that failed (non-finite objective at the start, or an exception). */
  failedStarts: number;
  /** L-BFGS-B iterations of each run, in start order (warm start first when given); −1 for a failure. */
  iterations: number[];
  /** Objective evaluations over all runs. */
  evaluations: number;
  /** Index of the winning run in `iterations`. */
  bestStart: number;
  /** −(LML + log prior)/n at the optimum (standardized outputs). */
  objective: number;
  /** Whether the winning run met a convergence tolerance. */
  converged: boolean;
  /** Observations the starts were run on: n, or the size of the random subset of a large dataset. */
  fittedOn: number;
  /** The full-data refinement of the subset optimum (objective and convergence are then its own); else null. */
  refinement: { iterations: number; evaluations: number } | null;
}

/**
 * A GP posterior. All predictions are on the original output scale; the hyperparameters and
 * {@link GpModel.logMarginalLikelihood} are on the standardized scale the model works in.
 * With an input warping (`hyperparameters.inputWarping`) every method takes unwarped unit-cube points
 * and warps them here, before the posterior routines (which see warped training inputs, see `GpState`);
 * gradients in x are chained through the warp.
 * Build one with `fitGp` (fitted hyperparameters) or {@link createGp} (given hyperparameters).
 * It is the `JointSurrogate` the acquisition functions (LogEI, qLogNEI) work on.
 */
export class GpModel implements JointSurrogate {
  private readonly workspace: PosteriorGradientWorkspace;
  private readonly valueResult = { mean: 0, variance: 0 };
  /** A query point warped, and the warp's slope per coordinate (warped models only). */
  private readonly warpedPoint: Float64Array;
  private readonly warpSlopes: Float64Array;

  /**
   * @param state precomputed posterior state (see {@link createGp}).
   * @param fitDiagnostics how the hyperparameters were fitted; null when they were given.
   */
  constructor(
    private readonly state: GpState,
    readonly fitDiagnostics: GpFitDiagnostics | null = null,
  ) {
    this.workspace = new PosteriorGradientWorkspace(state);
    this.warpedPoint = new Float64Array(state.inputWarp === null ? 0 : state.d);
    this.warpSlopes = new Float64Array(this.warpedPoint.length);
  }

  /** The rows of X (m×d) warped: a fresh array, or X itself without warping. */
  private warpRows(X: Float64Array): Float64Array {
    return this.state.inputWarp?.warpRows(X, this.state.d) ?? X;
  }

  /** x warped into a model-owned buffer (x itself without warping, or when its length is wrong). */
  private warpPoint(x: Float64Array): Float64Array {
    const warp = this.state.inputWarp;
    if (warp === null || x.length !== this.state.d) return x;
    warp.warpPoint(x, this.warpedPoint, this.warpSlopes);
    return this.warpedPoint;
  }

  /** Number of training points (fantasies included). */
  get n(): number {
    return this.state.n;
  }

  /** Input dimension. */
  get d(): number {
    return this.state.d;
  }

  /** The hyperparameters (standardized scale), a fresh plain object: JSON-serializable, for warm starts. */
  get hyperparameters(): GpHyperparameters {
    return copyHyperparameters(this.state.hyperparameters);
  }

  /** The covariance kernel. */
  get kernel(): CovarianceKernel {
    return this.state.kernel;
  }

  /** The output standardization: y_standardized = (y − mean)/std. */
  get outcomeTransform(): OutcomeTransform {
    return { ...this.state.transform };
  }

  /** Jitter the Cholesky factorization had to add to the diagonal (standardized units); usually 0. */
  get jitter(): number {
    return this.state.jitter;
  }

  /**
   * log p(y | X, θ) of the standardized outputs (fantasies included):
   * −½(y − c)ᵀα − ½ log det(K + D) − (n/2) log 2π. The original-scale value is this − n·log(std).
   */
  logMarginalLikelihood(): number {
    const { n, y, alpha, L } = this.state;
    const c = this.state.hyperparameters.constantMean;
    let quad = 0;
    for (let a = 0; a < n; a++) quad += (y[a]! - c) * alpha[a]!;
    return -0.5 * quad - 0.5 * logDetFromCholesky(L, n) - 0.5 * n * Math.log(2 * Math.PI);
  }

  /**
   * Posterior marginals of the latent f (plus the observation noise of a new point with
   * `includeNoise`: σ² when inferred, the mean fixed noise otherwise).
   *
   * @param Xstar m×d, row-major, unit cube.
   * @returns mean and variance, each length m, original scale.
   * @throws NumericalError on a shape mismatch.
   */
  predict(Xstar: Float64Array, m: number, options?: PredictOptions): PosteriorMarginals {
    return predictPosterior(this.state, this.warpRows(Xstar), m, options);
  }

  /**
   * Posterior mean and variance of f at one point, with their gradients in x; O(nd + n²) and
   * allocation-free, for acquisition optimizers.
   *
   * @param x length d.
   * @param out where to write the result (dMean, dVariance of length d); by default one result object
   *   owned by the model, overwritten by the next call — copy what you keep.
   * @throws NumericalError when x or out has the wrong length.
   */
  predictWithGradient(x: Float64Array, out?: PosteriorWithGradient): PosteriorWithGradient {
    const u = this.warpPoint(x);
    const result = this.workspace.evaluate(u, out);
    if (u !== x) {
      for (let i = 0; i < u.length; i++) {
        result.dMean[i]! *= this.warpSlopes[i]!;
        result.dVariance[i]! *= this.warpSlopes[i]!;
      }
    }
    return result;
  }

  /**
   * Posterior mean and variance of f at one point, without gradients: half the work of
   * {@link GpModel.predictWithGradient} (one triangular solve), allocation-free.
   *
   * @param x length d.
   * @returns one result object owned by the model, overwritten by the next call.
   * @throws NumericalError when x has the wrong length.
   */
  predictValue(x: Float64Array): { mean: number; variance: number } {
    this.workspace.evaluateValue(this.warpPoint(x), this.valueResult);
    return this.valueResult;
  }

  /**
   * {@link GpModel.predictValue} at the m rows of X (m×d), bit-identical to m separate calls but with
   * the triangular solves blocked over points (the raw-sample scoring of an acquisition optimizer).
   *
   * @returns fresh mean and variance arrays, length m, original scale.
   * @throws NumericalError when X is not m×d.
   */
  predictValues(X: Float64Array, m: number): PosteriorMarginals {
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    this.workspace.evaluateValues(this.warpRows(X), m, mean, variance);
    return { mean, variance };
  }

  /**
   * Posterior means at the m rows of X (m×d) and upper bounds on their variances, O(m·n·d) (see
   * `PosteriorGradientWorkspace.evaluateMeansAndVarianceBounds`), for cheap filters.
   *
   * @returns fresh arrays of length m, original scale.
   */
  predictMeansAndVarianceBounds(
    X: Float64Array,
    m: number,
  ): { mean: Float64Array; varianceBound: Float64Array } {
    const mean = new Float64Array(m);
    const varianceBound = new Float64Array(m);
    this.workspace.evaluateMeansAndVarianceBounds(this.warpRows(X), m, mean, varianceBound);
    return { mean, varianceBound };
  }

  /**
   * Joint posterior of f at m points, for Monte-Carlo batch acquisitions.
   *
   * @param Xstar m×d, row-major.
   * @returns mean (m) and covariance (m×m, row-major, symmetric), original scale.
   * @throws NumericalError on a shape mismatch.
   */
  jointPosterior(Xstar: Float64Array, m: number, options?: PredictOptions): JointPosterior {
    return jointPosterior(this.state, this.warpRows(Xstar), m, options);
  }

  /**
   * Posterior cross-covariance between f at the nb rows of B and f at a moving point x, with its
   * x-gradient, for qLogNEI: caches (K + D)⁻¹k(X, B) here (O(n²·nb)), so each `evaluate` costs
   * O(n·nb·d) and allocates nothing. Agrees with the off-diagonal block of `jointPosterior([B; x])`.
   *
   * @param B nb×d, row-major, not modified.
   * @throws NumericalError when B does not hold nb×d numbers (evaluate: on a length mismatch).
   */
  prepareCrossCovariance(B: Float64Array, nb: number): PosteriorCrossCovariance {
    const warp = this.state.inputWarp;
    if (warp === null) return new GpCrossCovariance(this.state, B, nb);
    return new WarpedCrossCovariance(this.state, warp, B, nb);
  }

  /**
   * The model conditioned on pending points with fantasized outcomes (same hyperparameters and
   * standardization), in O(n²k): the variance shrinks near the pending points and is unchanged far away.
   *
   * @param Xpending k×d, row-major.
   * @param Yfantasy length k, original scale; default the posterior mean (kriging believer).
   * @throws NumericalError on a shape mismatch; ModelFittingError if the extended covariance cannot be
   *   factored.
   * @example
   * const pendingAware = model.withFantasies(Xpending, k);
   */
  withFantasies(Xpending: Float64Array, k: number, Yfantasy?: Float64Array): GpModel {
    const pending = this.warpRows(Xpending);
    return new GpModel(appendFantasies(this.state, pending, k, Yfantasy), this.fitDiagnostics);
  }
}

/** Input of {@link createGp}: a dataset, hyperparameters, and optionally a given standardization. */
export interface CreateGpInput extends GpDataset {
  hyperparameters: GpHyperparameters;
  /** Output standardization; computed from Y (mean, sample standard deviation) when omitted. */
  outcomeTransform?: OutcomeTransform;
  /** The covariance kernel; default Matérn-5/2. */
  kernel?: CovarianceKernel;
}

/**
 * A GP posterior under given hyperparameters, without fitting (O(n³) for the factorization).
 *
 * Noise: with `Yvar` (original scale) each observation has the fixed noise Yvar/std², floored at 1e-6
 * (standardized), and `hyperparameters.noiseVariance` must be null; with `Yvar` null the noise is the
 * homoskedastic `noiseVariance`, which must then be a positive number.
 *
 * @throws ModelFittingError on invalid data (see `fitGp`), inconsistent hyperparameters, or a covariance
 *   that stays singular after jitter.
 */
export function createGp(input: CreateGpInput): GpModel {
  return new GpModel(createGpState(input));
}

/** The posterior state behind {@link createGp}; internal to gp/ (fitGp attaches its diagnostics). */
export function createGpState(input: CreateGpInput): GpState {
  validateDataset(input, "createGp");
  const { X, n, d, Y, Yvar, hyperparameters: h } = input;
  checkHyperparameters(h, d, Yvar === null);
  const transform = input.outcomeTransform ?? computeOutcomeTransform(Y);
  if (!(transform.std > 0) || !Number.isFinite(transform.mean)) {
    throw new ModelFittingError(`createGp: invalid outcomeTransform ${JSON.stringify(transform)}`);
  }
  let noise: Float64Array;
  let newPointNoise: number;
  if (Yvar === null) {
    noise = new Float64Array(n).fill(h.noiseVariance!);
    newPointNoise = h.noiseVariance!;
  } else {
    noise = standardizeNoise(Yvar, transform);
    newPointNoise = noise.reduce((s, v) => s + v, 0) / n;
  }
  const hyperparameters = copyHyperparameters(h);
  return buildGpState(
    Float64Array.from(X),
    n,
    d,
    standardize(Y, transform),
    noise,
    hyperparameters,
    transform,
    newPointNoise,
    input.kernel ?? DEFAULT_KERNEL,
  );
}

/** A deep copy (plain arrays), so a model's hyperparameters cannot be changed from outside. */
function copyHyperparameters(h: GpHyperparameters): GpHyperparameters {
  const copy = { ...h, lengthscales: [...h.lengthscales] };
  const w = h.inputWarping;
  if (w != null) copy.inputWarping = { dimensions: [...w.dimensions], a: [...w.a], b: [...w.b] };
  return copy;
}

function checkHyperparameters(h: GpHyperparameters, d: number, inferNoise: boolean): void {
  if (h.inputWarping != null) checkInputWarping(h.inputWarping, d, "createGp");
  const positive = (v: number | null) => v !== null && v > 0 && Number.isFinite(v);
  const ok =
    h.lengthscales.length === d &&
    h.lengthscales.every(positive) &&
    positive(h.outputscale) &&
    Number.isFinite(h.constantMean) &&
    (inferNoise ? positive(h.noiseVariance) : h.noiseVariance === null);
  if (!ok) {
    throw new ModelFittingError(
      `createGp: hyperparameters must have ${d} positive lengthscales, a positive outputscale, a finite ` +
        `constantMean, and noiseVariance ${inferNoise ? "> 0 (Yvar is null)" : "null (Yvar is given)"}; ` +
        `got ${JSON.stringify(h)}`,
    );
  }
}
