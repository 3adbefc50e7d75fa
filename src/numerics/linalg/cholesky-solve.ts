/**
 * What a Cholesky factor L of A (A = L·Lᵀ) is used for: A⁻¹B, log det A, and A⁻¹ itself.
 */
import { assertShape } from "./shape.js";
import { solveLowerTriangularInPlace, solveUpperTriangularTransposedInPlace } from "./triangular-solve.js";

/** Options of {@link choleskyInverse}. */
export interface CholeskyInverseOptions {
  /** Fill the upper triangle too (default true). */
  mirror?: boolean;
}

/** Rows handled together in the inverse, as in the factorization. */
const BLOCK = 4;

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
 * Works inside `out` with one length-n temporary: V = L⁻ᵀ (upper triangular) is built in the upper
 * triangle of `out`, then the lower triangle of V·Vᵀ overwrites the lower triangle and diagonal (each
 * entry read before it is overwritten), then it is mirrored. Both steps are row-oriented dot products,
 * register-blocked four rows by two (eight independent accumulations, six loads per eight multiply-adds),
 * so each pass streams earlier rows once per block of four.
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
  invertTransposeIntoUpper(L, n, invDiagonal, R);
  gramIntoLower(R, n);
  if (options.mirror ?? true) mirrorLowerToUpper(R, n);
  return R;
}

/**
 * Upper triangle (diagonal included) of V ← L⁻ᵀ: row j of V solves L·v = e_j, so V[j, j] = 1/L[j, j] and
 * V[j, i] = −(Σ_{j≤k<i} L[i, k]·V[j, k])/L[i, i] for i > j. Only the strict lower triangle of L is read
 * (its diagonal comes from `invDiagonal`), so V may be written into L's own buffer.
 *
 * Rows j are built four at a time, and two rows i of L are consumed together. In a full block the sums
 * start at the block's first column j0, which needs V[j, k] = 0 for j0 ≤ k < j: once the block's own
 * triangle is done, those lower entries of V's buffer (L's entries, when V is L, no longer needed) are
 * zeroed. {@link gramIntoLower} relies on the same zeros.
 */
function invertTransposeIntoUpper(
  L: Float64Array,
  n: number,
  invDiagonal: Float64Array,
  V: Float64Array,
): void {
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
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = j0; k < i; k++) {
        const La = L[ra + k]!;
        const Lb = L[rb + k]!;
        const x0 = V[v0 + k]!;
        const x1 = V[v1 + k]!;
        const x2 = V[v2 + k]!;
        const x3 = V[v3 + k]!;
        a0 += La * x0;
        a1 += La * x1;
        a2 += La * x2;
        a3 += La * x3;
        b0 += Lb * x0;
        b1 += Lb * x1;
        b2 += Lb * x2;
        b3 += Lb * x3;
      }
      const da = invDiagonal[i]!;
      const y0 = -a0 * da;
      const y1 = -a1 * da;
      const y2 = -a2 * da;
      const y3 = -a3 * da;
      V[v0 + i] = y0;
      V[v1 + i] = y1;
      V[v2 + i] = y2;
      V[v3 + i] = y3;
      const Lbi = L[rb + i]!;
      const db = invDiagonal[i + 1]!;
      V[v0 + i + 1] = -(b0 + Lbi * y0) * db;
      V[v1 + i + 1] = -(b1 + Lbi * y1) * db;
      V[v2 + i + 1] = -(b2 + Lbi * y2) * db;
      V[v3 + i + 1] = -(b3 + Lbi * y3) * db;
    }
    if (i < n) invertLastColumnOfBlock(L, V, n, invDiagonal, j0, i);
  }
  // The last n mod 4 rows: explicit starts, no reliance on zeros.
  invertRows(L, V, n, invDiagonal, j0, n, n);
}

/** Rows j ∈ [jBegin, jEnd) of V = L⁻ᵀ, columns j … iEnd − 1, by plain sums from k = j. */
export function invertRows(
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
 * starting at row j0 (offset v0 = j0·n): V[j, i] = −(Σ_{j0 ≤ k < i} L[i, k]·V[j, k]) / L[i, i].
 */
export function invertLastColumnOfBlock(
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
 * R[i, j] = Σ_{k ≥ i} V[i, k]·V[j, k] for j ≤ i. Only V's upper triangle and diagonal are read, R[i, j]
 * (j < i) lands in the lower triangle, and R[i, i] is written after the last use of V[i, i] (row i's own).
 * Rows i go four at a time against two rows j: first the columns j left of the block (sums from the
 * block's first column, exact thanks to the zeros), then the block's own triangle.
 */
function gramIntoLower(R: Float64Array, n: number): void {
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    const v0 = i0 * n;
    const v1 = v0 + n;
    const v2 = v1 + n;
    const v3 = v2 + n;
    for (let j = 0; j < i0; j += 2) {
      const ra = j * n;
      const rb = ra + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = i0; k < n; k++) {
        const xa = R[ra + k]!;
        const xb = R[rb + k]!;
        const y0 = R[v0 + k]!;
        const y1 = R[v1 + k]!;
        const y2 = R[v2 + k]!;
        const y3 = R[v3 + k]!;
        a0 += y0 * xa;
        a1 += y1 * xa;
        a2 += y2 * xa;
        a3 += y3 * xa;
        b0 += y0 * xb;
        b1 += y1 * xb;
        b2 += y2 * xb;
        b3 += y3 * xb;
      }
      R[v0 + j] = a0;
      R[v1 + j] = a1;
      R[v2 + j] = a2;
      R[v3 + j] = a3;
      R[v0 + j + 1] = b0;
      R[v1 + j + 1] = b1;
      R[v2 + j + 1] = b2;
      R[v3 + j + 1] = b3;
    }
    gramRows(R, n, i0, i0 + BLOCK, i0);
  }
  gramRows(R, n, i0, n, 0);
}

/** R[i, j] for rows i ∈ [iBegin, iEnd) and columns jBegin ≤ j ≤ i, sums from k = i, diagonal last. */
export function gramRows(R: Float64Array, n: number, iBegin: number, iEnd: number, jBegin: number): void {
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
