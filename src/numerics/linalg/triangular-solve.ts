/**
 * Triangular solves with a lower-triangular factor L (row-major): L·X = B and Lᵀ·X = B, for one or many
 * right-hand sides. Both loops read L row by row, so neither needs Lᵀ to be formed.
 */
import { forwardSubstitution } from "./row-solves.js";
import { assertShape } from "./shape.js";

/**
 * Solves L·X = B in place by forward substitution; B is overwritten with X.
 *
 * Only the lower triangle of L is read. A zero on the diagonal of L gives infinities or NaN, not an error:
 * factors from {@link cholesky} have a strictly positive diagonal.
 *
 * @param L n×n lower-triangular, row-major.
 * @param n order of L.
 * @param B n×nrhs, row-major (a plain vector when nrhs = 1); overwritten with X.
 * @param nrhs number of right-hand sides (columns of B). Default 1.
 * @throws NumericalError on a shape mismatch.
 */
export function solveLowerTriangularInPlace(L: Float64Array, n: number, B: Float64Array, nrhs = 1): void {
  assertShape("solveLowerTriangular", "L", L, n, n);
  assertShape("solveLowerTriangular", "B", B, n, nrhs);
  if (nrhs === 1) {
    forwardSubstitution(L, n, B, 0);
    return;
  }
  // Each right-hand side as a contiguous vector, four at a time: every row of L is then read once per
  // four solves, and the inner loop is five loads per four multiply-adds with no stores (the in-place
  // row update of B costs a load and a store per multiply-add).
  const T = new Float64Array(n * nrhs);
  for (let i = 0; i < n; i++) for (let c = 0; c < nrhs; c++) T[c * n + i] = B[i * nrhs + c]!;
  let c0 = 0;
  for (; c0 + 3 < nrhs; c0 += 4) forwardSubstitution4(L, n, T, c0 * n);
  for (; c0 < nrhs; c0++) forwardSubstitution(L, n, T, c0 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < nrhs; c++) B[i * nrhs + c] = T[c * n + i]!;
}

/** L·x = b in place for the four consecutive vectors of length n starting at v[o]. */
function forwardSubstitution4(L: Float64Array, n: number, v: Float64Array, o: number): void {
  const o1 = o + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    // Same operation order as the single-vector path, so every column is bit-for-bit what it gives.
    let s0 = v[o + i]!;
    let s1 = v[o1 + i]!;
    let s2 = v[o2 + i]!;
    let s3 = v[o3 + i]!;
    for (let j = 0; j < i; j++) {
      const Lij = L[ri + j]!;
      s0 -= Lij * v[o + j]!;
      s1 -= Lij * v[o1 + j]!;
      s2 -= Lij * v[o2 + j]!;
      s3 -= Lij * v[o3 + j]!;
    }
    const Lii = L[ri + i]!;
    v[o + i] = s0 / Lii;
    v[o1 + i] = s1 / Lii;
    v[o2 + i] = s2 / Lii;
    v[o3 + i] = s3 / Lii;
  }
}

/**
 * Solves Lᵀ·X = B in place by back substitution, using the lower-triangular L (Lᵀ is never formed);
 * B is overwritten with X.
 *
 * @param L n×n lower-triangular, row-major.
 * @param n order of L.
 * @param B n×nrhs, row-major; overwritten with X.
 * @param nrhs number of right-hand sides. Default 1.
 * @throws NumericalError on a shape mismatch.
 */
export function solveUpperTriangularTransposedInPlace(
  L: Float64Array,
  n: number,
  B: Float64Array,
  nrhs = 1,
): void {
  assertShape("solveUpperTriangularTransposed", "L", L, n, n);
  assertShape("solveUpperTriangularTransposed", "B", B, n, nrhs);
  // Column-oriented: once x_i is known, row i of L (column i of Lᵀ) is subtracted from the rows above.
  if (nrhs === 1) {
    for (let i = n - 1; i >= 0; i--) {
      const ri = i * n;
      const xi = B[i]! / L[ri + i]!;
      B[i] = xi;
      for (let j = 0; j < i; j++) B[j]! -= L[ri + j]! * xi;
    }
    return;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const bi = i * nrhs;
    const Lii = L[ri + i]!;
    for (let c = 0; c < nrhs; c++) B[bi + c]! /= Lii;
    for (let j = 0; j < i; j++) {
      const Lij = L[ri + j]!;
      const bj = j * nrhs;
      for (let c = 0; c < nrhs; c++) B[bj + c]! -= Lij * B[bi + c]!;
    }
  }
}

/**
 * Solves L·X = B (forward substitution) and returns X; B is left unchanged.
 *
 * @param L n×n lower-triangular, row-major.
 * @param n order of L.
 * @param B n×nrhs, row-major.
 * @param nrhs number of right-hand sides. Default 1.
 * @returns X, n×nrhs, row-major.
 * @throws NumericalError on a shape mismatch.
 * @example
 * const v = solveLowerTriangular(L, n, kStar, m); // L⁻¹K(X, X*), n×m: posterior variance terms
 */
export function solveLowerTriangular(L: Float64Array, n: number, B: Float64Array, nrhs = 1): Float64Array {
  const X = Float64Array.from(B);
  solveLowerTriangularInPlace(L, n, X, nrhs);
  return X;
}

/**
 * Solves Lᵀ·X = B (back substitution with the transpose of the lower-triangular L) and returns X; B is
 * left unchanged.
 *
 * @param L n×n lower-triangular, row-major.
 * @param n order of L.
 * @param B n×nrhs, row-major.
 * @param nrhs number of right-hand sides. Default 1.
 * @returns X, n×nrhs, row-major.
 * @throws NumericalError on a shape mismatch.
 */
export function solveUpperTriangularTransposed(
  L: Float64Array,
  n: number,
  B: Float64Array,
  nrhs = 1,
): Float64Array {
  const X = Float64Array.from(B);
  solveUpperTriangularTransposedInPlace(L, n, X, nrhs);
  return X;
}
