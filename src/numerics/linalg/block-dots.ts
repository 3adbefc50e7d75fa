/**
 * The blocked factorization, inverse and many-right-hand-side forward solve, written once over a
 * routine of eight dot products (four rows against two rows, {@link FourByTwoDots}). Every O(n³) loop of
 * them is such a block of dot products: each earlier row is then streamed once per block of four rows,
 * six loads per eight multiply-adds. The TypeScript routines pass {@link ScalarDots} (sequential sums);
 * the WebAssembly SIMD workspace passes its own kernel (two lanes, even and odd terms summed apart), about
 * twice as fast from a few hundred rows on and equal to the TypeScript results to rounding.
 *
 * All matrices live in one array, `dots.matrix`, addressed by offsets in doubles, with the factor L
 * (n×n, row-major) at offset 0.
 */
import { forwardSubstitution } from "./row-solves.js";

/** Rows factored, inverted or solved together. */
const BLOCK = 4;

/** Eight dot products of four rows against two rows of one array. */
export interface FourByTwoDots {
  /** The array whose rows the offsets address. */
  readonly matrix: Float64Array;
  /** The eight sums of the last {@link FourByTwoDots.dot4x2} call. */
  readonly sums: Float64Array;
  /**
   * sums[r] = Σₖ M[x_r + k]·M[y0 + k] and sums[4 + r] = Σₖ M[x_r + k]·M[y1 + k] for k < len (M =
   * `matrix`, offsets in doubles).
   */
  dot4x2(x0: number, x1: number, x2: number, x3: number, y0: number, y1: number, len: number): void;
}

/** {@link FourByTwoDots} in plain TypeScript: eight independent sequential sums over six loads per k. */
export class ScalarDots implements FourByTwoDots {
  readonly sums = new Float64Array(8);

  constructor(readonly matrix: Float64Array) {}

  dot4x2(x0: number, x1: number, x2: number, x3: number, y0: number, y1: number, len: number): void {
    const M = this.matrix;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    for (let k = 0; k < len; k++) {
      const ya = M[y0 + k]!;
      const yb = M[y1 + k]!;
      const v0 = M[x0 + k]!;
      const v1 = M[x1 + k]!;
      const v2 = M[x2 + k]!;
      const v3 = M[x3 + k]!;
      a0 += v0 * ya;
      a1 += v1 * ya;
      a2 += v2 * ya;
      a3 += v3 * ya;
      b0 += v0 * yb;
      b1 += v1 * yb;
      b2 += v2 * yb;
      b3 += v3 * yb;
    }
    const s = this.sums;
    s[0] = a0;
    s[1] = a1;
    s[2] = a2;
    s[3] = a3;
    s[4] = b0;
    s[5] = b1;
    s[6] = b2;
    s[7] = b3;
  }
}

/**
 * Overwrites the n×n matrix at offset 0 of `dots.matrix` with its lower Cholesky factor L (A = L·Lᵀ,
 * only the lower triangle of A read) and zeroes the strict upper triangle. Row-oriented
 * (Cholesky–Banachiewicz), rows in blocks of four: the off-diagonal part of a block is a forward solve
 * against the rows above it ({@link forwardSolveFourRows}), its diagonal part plain row sums.
 *
 * @returns false when a pivot is not strictly positive (A not numerically positive definite, or NaN in
 *   A); the contents are then partly overwritten.
 */
export function blockedCholeskyInPlace(dots: FourByTwoDots, n: number): boolean {
  const A = dots.matrix;
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    forwardSolveFourRows(dots, n, i0 * n, i0);
    if (!factorRows(A, n, i0, i0 + BLOCK, i0)) return false;
  }
  if (!factorRows(A, n, i0, n, 0)) return false;
  for (let i = 0; i < n; i++) A.fill(0, i * n + i + 1, (i + 1) * n);
  return true;
}

