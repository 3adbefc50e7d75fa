import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { cholesky, choleskyInPlace } from "../../../src/numerics/linalg/index.js";
import {
  linalgReference,
  lowerTimesTranspose,
  randomGram,
  rbfKernel,
  relativeError,
  uniformPoints,
} from "./helpers.js";

const EPS = Number.EPSILON;

describe("cholesky against scipy.linalg.cholesky", () => {
  // Forward error of L is bounded by about cond(A)·ε; 1e-12 for the well-conditioned cases (observed
  // ≤ 3e-16), 10·cond·ε for the kernel and nearly singular ones (observed 9e-15 at cond 1e4, 6e-9 at 2e10).
  it.each(linalgReference.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const A = Float64Array.from(c.A);
    const { L, jitter } = cholesky(A, c.n);
    expect(jitter).toBe(0);
    expect(relativeError(L, c.L)).toBeLessThanOrEqual(Math.max(1e-12, 10 * c.cond * EPS));
    // Backward error is small whatever the conditioning.
    expect(relativeError(lowerTimesTranspose(L, c.n), A)).toBeLessThanOrEqual(1e-14);
    expect(Array.from(A)).toEqual(c.A);
  });
});

describe("choleskyInPlace", () => {
  it.each([1, 3, 4, 5, 8, 31, 64, 97])(
    "factors a random SPD matrix of order %i with L·Lᵀ = A and a zero upper triangle",
    (n) => {
      const A = randomGram(n, n + 2, n, 0.1);
      const L = A.slice();
      expect(choleskyInPlace(L, n)).toBe(true);
      expect(relativeError(lowerTimesTranspose(L, n), A)).toBeLessThanOrEqual(1e-14);
      for (let i = 0; i < n; i++) {
        expect(L[i * n + i]!).toBeGreaterThan(0);
        for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
      }
    },
  );

  it("reads only the lower triangle", () => {
    const n = 6;
    const A = randomGram(n, 8, 11, 0.5);
    const garbled = A.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) garbled[i * n + j] = 1e6 * (i - j);
    expect(choleskyInPlace(A, n)).toBe(true);
    expect(choleskyInPlace(garbled, n)).toBe(true);
    expect(Array.from(garbled)).toEqual(Array.from(A));
  });

  it("returns false on an indefinite matrix and on NaN", () => {
    expect(choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.of(-1), 1)).toBe(false);
    expect(choleskyInPlace(Float64Array.of(1, 0, Number.NaN, 1), 2)).toBe(false);
  });

  it("accepts n = 0 and rejects a buffer of the wrong size", () => {
    expect(choleskyInPlace(new Float64Array(0), 0)).toBe(true);
    expect(() => choleskyInPlace(new Float64Array(5), 2)).toThrow(NumericalError);
  });
});

describe("cholesky jitter escalation", () => {
  it("adds positive jitter to a rank-deficient PSD kernel matrix (duplicated points)", () => {
    const d = 2;
    const X = uniformPoints(12, d, 5);
    X.copyWithin(6 * d, 0, 6 * d); // rows 6..11 repeat rows 0..5: an exactly zero pivot at row 6
    const K = rbfKernel(X, 12, d, 0.4);
    const { L, jitter } = cholesky(K, 12);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThanOrEqual(1e-2); // mean(diag(K)) = 1
    const Kj = K.slice();
    for (let i = 0; i < 12; i++) Kj[i * 12 + i]! += jitter;
    expect(relativeError(lowerTimesTranspose(L, 12), Kj)).toBeLessThanOrEqual(1e-14);
  });

  it("escalates by factors of 10 from 1e-8·mean(diag(A))", () => {
    const n = 5;
    const A = new Float64Array(n * n).fill(3); // 3·𝟙𝟙ᵀ: rank one, mean diagonal 3
    const { jitter } = cholesky(A, n);
    expect(jitter).toBeCloseTo(3e-8, 20);
    expect(cholesky(A, n, { initialRelativeJitter: 1e-4 }).jitter).toBeCloseTo(3e-4, 16);
    expect(cholesky(A, n, { jitterScale: 1 }).jitter).toBeCloseTo(1e-8, 20);
  });

  it("throws NumericalError on an indefinite matrix, naming the size and the largest jitter", () => {
    const A = Float64Array.of(1, 2, 2, 1); // eigenvalues −1 and 3
    expect(() => cholesky(A, 2)).toThrow(NumericalError);
    expect(() => cholesky(A, 2)).toThrow(/2×2 matrix is not positive definite.*1\.000e-2/);
  });

  it("gives up at maxRelativeJitter", () => {
    const A = Float64Array.of(1, 0, 0, -1e-3); // needs jitter > 1e-3·mean(diag) ≈ 5e-4
    expect(() => cholesky(A, 2, { maxRelativeJitter: 1e-4 })).toThrow(NumericalError);
    expect(cholesky(A, 2).jitter).toBeGreaterThan(1e-3);
  });

  it("rejects non-finite entries and bad options with NumericalError", () => {
    expect(() => cholesky(Float64Array.of(1, 0, Number.POSITIVE_INFINITY, 1), 2)).toThrow(
      /non-finite entry Infinity at \(1, 0\)/,
    );
    expect(() => cholesky(Float64Array.of(1), 1, { jitterGrowth: 1 })).toThrow(NumericalError);
    expect(() => cholesky(Float64Array.of(1, 0, 0, 1), 2, { out: new Float64Array(3) })).toThrow(
      NumericalError,
    );
    const A = Float64Array.of(4);
    expect(() => cholesky(A, 1, { out: A })).toThrow(/must not be A/);
  });

  it("writes into options.out when given", () => {
    const A = randomGram(7, 9, 3, 0.2);
    const out = new Float64Array(49).fill(Number.NaN);
    const { L } = cholesky(A, 7, { out });
    expect(L).toBe(out);
    expect(relativeError(lowerTimesTranspose(out, 7), A)).toBeLessThanOrEqual(1e-14);
  });
});
