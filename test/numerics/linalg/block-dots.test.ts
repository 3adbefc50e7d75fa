import { describe, expect, it } from "vitest";
import {
  backSolveUnrolled,
  choleskyInPlace,
  forwardSolveUnrolled,
  ScalarDots,
  smallCholeskyInPlace,
  smallCholeskySolveInPlace,
  solveLowerRows,
  solveLowerTriangular,
  solveUpperTriangularTransposed,
} from "../../../src/numerics/linalg/index.js";
import { lowerTimesTranspose, randomGram, relativeError } from "./helpers.js";

function factor(n: number, seed: number): Float64Array {
  const L = randomGram(n, n + 2, seed, 0.1);
  expect(choleskyInPlace(L, n)).toBe(true);
  return L;
}

describe("ScalarDots.dot4x2", () => {
  it.each([0, 1, 2, 7, 64])("gives the eight sequential sums of four rows with two (length %i)", (len) => {
    const M = Float64Array.from({ length: 6 * 70 }, (_, i) => Math.sin(1.3 * i + 0.1));
    const dots = new ScalarDots(M);
    const rows = [0, 70, 140, 210, 280, 350];
    dots.dot4x2(rows[0]!, rows[1]!, rows[2]!, rows[3]!, rows[4]!, rows[5]!, len);
    for (let c = 0; c < 2; c++) {
      for (let r = 0; r < 4; r++) {
        let s = 0;
        for (let k = 0; k < len; k++) s += M[rows[r]! + k]! * M[rows[4 + c]! + k]!;
        // The same additions in the same order: equal to the last bit.
        expect(dots.sums[4 * c + r]).toBe(s);
      }
    }
  });
});

describe("solveLowerRows with ScalarDots", () => {
  it.each([
    [1, 1],
    [6, 4],
    [7, 9],
    [33, 16],
  ])("solves L·v = b for each stored row like solveLowerTriangular (order %i, %i rows)", (n, mb) => {
    const L = factor(n, 5 * n);
    const M = new Float64Array(n * n + mb * n);
    M.set(L);
    const B = Float64Array.from({ length: mb * n }, (_, i) => Math.cos(0.37 * i));
    M.set(B, n * n);
    solveLowerRows(new ScalarDots(M), n, n * n, mb);
    for (let r = 0; r < mb; r++) {
      const expected = solveLowerTriangular(L, n, B.slice(r * n, (r + 1) * n));
      expect(relativeError(M.slice(n * n + r * n, n * n + (r + 1) * n), expected)).toBeLessThanOrEqual(1e-12);
    }
  });
});

describe("unrolled single-vector solves at offsets", () => {
  it.each([1, 3, 4, 5, 17, 40])("agree with the triangular solves (order %i)", (n) => {
    const L = factor(n, 11 * n);
    const b = Float64Array.from({ length: n }, (_, i) => Math.cos(1.1 * i));
    // L at offset 3 and Lᵀ at offset 3 + n² of one buffer, the vector at offset 2 of another.
    const M = new Float64Array(3 + 2 * n * n);
    M.set(L, 3);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) M[3 + n * n + j * n + i] = L[i * n + j]!;
    const v = new Float64Array(n + 2);
    v.set(b, 2);
    forwardSolveUnrolled(M, 3, n, v, 2);
    const forward = solveLowerTriangular(L, n, b);
    expect(relativeError(v.subarray(2), forward)).toBeLessThanOrEqual(1e-13);
    backSolveUnrolled(M, 3 + n * n, n, v, 2);
    expect(relativeError(v.subarray(2), solveUpperTriangularTransposed(L, n, forward))).toBeLessThanOrEqual(
      1e-13,
    );
  });
});

describe("smallCholeskyInPlace and smallCholeskySolveInPlace", () => {
  it.each([1, 2, 5, 12])("factor and solve an SPD system, upper triangle untouched (order %i)", (n) => {
    const A = randomGram(n, n + 3, n, 0.2);
    const F = A.slice();
    expect(smallCholeskyInPlace(F, n)).toBe(true);
    const L = F.map((v, i) => (i % n > Math.floor(i / n) ? 0 : v));
    expect(relativeError(lowerTimesTranspose(L, n), A)).toBeLessThanOrEqual(1e-14);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(F[i * n + j]).toBe(A[i * n + j]);
    const x = Float64Array.from({ length: n }, (_, i) => i - 1.5);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i]! += A[i * n + j]! * x[j]!;
    smallCholeskySolveInPlace(F, n, b);
    expect(relativeError(b, x)).toBeLessThanOrEqual(1e-12);
  });

  it("reports a non-positive, a NaN and an infinite pivot instead of throwing", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const A = randomGram(4, 6, 2, 0.1);
      A[2 * 4 + 2] = bad;
      expect(smallCholeskyInPlace(A, 4)).toBe(false);
    }
  });
});
