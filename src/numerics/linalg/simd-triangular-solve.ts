/**
 * Forward substitution for many right-hand sides with the WebAssembly {@link SimdDotKernel}: what a GP
 * posterior needs to score hundreds of points, V = L⁻¹K(X, X*), at about twice the speed of the
 * TypeScript solves. Agrees with them to rounding, not bit for bit (see simd-cholesky.ts).
 */
import type { SimdDotKernel } from "./simd-dot-kernel.js";

/**
 * L·vᵣ = bᵣ in place for mb right-hand sides stored as rows in the kernel's matrix: L is n×n at double
 * offset 0 (lower triangle read), the rows b₀ … b_{mb−1} (length n each) follow one another from double
 * offset `rows`. Four right-hand sides go against two rows of L at a time, as in the factorization.
 */
export function simdSolveLowerRows(kernel: SimdDotKernel, n: number, rows: number, mb: number): void {
  const M = kernel.matrix;
  const s = kernel.sums;
  let r = 0;
  for (; r + 3 < mb; r += 4) {
    const r0 = rows + r * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const j = n - (n % 2);
    simdForwardSolveFourRows(kernel, n, r0, j);
    if (j < n) {
      // The last row of an odd order: the kernel's second row is unused (the same row again).
      const rj = j * n;
      kernel.dot4x2(r0, r1, r2, r3, rj, rj, j);
      const Ljj = M[rj + j]!;
      M[r0 + j] = (M[r0 + j]! - s[0]!) / Ljj;
      M[r1 + j] = (M[r1 + j]! - s[1]!) / Ljj;
      M[r2 + j] = (M[r2 + j]! - s[2]!) / Ljj;
      M[r3 + j] = (M[r3 + j]! - s[3]!) / Ljj;
    }
  }
  for (; r < mb; r++) forwardSolve(M, n, rows + r * n);
}

/** L·v = b in place for the vector at double offset o of M (L at offset 0). */
function forwardSolve(M: Float64Array, n: number, o: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = M[o + i]!;
    for (let j = 0; j < i; j++) s -= M[ri + j]! * M[o + j]!;
    M[o + i] = s / M[ri + i]!;
  }
}

/**
 * {@link forwardSolveFourRows} in the kernel's memory: the four rows at double offsets r0, r0 + n,
 * r0 + 2n, r0 + 3n solved against L (at offset 0) for every column j < cols (cols even), the sums over k
 * by `dot4x2`. The rows may be L's own rows below `cols` (the off-diagonal block of the factorization).
 */
export function simdForwardSolveFourRows(kernel: SimdDotKernel, n: number, r0: number, cols: number): void {
  const M = kernel.matrix;
  const s = kernel.sums;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  for (let j = 0; j < cols; j += 2) {
    const rj = j * n;
    const rk = rj + n;
    kernel.dot4x2(r0, r1, r2, r3, rj, rk, j);
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
