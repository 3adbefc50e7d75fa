/**
 * What a Cholesky factor L of A (A = L·Lᵀ) is used for: A⁻¹B, log det A, and A⁻¹ itself.
 */
import { blockedInverseLower, ScalarDots } from "./block-dots.js";
import { assertShape } from "./shape.js";
import { solveLowerTriangularInPlace, solveUpperTriangularTransposedInPlace } from "./triangular-solve.js";

/** Options of {@link choleskyInverse}. */
export interface CholeskyInverseOptions {
  /** Fill the upper triangle too (default true). */
  mirror?: boolean;
}

/**
 * Solves A·X = B in place given the lower Cholesky factor L of A (A = L·Lᵀ): a forward then a back
 * substitution. B is overwritten with X = A⁻¹B.
 *
 * @param L n×n lower-triangular factor, row-major.
 * @param n order of A.
 * @param B n×nrhs, row-major; overwritten with A⁻¹B.
 * @param nrhs number of right-hand sides. Default 1.
 * @throws NumericalError on a shape mismatch.
 */
export function choleskySolveInPlace(L: Float64Array, n: number, B: Float64Array, nrhs = 1): void {
  solveLowerTriangularInPlace(L, n, B, nrhs);
  solveUpperTriangularTransposedInPlace(L, n, B, nrhs);
}

/**
 * A⁻¹B given the lower Cholesky factor L of A; B is left unchanged.
 *
 * @param L n×n lower-triangular factor of A, row-major.
 * @param n order of A.
 * @param B n×nrhs, row-major.
 * @param nrhs number of right-hand sides. Default 1.
 * @returns X = A⁻¹B, n×nrhs, row-major.
 * @throws NumericalError on a shape mismatch.
 * @example
 * const { L } = cholesky(K, n);
 * const alpha = choleskySolve(L, n, y); // K⁻¹y, the GP weights
 */
export function choleskySolve(L: Float64Array, n: number, B: Float64Array, nrhs = 1): Float64Array {
  const X = Float64Array.from(B);
  choleskySolveInPlace(L, n, X, nrhs);
  return X;
}

/**
 * log det A = 2·Σ log L_ii, given the lower Cholesky factor L of A.
 *
 * @param L n×n lower-triangular factor, row-major.
 * @param n order of A.
 * @throws NumericalError on a shape mismatch.
 */
export function logDetFromCholesky(L: Float64Array, n: number): number {
  assertShape("logDetFromCholesky", "L", L, n, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log(L[i * n + i]!);
  return 2 * sum;
}

/**
 * A⁻¹ (full and symmetric) given the lower Cholesky factor L of A, as A⁻¹ = L⁻ᵀ·L⁻¹, about n³/3 flops
 * (half of solving against the identity). Used for the trace terms of GP marginal-likelihood gradients,
 * tr(A⁻¹ ∂A/∂θ).
 *
 * Works inside `out` (a copy of L unless it is L) with one length-n temporary: V = L⁻ᵀ (upper
 * triangular) is built in its upper triangle, then the lower triangle of V·Vᵀ overwrites the lower
 * triangle and diagonal, then it is mirrored (see `blockedInverseLower`). Both steps are row-oriented dot
 * products, register-blocked four rows by two, so each pass streams earlier rows once per block of four.
 *
 * @param L n×n lower-triangular factor, row-major (only its lower triangle is read).
 * @param n order of A.
 * @param out n×n buffer for the result, overwritten; allocated when omitted. May be `L` itself.
 * @param options `mirror: false` skips copying the lower triangle onto the upper one, for callers that
 *   read only the lower triangle (a GP gradient); the upper triangle then holds leftovers of L⁻ᵀ.
 * @returns A⁻¹, n×n, row-major, exactly symmetric (with `mirror: false`, valid in its lower triangle
 *   and diagonal only).
 * @throws NumericalError on a shape mismatch.
 */
export function choleskyInverse(
  L: Float64Array,
  n: number,
  out?: Float64Array,
  options: CholeskyInverseOptions = {},
): Float64Array {
  assertShape("choleskyInverse", "L", L, n, n);
  const R = out ?? new Float64Array(n * n);
  assertShape("choleskyInverse", "out", R, n, n);
  const invDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) invDiagonal[i] = 1 / L[i * n + i]!;
  if (R !== L) R.set(L);
  blockedInverseLower(new ScalarDots(R), n, invDiagonal);
  if (options.mirror ?? true) mirrorLowerToUpper(R, n);
  return R;
}

/** R[j, i] ← R[i, j] for j < i, in square tiles so both the rows read and the rows written stay cached. */
function mirrorLowerToUpper(R: Float64Array, n: number): void {
  const TILE = 32;
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, n);
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        const j1 = Math.min(j0 + TILE, i);
        for (let j = j0; j < j1; j++) R[j * n + i] = R[ri + j]!;
      }
    }
  }
}