/**
 * Plain row-by-row factorization of rows [iBegin, iEnd) of the n×n matrix A, columns from jBegin up to
 * the diagonal: L[i, j] = (A[i, j] − Σ_{k<j} L[i, k]·L[j, k])/L[j, j], L[i, i] = √(A[i, i] − Σ_{k<i} L[i, k]²).
 *
 * @returns false when a pivot is not strictly positive (or NaN).
 */
export function factorRows(
  A: Float64Array,
  n: number,
  iBegin: number,
  iEnd: number,
  jBegin: number,
): boolean {
  for (let i = iBegin; i < iEnd; i++) {
    const ri = i * n;
    for (let j = jBegin; j < i; j++) {
      const rj = j * n;
      let s = A[ri + j]!;
      for (let k = 0; k < j; k++) s -= A[ri + k]! * A[rj + k]!;
      A[ri + j] = s / A[rj + j]!;
    }
    let d = A[ri + i]!;
    for (let k = 0; k < i; k++) {
      const Lik = A[ri + k]!;
      d -= Lik * Lik;
    }
    // `!(d > 0)` also rejects NaN, which is how NaN or ±Infinity entries surface here.
    if (!(d > 0)) return false;
    A[ri + i] = Math.sqrt(d);
  }
  return true;
}

/**
 * Forward substitution of four right-hand sides at once, the rows at offsets r0, r0 + n, r0 + 2n, r0 + 3n
 * (length n each) against L at offset 0: for every column j < cols, in pairs (cols even),
 * Bᵣ[j] ← (Bᵣ[j] − Σ_{k<j} Bᵣ[k]·L[j, k]) / L[j, j], column j + 1 finished by its one extra term
 * L[j+1, j]. The rows may be L's own rows below `cols` (the off-diagonal block of the factorization).
 */
export function forwardSolveFourRows(dots: FourByTwoDots, n: number, r0: number, cols: number): void {
  const M = dots.matrix;
  const s = dots.sums;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  for (let j = 0; j < cols; j += 2) {
    const rj = j * n;
    const rk = rj + n;
    dots.dot4x2(r0, r1, r2, r3, rj, rk, j);
    const Ljj = M[rj + j]!;
    const y0 = (M[r0 + j]! - s[0]!) / Ljj;
    const y1 = (M[r1 + j]! - s[1]!) / Ljj;
    const y2 = (M[r2 + j]! - s[2]!) / Ljj;
    const y3 = (M[r3 + j]! - s[3]!) / Ljj;
    M[r0 + j] = y0;
    M[r1 + j] = y1;
    M[r2 + j] = y2;
    M[r3 + j] = y3;
    const Lkj = M[rk + j]!;
    const Lkk = M[rk + j + 1]!;
    M[r0 + j + 1] = (M[r0 + j + 1]! - s[4]! - y0 * Lkj) / Lkk;
    M[r1 + j + 1] = (M[r1 + j + 1]! - s[5]! - y1 * Lkj) / Lkk;
    M[r2 + j + 1] = (M[r2 + j + 1]! - s[6]! - y2 * Lkj) / Lkk;
    M[r3 + j + 1] = (M[r3 + j + 1]! - s[7]! - y3 * Lkj) / Lkk;
  }
}

/**
 * L·vᵣ = bᵣ in place for mb right-hand sides stored as rows from offset `rows` (length n each), L at
 * offset 0 (lower triangle read): four right-hand sides against two rows of L at a time, as in the
 * factorization; the last row of an odd order by plain sums, and the last mb mod 4 right-hand sides one
 * by one with `solveOne` (each backend keeps the one-vector solve it was measured with, so that its
 * results do not change). Agrees with a one-vector forward substitution to rounding.
 *
 * @param solveOne L·x = b in place for b at offset o of M, L at offset 0 of M (default
 *   {@link forwardSubstitution}, sequential sums).
 */
