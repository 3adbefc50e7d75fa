import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import {
  cholesky,
  choleskyInverse,
  choleskySolve,
  choleskySolveInPlace,
  logDetFromCholesky,
  matMul,
  solveLowerTriangular,
  solveLowerTriangularInPlace,
  solveUpperTriangularTransposed,
  solveUpperTriangularTransposedInPlace,
} from "../../../src/numerics/linalg/index.js";
import { linalgReference, randomGram, relativeError } from "./helpers.js";

const EPS = Number.EPSILON;
const cases = linalgReference.cases.map((c) => [c.name, c] as const);
const F = (values: number[]) => Float64Array.from(values);

/**
 * Tolerances (normwise relative, max|x − x_ref|/max|x_ref|): 1e-12 where the problem is well conditioned
 * (all observed errors ≤ 1.1e-15), otherwise 10·κ·ε with κ the condition number of what is solved:
 * √cond(A) for triangular solves with L, cond(A) for A⁻¹ (observed 2.9e-7 at cond(A) = 1.7e10, against
 * a bound of 3.7e-5).
 */
const tolerance = (kappa: number) => Math.max(1e-12, 10 * kappa * EPS);

describe("triangular solves against scipy.linalg.solve_triangular", () => {
  it.each(cases)("%s: L⁻¹B and L⁻¹b", (_name, c) => {
    const L = F(c.L);
    const tol = tolerance(Math.sqrt(c.cond));
    expect(relativeError(solveLowerTriangular(L, c.n, F(c.B), c.nrhs), c.lowerSolveB)).toBeLessThanOrEqual(
      tol,
    );
    expect(relativeError(solveLowerTriangular(L, c.n, F(c.b)), c.lowerSolveb)).toBeLessThanOrEqual(tol);
  });

  it.each(cases)("%s: L⁻ᵀB and L⁻ᵀb", (_name, c) => {
    const L = F(c.L);
    const tol = tolerance(Math.sqrt(c.cond));
    const X = solveUpperTriangularTransposed(L, c.n, F(c.B), c.nrhs);
    expect(relativeError(X, c.upperTSolveB)).toBeLessThanOrEqual(tol);
    expect(relativeError(solveUpperTriangularTransposed(L, c.n, F(c.b)), c.upperTSolveb)).toBeLessThanOrEqual(
      tol,
    );
  });

  it("solves each column of a multi-right-hand-side B exactly as the single-vector path does", () => {
    const n = 23;
    const k = 4;
    const { L } = cholesky(randomGram(n, n, 8, 0.3), n);
    const B = Float64Array.from({ length: n * k }, (_, i) => Math.sin(1.7 * i + 0.3));
    const lower = solveLowerTriangular(L, n, B, k);
    const upper = solveUpperTriangularTransposed(L, n, B, k);
    for (let c = 0; c < k; c++) {
      const column = Float64Array.from({ length: n }, (_, i) => B[i * k + c]!);
      const lowerColumn = solveLowerTriangular(L, n, column);
      const upperColumn = solveUpperTriangularTransposed(L, n, column);
      for (let i = 0; i < n; i++) {
        expect(lower[i * k + c]).toBe(lowerColumn[i]);
        expect(upper[i * k + c]).toBe(upperColumn[i]);
      }
    }
  });

  it("in-place variants overwrite B with the solution; copying variants leave B alone", () => {
    const n = 9;
    const { L } = cholesky(randomGram(n, n, 2, 0.5), n);
    const b = Float64Array.from({ length: n }, (_, i) => i - 4);
    const before = b.slice();
    const x = solveLowerTriangular(L, n, b);
    expect(b).toEqual(before);
    solveLowerTriangularInPlace(L, n, b);
    expect(b).toEqual(x);
    const y = solveUpperTriangularTransposed(L, n, before);
    const c = before.slice();
    solveUpperTriangularTransposedInPlace(L, n, c);
    expect(c).toEqual(y);
  });

  it("throws NumericalError on shape mismatches", () => {
    const L = Float64Array.of(1, 0, 0, 1);
    expect(() => solveLowerTriangular(L, 2, new Float64Array(3))).toThrow(NumericalError);
    expect(() => solveUpperTriangularTransposed(L, 2, new Float64Array(4), 3)).toThrow(/2×3/);
    expect(() => choleskySolve(L, 3, new Float64Array(3))).toThrow(NumericalError);
  });
});

