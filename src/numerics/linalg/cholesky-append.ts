/**
 * Extends a Cholesky factor by new rows and columns without refactoring the old block, as needed when
 * fantasy or pending points are added to a fitted GP.
 */
import { NumericalError } from "../../errors.js";
import { type CholeskyOptions, type CholeskyResult, cholesky, meanDiagonalOrOne } from "./cholesky.js";
import { assertShape } from "./shape.js";
import { solveLowerTriangularInPlace } from "./triangular-solve.js";

/**
 * Cholesky factor of the bordered matrix [[A, B], [Bᵀ, C]] from the factor L of A, in O(n²k + nk² + k³)
 * instead of O((n + k)³).
 *
 * The new factor is [[L, 0], [Wᵀ, L₂₂]] with W = L⁻¹B and L₂₂ the Cholesky factor of the Schur complement
 * C − WᵀW. Only that k×k block can need jitter; it is escalated as in {@link cholesky}, relative to
 * mean(diag(C)) unless `options.jitterScale` says otherwise, and the result then factors
 * [[A, B], [Bᵀ, C + jitter·I]]. If L itself carried a jitter j₀, pass C + j₀·I to keep the diagonal
 * consistent.
 *
 * @param L n×n lower-triangular factor of A, row-major.
 * @param n order of A.
 * @param B n×k cross block, row-major.
 * @param C k×k new diagonal block, row-major, symmetric (only its lower triangle is read).
 * @param k number of appended rows.
 * @param options jitter ladder for the Schur complement (`out` is ignored).
 * @returns the (n+k)×(n+k) factor, row-major, and the jitter added to C.
 * @throws NumericalError when the Schur complement is not positive definite even at the largest jitter
 *   (the new points duplicate old ones, or the bordered matrix is not positive semi-definite), or on a
 *   shape mismatch.
 * @example
 * const { L: Lnew } = choleskyAppend(L, n, KxXpending, KpendingPending, k);
 */
export function choleskyAppend(
  L: Float64Array,
  n: number,
  B: Float64Array,
  C: Float64Array,
  k: number,
  options: CholeskyOptions = {},
): CholeskyResult {
  assertShape("choleskyAppend", "L", L, n, n);
  assertShape("choleskyAppend", "B", B, n, k);
  assertShape("choleskyAppend", "C", C, k, k);
  const W = Float64Array.from(B);
  solveLowerTriangularInPlace(L, n, W, k);
  const S = schurComplement(W, n, C, k);
  let L22: CholeskyResult;
  try {
    L22 = cholesky(S, k, {
      ...options,
      out: undefined,
      jitterScale: options.jitterScale ?? meanDiagonalOrOne(C, k),
    });
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    throw new NumericalError(
      `choleskyAppend: appending ${k} row(s) to a ${n}×${n} factor failed: the Schur complement C − BᵀA⁻¹B ` +
        "is not positive definite (new points duplicating old ones, or a bordered matrix that is not " +
        `positive semi-definite). ${error.message}`,
      { cause: error },
    );
  }
  const N = n + k;
  const Lnew = new Float64Array(N * N);
  for (let i = 0; i < n; i++) Lnew.set(L.subarray(i * n, i * n + i + 1), i * N);
  for (let a = 0; a < k; a++) {
    const ra = (n + a) * N;
    for (let j = 0; j < n; j++) Lnew[ra + j] = W[j * k + a]!;
    Lnew.set(L22.L.subarray(a * k, a * k + a + 1), ra + n);
  }
  return { L: Lnew, jitter: L22.jitter };
}

/** Lower triangle of C − WᵀW (k×k, W: n×k), accumulated row by row of W so every read is contiguous. */
function schurComplement(W: Float64Array, n: number, C: Float64Array, k: number): Float64Array {
  const S = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    const ri = i * k;
    for (let a = 0; a < k; a++) {
      const Wia = W[ri + a]!;
      const sa = a * k;
      for (let b = 0; b <= a; b++) S[sa + b]! += Wia * W[ri + b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) S[a * k + b] = C[a * k + b]! - S[a * k + b]!;
  }
  return S;
}
