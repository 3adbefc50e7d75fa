/**
 * The precomputed state of a GP posterior: scaled inputs, the Cholesky factor L of K + D and the weights
 * α = (K + D)⁻¹(y − c), all on the standardized output scale. With an input warping the state holds the
 * warped training inputs, so every posterior routine works in warped coordinates; query points are
 * warped by `GpModel`, the one entry point, before they reach these routines.
 */
import { ModelFittingError, NumericalError } from "../../errors.js";
import { blockedCholeskyInPlace, cholesky, choleskySolve } from "../linalg/index.js";
import { backendFor } from "./compute-backend.js";
import type { OutcomeTransform } from "./dataset.js";
import type { GpHyperparameters } from "./hyperparameters.js";
import { InputWarp } from "./input-warping.js";
import type { CovarianceKernel } from "./kernels/covariance-kernel.js";
import { covarianceMatrixScaled, scaleInputs } from "./kernels/kernel-matrices.js";

/** Everything a posterior needs, standardized scale. Read-only once built. */
export interface GpState {
  /** n×d training inputs (unit cube), warped by {@link GpState.inputWarp} when there is one. */
  readonly X: Float64Array;
  /** The warp of the inputs (from `hyperparameters.inputWarping`), or null. */
  readonly inputWarp: InputWarp | null;
  readonly n: number;
  readonly d: number;
  /** n×d, X ⊘ ℓ (warped X). */
  readonly Z: Float64Array;
  /** 1/ℓ, length d. */
  readonly invLengthscales: Float64Array;
  readonly hyperparameters: GpHyperparameters;
  /** The covariance kernel. */
  readonly kernel: CovarianceKernel;
  /** Standardized training outputs, length n (fantasies included). */
  readonly y: Float64Array;
  /** What was added to s²R's diagonal before factoring (noise + any jitter), length n. */
  readonly diagonal: Float64Array;
  /** Jitter the Cholesky factorization added to every diagonal entry (0 when none was needed). */
  readonly jitter: number;
  /** Observation noise variance of a new point: σ², or the mean fixed noise. */
  readonly newPointNoise: number;
  /** n×n lower Cholesky factor of s²R + diag(diagonal). */
  readonly L: Float64Array;
  /** (K + D)⁻¹(y − c), length n. */
  readonly alpha: Float64Array;
  readonly transform: OutcomeTransform;
}

/**
 * Factors the covariance of a training set under fixed hyperparameters.
 *
 * @param X n×d, unwarped (the hyperparameters' input warping is applied here); @param y length n,
 *   standardized; @param noise length n, standardized noise variances.
 * @throws ModelFittingError when K + D is not positive definite even after jitter.
 */
export function buildGpState(
  X: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
  noise: Float64Array,
  hyperparameters: GpHyperparameters,
  transform: OutcomeTransform,
  newPointNoise: number,
  kernel: CovarianceKernel,
): GpState {
  const lengthscales = hyperparameters.lengthscales;
  const warping = hyperparameters.inputWarping;
  const inputWarp = warping != null && warping.dimensions.length > 0 ? new InputWarp(warping) : null;
  if (inputWarp !== null) X = inputWarp.warpRows(X, d);
  const Z = scaleInputs(X, n, d, lengthscales);
  const K = covarianceMatrixScaled(kernel, Z, n, d, hyperparameters.outputscale);
  for (let a = 0; a < n; a++) K[a * n + a]! += noise[a]!;
  let factor: { L: Float64Array; jitter: number };
  try {
    factor = factorCovariance(K, n);
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    throw new ModelFittingError(
      `GP: the ${n}×${n} covariance matrix is not positive definite under these hyperparameters ` +
        `(duplicate inputs with conflicting outputs, or extreme lengthscales): ${error.message}`,
      { cause: error },
    );
  }
  const diagonal = noise.map((v) => v + factor.jitter);
  const residual = y.map((v) => v - hyperparameters.constantMean);
  return {
    X,
    inputWarp,
    n,
    d,
    Z,
    invLengthscales: Float64Array.from(lengthscales, (l) => 1 / l),
    hyperparameters,
    kernel,
    y,
    diagonal,
    jitter: factor.jitter,
    newPointNoise,
    L: factor.L,
    alpha: choleskySolve(factor.L, n, residual),
    transform,
  };
}

/**
 * `cholesky(K, n)`, with the first (jitter-free) attempt on the compute backend for n observations (in
 * WebAssembly SIMD for large n: the same factor to rounding, about twice as fast); whenever that attempt
 * fails or gives a non-finite factor, `cholesky` itself, so errors and jitter are its own.
 */
function factorCovariance(K: Float64Array, n: number): { L: Float64Array; jitter: number } {
  const backend = backendFor(n, { L: n * n });
  const L = backend.region("L");
  L.set(K);
  if (blockedCholeskyInPlace(backend.dots, n)) {
    let finite = true;
    for (let i = 0; i < n; i++) finite &&= Number.isFinite(L[i * n + i]!);
    if (finite) return { L: Float64Array.from(L), jitter: 0 };
  }
  return cholesky(K, n);
}
