/**
 * Covariance matrices, cross-covariances and derivatives of any {@link CovarianceKernel} with ARD
 * lengthscales: k(x, x') = s²·φ(r²), r² = Σᵢ ((xᵢ − x'ᵢ)/ℓᵢ)². Every routine has a "scaled" form that
 * takes Z = X ⊘ ℓ (each column divided by its lengthscale), which a fitted model computes once.
 */
import { NumericalError } from "../../../errors.js";
import type { CovarianceKernel } from "./covariance-kernel.js";

/**
 * Z = X ⊘ ℓ: column i of X divided by ℓᵢ.
 *
 * @param X n×d, row-major.
 * @param lengthscales length d, positive.
 * @param out n×d buffer, overwritten; allocated when omitted. May be X.
 * @returns Z, n×d.
 * @throws NumericalError on a shape mismatch.
 */
export function scaleInputs(
  X: Float64Array,
  n: number,
  d: number,
  lengthscales: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  if (X.length !== n * d || lengthscales.length !== d) {
    throw new NumericalError(
      `scaleInputs: X must hold n×d = ${n}×${d} numbers and lengthscales ${d}, got ${X.length} and ${lengthscales.length}`,
    );
  }
  const Z = out ?? new Float64Array(n * d);
  for (let i = 0; i < d; i++) {
    const inv = 1 / lengthscales[i]!;
    for (let a = 0; a < n; a++) Z[a * d + i] = X[a * d + i]! * inv;
  }
  return Z;
}

/** Squared distance between row a of A and row b of B (both with d columns). */
export function squaredDistance(A: Float64Array, a: number, B: Float64Array, b: number, d: number): number {
  const ra = a * d;
  const rb = b * d;
  let r2 = 0;
  for (let i = 0; i < d; i++) {
    const t = A[ra + i]! - B[rb + i]!;
    r2 += t * t;
  }
  return r2;
}

/**
 * K = k(Z, Z) from scaled inputs: symmetric, diagonal s².
 *
 * @param Z n×d scaled inputs (see {@link scaleInputs}).
 * @param out n×n buffer, overwritten; allocated when omitted.
 * @returns K, n×n, row-major, both triangles filled.
 */
export function covarianceMatrixScaled(
  kernel: CovarianceKernel,
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  out?: Float64Array,
): Float64Array {
  const K = out ?? new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    K[a * n + a] = outputscale;
    for (let b = 0; b < a; b++) {
      const k = kernel.covariance(squaredDistance(Z, a, Z, b, d), outputscale);
      K[a * n + b] = k;
      K[b * n + a] = k;
    }
  }
  return K;
}

/**
 * Cross-covariance k(A, B) from scaled inputs.
 *
 * @param ZA p×d scaled inputs; @param ZB q×d scaled inputs.
 * @param out p×q buffer, overwritten; allocated when omitted.
 * @returns p×q, row-major: entry (a, b) = k(A_a, B_b).
 */
export function crossCovarianceScaled(
  kernel: CovarianceKernel,
  ZA: Float64Array,
  p: number,
  ZB: Float64Array,
  q: number,
  d: number,
  outputscale: number,
  out?: Float64Array,
): Float64Array {
  const C = out ?? new Float64Array(p * q);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < q; b++)
      C[a * q + b] = kernel.covariance(squaredDistance(ZA, a, ZB, b, d), outputscale);
  }
  return C;
}

/**
 * k(x, X) and the radial factors from scaled inputs, in O(nd) and without allocating:
 * ∂k(x, X_j)/∂xᵢ = −g_j·(zᵢ − Z_ji)/ℓᵢ.
 *
 * @param z length d, the query point scaled (x ⊘ ℓ).
 * @param Z n×d scaled training inputs.
 * @param k length n, overwritten with k(x, X_j).
 * @param g length n, overwritten with the radial factor g_j.
 */
export function crossWithRadialScaled(
  kernel: CovarianceKernel,
  z: Float64Array,
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  k: Float64Array,
  g: Float64Array,
): void {
  for (let j = 0; j < n; j++) k[j] = squaredDistance(z, 0, Z, j, d);
  kernel.covariancesWithRadial(k, 0, k, 0, g, 0, n, outputscale);
}

/**
 * The radial factor at one squared distance (for the routines below), computed in `scratch` (length 3,
 * allocated once per routine call, so that their O(n²) loops allocate nothing).
 */
function radialFactor(
  kernel: CovarianceKernel,
  r2: number,
  outputscale: number,
  scratch: Float64Array,
): number {
  scratch[0] = r2;
  kernel.covariancesWithRadial(scratch, 0, scratch, 1, scratch, 2, 1, outputscale);
  return scratch[2]!;
}

/**
 * ∂K/∂log ℓᵢ = g·((xᵢ − x'ᵢ)/ℓᵢ)², as a full matrix (for tests and diagnostics; fitting contracts it
 * with the pairwise differences instead).
 *
 * @param Z n×d scaled inputs.
 * @param i which lengthscale, 0 ≤ i < d.
 * @returns n×n, row-major, zero diagonal.
 */
export function lengthscaleDerivativeScaled(
  kernel: CovarianceKernel,
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  i: number,
): Float64Array {
  const D = new Float64Array(n * n);
  const scratch = new Float64Array(3);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) {
      const t = Z[a * d + i]! - Z[b * d + i]!;
      const v = radialFactor(kernel, squaredDistance(Z, a, Z, b, d), outputscale, scratch) * t * t;
      D[a * n + b] = v;
      D[b * n + a] = v;
    }
  }
  return D;
}

/**
 * The lengthscale part of a marginal-likelihood gradient: outᵢ = ½·Σ_ab W_ab·(∂K/∂log ℓᵢ)_ab for a
 * symmetric W (W = ααᵀ − K⁻¹), in O(n²d) time and O(d) memory, without forming any ∂K/∂log ℓᵢ.
 *
 * @param Z n×d scaled inputs.
 * @param W n×n symmetric, row-major (only the strict lower triangle is read: ∂K has a zero diagonal).
 * @param out length d, overwritten; allocated when omitted.
 * @returns out.
 */
export function lengthscaleTracesScaled(
  kernel: CovarianceKernel,
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  W: Float64Array,
  out?: Float64Array,
): Float64Array {
  const g = out ?? new Float64Array(d);
  g.fill(0);
  const scratch = new Float64Array(3);
  for (let a = 0; a < n; a++) {
    const ra = a * d;
    for (let b = 0; b < a; b++) {
      const rb = b * d;
      // ½·(W_ab + W_ba) = W_ab: both triangles counted once.
      const w = W[a * n + b]! * radialFactor(kernel, squaredDistance(Z, a, Z, b, d), outputscale, scratch);
      for (let i = 0; i < d; i++) {
        const t = Z[ra + i]! - Z[rb + i]!;
        g[i]! += w * t * t;
      }
    }
  }
  return g;
}
