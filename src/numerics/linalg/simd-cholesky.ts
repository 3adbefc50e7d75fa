/**
 * The Cholesky factorization and the inverse from it, as in cholesky.ts and cholesky-solve.ts, with their
 * long inner loops (four rows against two, O(n³) in all) run by the WebAssembly {@link SimdDotKernel}:
 * about twice as fast from a few hundred rows on. The matrix lives in the kernel's memory. The sums of
 * the kernel add even and odd terms separately, so the results agree with the TypeScript routines to
 * rounding, not bit for bit.
 */
import { factorRows } from "./cholesky.js";
import { gramRows, invertLastColumnOfBlock, invertRows } from "./cholesky-solve.js";
import type { SimdDotKernel } from "./simd-dot-kernel.js";
import { simdForwardSolveFourRows } from "./simd-triangular-solve.js";

const BLOCK = 4;

/**
 * {@link choleskyInPlace} on the n×n matrix at the start of `kernel.matrix`: overwrites its lower
 * triangle with L (A = L·Lᵀ) and zeroes the strict upper triangle.
 *
 * @returns false when a pivot is not strictly positive (the contents are then partly overwritten).
 */
export function simdCholeskyInPlace(kernel: SimdDotKernel, n: number): boolean {
  const A = kernel.matrix;
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    simdForwardSolveFourRows(kernel, n, i0 * n, i0);
    if (!factorRows(A, n, i0, i0 + BLOCK, i0)) return false;
  }
  if (!factorRows(A, n, i0, n, 0)) return false;
  for (let i = 0; i < n; i++) A.fill(0, i * n + i + 1, (i + 1) * n);
  return true;
}

/**
 * Lower triangle and diagonal of A⁻¹ = L⁻ᵀ·L⁻¹ in place of the lower-triangular L at the start of
 * `kernel.matrix` ({@link choleskyInverse} with `mirror: false`): the upper triangle is left with
 * leftovers of L⁻ᵀ.
 */
export function simdCholeskyInverseLower(kernel: SimdDotKernel, n: number): void {
  const L = kernel.matrix;
  const invDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) invDiagonal[i] = 1 / L[i * n + i]!;
  invertTransposeIntoUpper(kernel, n, invDiagonal);
  gramIntoLower(kernel, n);
}

/**
 * V = L⁻ᵀ into the upper triangle, as the TypeScript `invertTransposeIntoUpper` (same blocking, same
 * zeroed diagonal blocks), the sums over k of each full block by the kernel.
 */
function invertTransposeIntoUpper(kernel: SimdDotKernel, n: number, invDiagonal: Float64Array): void {
  const V = kernel.matrix;
  const L = V;
  const s = kernel.sums;
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
      kernel.dot4x2(v0 + j0, v1 + j0, v2 + j0, v3 + j0, ra + j0, rb + j0, i - j0);
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
  invertRows(L, V, n, invDiagonal, j0, n, n);
}

/** Lower triangle of R ← V·Vᵀ in place, as the TypeScript `gramIntoLower`, block sums by the kernel. */
function gramIntoLower(kernel: SimdDotKernel, n: number): void {
  const R = kernel.matrix;
  const s = kernel.sums;
  let i0 = 0;
  for (; i0 + BLOCK <= n; i0 += BLOCK) {
    const v0 = i0 * n;
    const v1 = v0 + n;
    const v2 = v1 + n;
    const v3 = v2 + n;
    for (let j = 0; j < i0; j += 2) {
      const ra = j * n;
      const rb = ra + n;
      kernel.dot4x2(v0 + i0, v1 + i0, v2 + i0, v3 + i0, ra + i0, rb + i0, n - i0);
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