describe("choleskySolve, logDetFromCholesky and choleskyInverse against scipy/numpy", () => {
  it.each(cases)("%s: A⁻¹B, A⁻¹b", (_name, c) => {
    const { L } = cholesky(F(c.A), c.n);
    const tol = tolerance(c.cond);
    expect(relativeError(choleskySolve(L, c.n, F(c.B), c.nrhs), c.solveB)).toBeLessThanOrEqual(tol);
    expect(relativeError(choleskySolve(L, c.n, F(c.b)), c.solveb)).toBeLessThanOrEqual(tol);
  });

  it.each(cases)("%s: log det A (numpy.linalg.slogdet)", (_name, c) => {
    const { L } = cholesky(F(c.A), c.n);
    const logDet = logDetFromCholesky(L, c.n);
    expect(Math.abs(logDet - c.logDet)).toBeLessThanOrEqual(
      tolerance(c.cond) * Math.max(1, Math.abs(c.logDet)),
    );
  });

  it.each(cases)("%s: A⁻¹ (numpy.linalg.inv), exactly symmetric", (_name, c) => {
    const { L } = cholesky(F(c.A), c.n);
    const inverse = choleskyInverse(L, c.n);
    expect(relativeError(inverse, c.inverse)).toBeLessThanOrEqual(tolerance(c.cond));
    for (let i = 0; i < c.n; i++) {
      for (let j = 0; j < i; j++) expect(inverse[i * c.n + j]).toBe(inverse[j * c.n + i]);
    }
  });

  it.each([1, 2, 3, 4, 5, 7, 8, 13, 40])(
    "A·A⁻¹ = I and A·(A⁻¹B) = B for a random SPD matrix of order %i",
    (n) => {
      const A = randomGram(n, n + 3, 100 + n, 0.2);
      const { L } = cholesky(A, n);
      const identity = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
      expect(relativeError(matMul(A, choleskyInverse(L, n), n, n, n), identity)).toBeLessThanOrEqual(1e-13);
      const B = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i + 1));
      const X = B.slice();
      choleskySolveInPlace(L, n, X, 2);
      expect(relativeError(matMul(A, X, n, n, 2), B)).toBeLessThanOrEqual(1e-13);
    },
  );

  it("choleskyInverse may write over L", () => {
    const n = 10;
    const { L } = cholesky(randomGram(n, n, 4, 0.4), n);
    const expected = choleskyInverse(L, n);
    expect(choleskyInverse(L, n, L)).toBe(L);
    expect(L).toEqual(expected);
  });

  it.each([3, 4, 5, 6, 7, 8, 9, 13, 33])(
    "choleskyInverse, n = %i: every blocking remainder, a dirty out buffer and in place agree with A⁻¹ = solve(A, I)",
    (n) => {
      const { L } = cholesky(randomGram(n, n, 3, 0.5), n);
      const identity = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
      const expected = choleskySolve(L, n, identity, n);
      const out = new Float64Array(n * n).fill(Number.NaN);
      const inverse = choleskyInverse(L, n, out);
      expect(relativeError(inverse, expected)).toBeLessThanOrEqual(1e-12);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++) expect(inverse[j * n + i]).toBe(inverse[i * n + j]);
      const inPlace = L.slice();
      choleskyInverse(inPlace, n, inPlace);
      expect(inPlace).toEqual(inverse);
    },
  );
});