export function solveLowerRows(
  dots: FourByTwoDots,
  n: number,
  rows: number,
  mb: number,
  solveOne: (M: Float64Array, n: number, o: number) => void = sequentialSolve,
): void {
  const M = dots.matrix;
  const s = dots.sums;
  let r = 0;
  for (; r + 3 < mb; r += 4) {
    const r0 = rows + r * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const j = n - (n % 2);
    forwardSolveFourRows(dots, n, r0, j);
    if (j < n) {
      // The last row of an odd order: the second row of the dot products is unused (the same row again).
      const rj = j * n;
      dots.dot4x2(r0, r1, r2, r3, rj, rj, j);
      const Ljj = M[rj + j]!;
      M[r0 + j] = (M[r0 + j]! - s[0]!) / Ljj;
      M[r1 + j] = (M[r1 + j]! - s[1]!) / Ljj;
      M[r2 + j] = (M[r2 + j]! - s[2]!) / Ljj;
      M[r3 + j] = (M[r3 + j]! - s[3]!) / Ljj;
    }
  }
  for (; r < mb; r++) solveOne(M, n, rows + r * n);
}

function sequentialSolve(M: Float64Array, n: number, o: number): void {
  forwardSubstitution(M, n, M, o);
}

/**
 * Lower triangle and diagonal of A⁻¹ = L⁻ᵀ·L⁻¹ in place of the lower-triangular L at offset 0 of
 * `dots.matrix` (only L's lower triangle read): V = L⁻ᵀ is built in the upper triangle, then the lower
 * triangle of V·Vᵀ overwrites the lower triangle. The upper triangle is left with leftovers of L⁻ᵀ.
 *
 * @param invDiagonal length n, 1/L[i, i].
 */
export function blockedInverseLower(dots: FourByTwoDots, n: number, invDiagonal: Float64Array): void {
  invertTransposeIntoUpper(dots, n, invDiagonal);
  gramIntoLower(dots, n);
}

/**
 * Upper triangle (diagonal included) of V ← L⁻ᵀ: row j of V solves L·v = e_j, so V[j, j] = 1/L[j, j] and
 * V[j, i] = −(Σ_{j≤k<i} L[i, k]·V[j, k])/L[i, i] for i > j. Only the strict lower triangle of L is read
 * (its diagonal comes from `invDiagonal`), so V is written into L's own buffer.
 *
 * Rows j are built four at a time, and two rows i of L are consumed together. In a full block the sums
 * start at the block's first column j0, which needs V[j, k] = 0 for j0 ≤ k < j: once the block's own
 * triangle is done, those lower entries (L's, no longer needed) are zeroed. {@link gramIntoLower} relies
 * on the same zeros.
 */
function invertTransposeIntoUpper(dots: FourByTwoDots, n: number, invDiagonal: Float64Array): void {
  const V = dots.matrix;
  const L = V;
  const s = dots.sums;
  let j0 = 0;
  for (; j0 + BLOCK <= n; j0 += BLOCK) {
    const j1 = j0 + BLOCK;
    invertRows(L, V, n, invDiagonal, j0, j1, j1);
    for (let j = j0 + 1; j < j1; j++) V.fill(0, j * n + j0, j * n + j);
    const v0 = j0 * n;
    const v1 = v0 + n;
    const v2 = v1 + n;
    const v3 = v2 + n;
    let i = j1;
    for (; i + 1 < n; i += 2) {
      const ra = i * n;
      const rb = ra + n;
      dots.dot4x2(v0 + j0, v1 + j0, v2 + j0, v3 + j0, ra + j0, rb + j0, i - j0);
      const da = invDiagonal[i]!;
      const y0 = -s[0]! * da;
      const y1 = -s[1]! * da;
      const y2 = -s[2]! * da;
      const y3 = -s[3]! * da;
      V[v0 + i] = y0;
      V[v1 + i] = y1;
      V[v2 + i] = y2;
      V[v3 + i] = y3;
      const Lbi = L[rb + i]!;
      const db = invDiagonal[i + 1]!;
      V[v0 + i + 1] = -(s[4]! + Lbi * y0) * db;
      V[v1 + i + 1] = -(s[5]! + Lbi * y1) * db;
      V[v2 + i + 1] = -(s[6]! + Lbi * y2) * db;
      V[v3 + i + 1] = -(s[7]! + Lbi * y3) * db;
    }
    if (i < n) invertLastColumnOfBlock(L, V, n, invDiagonal, j0, i);
  }
  // The last n mod 4 rows: explicit starts, no reliance on zeros.
  invertRows(L, V, n, invDiagonal, j0, n, n);
}

