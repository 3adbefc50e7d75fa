import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { cholesky, choleskyAppend } from "../../../src/numerics/linalg/index.js";
import { randomGram, rbfKernel, relativeError, uniformPoints } from "./helpers.js";

/** Splits an N×N matrix into the leading n×n block, the n×k block B and the trailing k×k block C. */
function blocks(A: Float64Array, N: number, n: number) {
  const k = N - n;
  const A11 = new Float64Array(n * n);
  const B = new Float64Array(n * k);
  const C = new Float64Array(k * k);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const a = A[i * N + j]!;
      if (i < n && j < n) A11[i * n + j] = a;
      else if (i < n) B[i * k + (j - n)] = a;
      else if (j >= n) C[(i - n) * k + (j - n)] = a;
    }
  }
  return { A11, B, C, k };
}

describe("choleskyAppend", () => {
  it.each([
    [30, 25],
    [30, 29],
    [12, 1],
    [9, 0],
    [7, 7],
  ])(
    "extending the factor of the leading block of a %i×%i SPD matrix (n = %i) equals refactoring it",
    (N, n) => {
      const A = randomGram(N, N + 1, N * 31 + n, 0.1);
      const { A11, B, C, k } = blocks(A, N, n);
      const { L: L11 } = cholesky(A11, n);
      const { L, jitter } = choleskyAppend(L11, n, B, C, k);
      expect(jitter).toBe(0);
      expect(relativeError(L, cholesky(A, N).L)).toBeLessThanOrEqual(1e-13);
    },
  );

  it("matches refactoring for a GP kernel with pending points", () => {
    const d = 3;
    const N = 40;
    const K = rbfKernel(uniformPoints(N, d, 77), N, d, 0.3, 1e-6);
    const { A11, B, C, k } = blocks(K, N, 34);
    const { L } = choleskyAppend(cholesky(A11, 34).L, 34, B, C, k);
    // Forward error of a factor of a matrix with cond ~ 1e5.
    expect(relativeError(L, cholesky(K, N).L)).toBeLessThanOrEqual(1e-10);
  });

  it("adds jitter to the new block only when a new point duplicates an old one", () => {
    const d = 2;
    const X = uniformPoints(8, d, 3);
    X.copyWithin(7 * d, 2 * d, 3 * d); // point 7 = point 2
    const K = rbfKernel(X, 8, d, 0.5);
    const { A11, B, C, k } = blocks(K, 8, 7);
    const { L, jitter } = choleskyAppend(cholesky(A11, 7).L, 7, B, C, k);
    expect(jitter).toBeGreaterThan(0);
    const Kj = K.slice();
    Kj[63]! += jitter;
    expect(relativeError(L, cholesky(Kj, 8).L)).toBeLessThanOrEqual(1e-6);
  });

  it("throws NumericalError when the bordered matrix is indefinite", () => {
    const L = Float64Array.of(1);
    expect(() => choleskyAppend(L, 1, Float64Array.of(2), Float64Array.of(1), 1)).toThrow(NumericalError);
    expect(() => choleskyAppend(L, 1, Float64Array.of(2), Float64Array.of(1), 1)).toThrow(
      /appending 1 row\(s\) to a 1×1 factor failed/,
    );
    expect(() => choleskyAppend(L, 1, new Float64Array(3), Float64Array.of(1), 1)).toThrow(NumericalError);
  });
});
