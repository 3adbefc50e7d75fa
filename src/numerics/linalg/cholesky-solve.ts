/**
 * What a Cholesky factor L of A (A = L·Lᵀ) is used for: A⁻¹B, log det A, and A⁻¹ itself.
 */
import { assertShape } from "./shape.js";
import { solveLowerTriangularInPlace, solveUpperTriangularTransposedInPlace } from "./triangular-solve.js";

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
 * Both steps are written as contiguous dot products over rows, blocked four rows at a time like the
 * factorization: first V = L⁻ᵀ (upper triangular; row j of V is column j of L⁻¹), then
 * A⁻¹[i, j] = Σₖ V[i, k]·V[j, k]. V takes one temporary n×n buffer.
 *
 * @param L n×n lower-triangular factor, row-major (only its lower triangle is read).
 * @param n order of A.
 * @param out n×n buffer for the result, overwritten; allocated when omitted. May be `L` itself.
 * @returns A⁻¹, n×n, row-major, exactly symmetric.
 * @throws NumericalError on a shape mismatch.
 */
export function choleskyInverse(L: Float64Array, n: number, out?: Float64Array): Float64Array {
  assertShape("choleskyInverse", "L", L, n, n);
  const R = out ?? new Float64Array(n * n);
  assertShape("choleskyInverse", "out", R, n, n);
  const V = new Float64Array(n * n);
  invertTransposeOfLower(L, n, V);
  gramOfUpperRows(V, n, R);
  return R;
}

/**
 * V ← L⁻ᵀ into a zeroed V: row j of V solves L·v = e_j, so V[j, i] = −(Σ_{j≤k<i} L[i, k]·V[j, k])/L[i, i]
 * for i > j. Four rows of V are built together so each row of L is read once per block; their sums all
 * start at the block's first column, which is exact because V is zero left of its diagonal.
 */
function invertTransposeOfLower(L: Float64Array, n: number, V: Float64Array): void {
  for (let j0 = 0; j0 < n; j0 += BLOCK) {
    const j1 = Math.min(j0 + BLOCK, n);
    for (let j = j0; j < j1; j++) {
      const rj = j * n;
      V[rj + j] = 1 / L[rj + j]!;
      for (let i = j + 1; i < j1; i++) {
        const ri = i * n;
        let s = 0;
        for (let k = j; k < i; k++) s += L[ri + k]! * V[rj + k]!;
        V[rj + i] = -s / L[ri + i]!;
      }
    }
    if (j1 - j0 === BLOCK) {
      const v0 = j0 * n;
      const v1 = v0 + n;
      const v2 = v1 + n;
      const v3 = v2 + n;
      for (let i = j1; i < n; i++) {
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
        const Lii = L[ri + i]!;
        V[v0 + i] = -s0 / Lii;
        V[v1 + i] = -s1 / Lii;
        V[v2 + i] = -s2 / Lii;
        V[v3 + i] = -s3 / Lii;
      }
    } else {
      for (let j = j0; j < j1; j++) {
        const rj = j * n;
        for (let i = j1; i < n; i++) {
          const ri = i * n;
          let s = 0;
          for (let k = j; k < i; k++) s += L[ri + k]! * V[rj + k]!;
          V[rj + i] = -s / L[ri + i]!;
        }
      }
    }
  }
}

/**
 * R ← V·Vᵀ for upper-triangular V (zero below its diagonal), filling both triangles:
 * R[i, j] = Σ_{k ≥ max(i, j)} V[i, k]·V[j, k], four rows i at a time.
 */
function gramOfUpperRows(V: Float64Array, n: number, R: Float64Array): void {
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(i0 + BLOCK, n);
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      for (let j = i0; j <= i; j++) {
        const rj = j * n;
        let s = 0;
        for (let k = i; k < n; k++) s += V[ri + k]! * V[rj + k]!;
        R[ri + j] = s;
        R[rj + i] = s;
      }
    }
    if (i1 - i0 === BLOCK) {
      const v0 = i0 * n;
      const v1 = v0 + n;
      const v2 = v1 + n;
      const v3 = v2 + n;
      for (let j = 0; j < i0; j++) {
        const rj = j * n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = i0; k < n; k++) {
          const Vjk = V[rj + k]!;
          s0 += V[v0 + k]! * Vjk;
          s1 += V[v1 + k]! * Vjk;
          s2 += V[v2 + k]! * Vjk;
          s3 += V[v3 + k]! * Vjk;
        }
        R[v0 + j] = s0;
        R[v1 + j] = s1;
        R[v2 + j] = s2;
        R[v3 + j] = s3;
        R[rj + i0] = s0;
        R[rj + i0 + 1] = s1;
        R[rj + i0 + 2] = s2;
        R[rj + i0 + 3] = s3;
      }
    } else {
      for (let i = i0; i < i1; i++) {
        const ri = i * n;
        for (let j = 0; j < i0; j++) {
          const rj = j * n;
          let s = 0;
          for (let k = i; k < n; k++) s += V[ri + k]! * V[rj + k]!;
          R[ri + j] = s;
          R[rj + i] = s;
        }
      }
    }
  }
}