/** Rows j ∈ [jBegin, jEnd) of V = L⁻ᵀ, columns j … iEnd − 1, by plain sums from k = j. */
function invertRows(
  L: Float64Array,
  V: Float64Array,
  n: number,
  invDiagonal: Float64Array,
  jBegin: number,
  jEnd: number,
  iEnd: number,
): void {
  for (let j = jBegin; j < jEnd; j++) {
    const rj = j * n;
    V[rj + j] = invDiagonal[j]!;
    for (let i = j + 1; i < iEnd; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s += L[ri + k]! * V[rj + k]!;
      V[rj + i] = -s * invDiagonal[i]!;
    }
  }
}

/**
 * Column i (the last, when the rows after the block are odd in number) of the four rows of V = L⁻ᵀ
 * starting at row j0: V[j, i] = −(Σ_{j0 ≤ k < i} L[i, k]·V[j, k]) / L[i, i].
 */
function invertLastColumnOfBlock(
  L: Float64Array,
  V: Float64Array,
  n: number,
  invDiagonal: Float64Array,
  j0: number,
  i: number,
): void {
  const v0 = j0 * n;
  const v1 = v0 + n;
  const v2 = v1 + n;
  const v3 = v2 + n;
  const ri = i * n;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = j0; k < i; k++) {
    const Lik = L[ri + k]!;
    s0 += Lik * V[v0 + k]!;
    s1 += Lik * V[v1 + k]!;
    s2 += Lik * V[v2 + k]!;
    s3 += Lik * V[v3 + k]!;
  }
  const di = invDiagonal[i]!;
  V[v0 + i] = -s0 * di;
  V[v1 + i] = -s1 * di;
  V[v2 + i] = -s2 * di;
  V[v3 + i] = -s3 * di;
}

/**
 * Lower triangle and diagonal of R ← V·Vᵀ, in place over the upper-triangular V held in the upper
 * triangle (and, in full blocks, the zeroed lower diagonal blocks) of the same buffer:
 * R[i, j] = Σ_{k ≥ i} V[i, k]·V[j, k] for j ≤ i. R[i, i] is written after the last use of V[i, i].
 * Rows i go four at a time against two rows j: first the columns j left of the block (sums from the
 * block's first column, exact thanks to the zeros), then the block's own triangle.
 */
function gramIntoLower(dots: FourByTwoDots, n: number): void {
  const R = dots.matrix;
  const s = dots.sums;
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    const v0 = i0 * n;
    const v1 = v0 + n;
    const v2 = v1 + n;
    const v3 = v2 + n;
    for (let j = 0; j < i0; j += 2) {
      const ra = j * n;
      const rb = ra + n;
      dots.dot4x2(v0 + i0, v1 + i0, v2 + i0, v3 + i0, ra + i0, rb + i0, n - i0);
      R[v0 + j] = s[0]!;
      R[v1 + j] = s[1]!;
      R[v2 + j] = s[2]!;
      R[v3 + j] = s[3]!;
      R[v0 + j + 1] = s[4]!;
      R[v1 + j + 1] = s[5]!;
      R[v2 + j + 1] = s[6]!;
      R[v3 + j + 1] = s[7]!;
    }
    gramRows(R, n, i0, i0 + BLOCK, i0);
  }
  gramRows(R, n, i0, n, 0);
}

/** R[i, j] for rows i ∈ [iBegin, iEnd) and columns jBegin ≤ j ≤ i, sums from k = i, diagonal last. */
function gramRows(R: Float64Array, n: number, iBegin: number, iEnd: number, jBegin: number): void {
  for (let i = iBegin; i < iEnd; i++) {
    const ri = i * n;
    for (let j = jBegin; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += R[ri + k]! * R[rj + k]!;
      R[ri + j] = s;
    }
  }
}
