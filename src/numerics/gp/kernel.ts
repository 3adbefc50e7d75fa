/**
 * Matérn-5/2 ARD kernel with an outputscale, k(x, x') = s²·φ(r), φ(r) = (1 + √5r + 5r²/3)·exp(−√5r),
 * r² = Σᵢ ((xᵢ − x'ᵢ)/ℓᵢ)², and the derivatives a GP needs: with respect to log ℓᵢ and log s² (marginal
 * likelihood gradients) and with respect to the input x (acquisition gradients).
 *
 * Every routine has a "scaled" form that takes Z = X ⊘ ℓ (each column divided by its lengthscale), which
 * a fitted model computes once; the plain forms scale their inputs first.
 */
import { NumericalError } from "../../errors.js";

const SQRT5 = Math.sqrt(5);

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
function squaredDistance(A: Float64Array, a: number, B: Float64Array, b: number, d: number): number {
  const ra = a * d;
  const rb = b * d;
  let r2 = 0;
  for (let i = 0; i < d; i++) {
    const t = A[ra + i]! - B[rb + i]!;
    r2 += t * t;
  }
  return r2;
}

/** s²·φ(r) from r². */
function matern52(r2: number, outputscale: number): number {
  const r = Math.sqrt(r2);
  return outputscale * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/**
 * K = k(Z, Z) from scaled inputs: symmetric, diagonal s².
 *
 * @param Z n×d scaled inputs (see {@link scaleInputs}).
 * @param out n×n buffer, overwritten; allocated when omitted.
 * @returns K, n×n, row-major, both triangles filled.
 */
export function matern52MatrixScaled(
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
      const k = matern52(squaredDistance(Z, a, Z, b, d), outputscale);
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
export function matern52CrossScaled(
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
    for (let b = 0; b < q; b++) C[a * q + b] = matern52(squaredDistance(ZA, a, ZB, b, d), outputscale);
  }
  return C;
}

/**
 * Covariance matrix K = k(X, X) (without noise). Note ∂K/∂log s² = K.
 *
 * @param X n×d inputs, row-major.
 * @param lengthscales ℓ, length d.
 * @param outputscale s².
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
  return matern52MatrixScaled(scaleInputs(X, n, d, lengthscales), n, d, outputscale);
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
  return matern52CrossScaled(Zs, m, scaleInputs(X, n, d, lengthscales), n, d, outputscale);
}

/**
 * −∂(s²φ)/∂r divided by r, the common factor of every Matérn-5/2 derivative:
 * s²·(5/3)·(1 + √5r)·exp(−√5r). Finite at r = 0, which keeps the derivatives smooth at coincident points.
 */
function radialFactor(r2: number, outputscale: number): number {
  const r = Math.sqrt(r2);
  return outputscale * (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/**
 * ∂K/∂log ℓᵢ = s²·(5/3)(1 + √5r)e^{−√5r}·((xᵢ − x'ᵢ)/ℓᵢ)², as a full matrix (for tests and diagnostics;
 * fitting uses the contracted {@link matern52LengthscaleTraces}).
 *
 * @param X n×d inputs.
 * @param i which lengthscale, 0 ≤ i < d.
 * @returns n×n, row-major, zero diagonal.
 */
export function matern52DLogLengthscale(
  X: Float64Array,
  n: number,
  d: number,
  lengthscales: ArrayLike<number>,
  outputscale: number,
  i: number,
): Float64Array {
  const Z = scaleInputs(X, n, d, lengthscales);
  const D = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < a; b++) {
      const t = Z[a * d + i]! - Z[b * d + i]!;
      const v = radialFactor(squaredDistance(Z, a, Z, b, d), outputscale) * t * t;
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
export function matern52LengthscaleTraces(
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  W: Float64Array,
  out?: Float64Array,
): Float64Array {
  const g = out ?? new Float64Array(d);
  g.fill(0);
  for (let a = 0; a < n; a++) {
    const ra = a * d;
    for (let b = 0; b < a; b++) {
      const rb = b * d;
      // ½·(W_ab + W_ba) = W_ab: both triangles counted once.
      const w = W[a * n + b]! * radialFactor(squaredDistance(Z, a, Z, b, d), outputscale);
      for (let i = 0; i < d; i++) {
        const t = Z[ra + i]! - Z[rb + i]!;
        g[i]! += w * t * t;
      }
    }
  }
  return g;
}

/**
 * k(x, X) and its gradient with respect to x, from scaled inputs, in O(nd) and without allocating:
 * ∂k(x, X_j)/∂xᵢ = −g_j·(zᵢ − Z_ji)/ℓᵢ with g_j = s²(5/3)(1 + √5r)e^{−√5r} (written to `g`).
 *
 * @param z length d, the query point scaled (x ⊘ ℓ).
 * @param Z n×d scaled training inputs.
 * @param k length n, overwritten with k(x, X_j).
 * @param g length n, overwritten with the radial factor g_j; then ∂k_j/∂xᵢ = −g_j (zᵢ − Z_ji)·invLengthscalesᵢ.
 */
export function matern52CrossWithRadialScaled(
  z: Float64Array,
  Z: Float64Array,
  n: number,
  d: number,
  outputscale: number,
  k: Float64Array,
  g: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    const rj = j * d;
    let r2 = 0;
    for (let i = 0; i < d; i++) {
      const t = z[i]! - Z[rj + i]!;
      r2 += t * t;
    }
    const r = Math.sqrt(r2);
    const e = outputscale * Math.exp(-SQRT5 * r);
    k[j] = (1 + SQRT5 * r + (5 / 3) * r2) * e;
    g[j] = (5 / 3) * (1 + SQRT5 * r) * e;
  }
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
  matern52CrossWithRadialScaled(z, Z, n, d, outputscale, k, g);
  const dk = new Float64Array(n * d);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < d; i++) {
      dk[j * d + i] = (-g[j]! * (z[i]! - Z[j * d + i]!)) / lengthscales[i]!;
    }
  }
  return { k, dk };
}
