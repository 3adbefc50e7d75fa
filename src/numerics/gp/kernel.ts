/**
 * The default kernel's matrices and derivatives on unscaled inputs, k(x, x') = s²·φ(r) with the
 * Matérn-5/2 φ and r² = Σᵢ ((xᵢ − x'ᵢ)/ℓᵢ)²: convenience forms of the kernel-generic routines of
 * kernels/kernel-matrices.ts, for tests, diagnostics and callers that want the GP's default kernel.
 */
import {
  covarianceMatrixScaled,
  crossCovarianceScaled,
  crossWithRadialScaled,
  lengthscaleDerivativeScaled,
  lengthscaleTracesScaled,
  scaleInputs,
} from "./kernels/kernel-matrices.js";
import { matern52 } from "./kernels/matern52.js";

export { scaleInputs };

/**
 * Covariance matrix K = k(X, X) (without noise). Note ∂K/∂log s² = K.
 *
 * @param X n×d inputs, row-major.
 * @returns K, n×n, row-major.
 * @example
 * const K = matern52Matrix(X, n, d, [0.3, 0.5], 1.2);
 */
export function matern52Matrix(
  X: Float64Array,
  n: number,
  d: number,
  lengthscales: ArrayLike<number>,
  outputscale: number,
): Float64Array {
  return covarianceMatrixScaled(matern52, scaleInputs(X, n, d, lengthscales), n, d, outputscale);
}

/**
 * Cross-covariance K(X*, X) = k(X*, X).
 *
 * @param Xstar m×d; @param X n×d.
 * @returns m×n, row-major.
 */
export function matern52Cross(
  Xstar: Float64Array,
  m: number,
  X: Float64Array,
  n: number,
  d: number,
  lengthscales: ArrayLike<number>,
  outputscale: number,
): Float64Array {
  const Zs = scaleInputs(Xstar, m, d, lengthscales);
  return crossCovarianceScaled(matern52, Zs, m, scaleInputs(X, n, d, lengthscales), n, d, outputscale);
}

/**
 * ∂K/∂log ℓᵢ = s²·(5/3)(1 + √5r)e^{−√5r}·((xᵢ − x'ᵢ)/ℓᵢ)², as a full matrix (n×n, zero diagonal).
 *
 * @param i which lengthscale, 0 ≤ i < d.
 */
export function matern52DLogLengthscale(
  X: Float64Array,
  n: number,
  d: number,
  lengthscales: ArrayLike<number>,
  outputscale: number,
  i: number,
): Float64Array {
  return lengthscaleDerivativeScaled(matern52, scaleInputs(X, n, d, lengthscales), n, d, outputscale, i);
}

/**
 * outᵢ = ½·Σ_ab W_ab·(∂K/∂log ℓᵢ)_ab for a symmetric W, in O(n²d) time without forming ∂K/∂log ℓᵢ.
 *
 * @param Z n×d scaled inputs.
 * @param W n×n symmetric, row-major (only the strict lower triangle is read).
 * @param out length d, overwritten; allocated when omitted.
 */
export function matern52LengthscaleTraces(
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  W: Float64Array,
  out?: Float64Array,
): Float64Array {
  return lengthscaleTracesScaled(matern52, Z, n, d, outputscale, W, out);
}

/**
 * ∂k(x, X)/∂x: the n×d Jacobian of the cross-covariance vector at one point x.
 *
 * @param x length d; @param X n×d.
 * @returns `{ k: Float64Array(n), dk: Float64Array(n×d) }` with dk[j·d + i] = ∂k(x, X_j)/∂xᵢ.
 */
export function matern52CrossGradient(
  x: Float64Array,
  X: Float64Array,
  n: number,
  d: number,
  lengthscales: ArrayLike<number>,
  outputscale: number,
): { k: Float64Array; dk: Float64Array } {
  const z = scaleInputs(x, 1, d, lengthscales);
  const Z = scaleInputs(X, n, d, lengthscales);
  const k = new Float64Array(n);
  const g = new Float64Array(n);
  crossWithRadialScaled(matern52, z, Z, n, d, outputscale, k, g);
  const dk = new Float64Array(n * d);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < d; i++) {
      dk[j * d + i] = (-g[j]! * (z[i]! - Z[j * d + i]!)) / lengthscales[i]!;
    }
  }
  return { k, dk };
}
