import { describe, expect, it } from "vitest";
import {
  matern52Cross,
  matern52CrossGradient,
  matern52DLogLengthscale,
  matern52LengthscaleTraces,
  matern52Matrix,
  scaleInputs,
} from "../../../src/numerics/gp/index.js";
import { finiteDifference, relativeError, uniformPoints } from "./helpers.js";

const d = 3;
const n = 9;
const X = uniformPoints(n, d, 1);
const ell = [0.3, 0.7, 1.4];
const s2 = 1.7;

/** k(x, x') written directly from the formula. */
function reference(x: ArrayLike<number>, y: ArrayLike<number>, lengthscales: number[], outputscale: number) {
  let r2 = 0;
  for (let i = 0; i < lengthscales.length; i++) r2 += ((x[i]! - y[i]!) / lengthscales[i]!) ** 2;
  const r = Math.sqrt(r2);
  return outputscale * (1 + Math.sqrt(5) * r + (5 / 3) * r2) * Math.exp(-Math.sqrt(5) * r);
}

const row = (A: Float64Array, i: number) => A.subarray(i * d, (i + 1) * d);

describe("Matérn-5/2 kernel", () => {
  it("builds K and the cross-covariance from the formula (relative error ≤ 1e-15)", () => {
    const K = matern52Matrix(X, n, d, ell, s2);
    const Xs = uniformPoints(4, d, 2);
    const C = matern52Cross(Xs, 4, X, n, d, ell, s2);
    for (let a = 0; a < n; a++) {
      expect(K[a * n + a]).toBe(s2);
      for (let b = 0; b < n; b++) {
        expect(K[a * n + b]).toBe(K[b * n + a]);
        expect(Math.abs(K[a * n + b]! - reference(row(X, a), row(X, b), ell, s2))).toBeLessThan(1e-15 * s2);
      }
    }
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < n; b++) {
        expect(Math.abs(C[a * n + b]! - reference(row(Xs, a), row(X, b), ell, s2))).toBeLessThan(1e-15 * s2);
      }
    }
  });

  it("∂K/∂log ℓᵢ matches central differences (relative error ≤ 1e-8)", () => {
    for (let i = 0; i < d; i++) {
      const D = matern52DLogLengthscale(X, n, d, ell, s2, i);
      const at = (t: number) => {
        const l = [...ell];
        l[i] = Math.exp(Math.log(ell[i]!) + t);
        return matern52Matrix(X, n, d, l, s2);
      };
      const h = 1e-5;
      const Kp = at(h);
      const Km = at(-h);
      const fd = Kp.map((v, j) => (v - Km[j]!) / (2 * h));
      expect(relativeError(D, fd)).toBeLessThan(1e-8);
    }
  });

  it("contracts ½ Σ W ∘ ∂K/∂log ℓᵢ without forming ∂K (relative error ≤ 1e-13)", () => {
    const W = matern52Matrix(uniformPoints(n, 2, 5), n, 2, [0.5, 0.5], 1); // any symmetric matrix
    const traces = matern52LengthscaleTraces(scaleInputs(X, n, d, ell), n, d, s2, W);
    for (let i = 0; i < d; i++) {
      const D = matern52DLogLengthscale(X, n, d, ell, s2, i);
      let t = 0;
      for (let j = 0; j < n * n; j++) t += 0.5 * W[j]! * D[j]!;
      expect(Math.abs(traces[i]! - t)).toBeLessThan(1e-13 * Math.abs(t));
    }
  });

  it("∂k(x, X)/∂x matches central differences, also at a training point (abs error ≤ 1e-8)", () => {
    for (const x of [Float64Array.from([0.4, 0.55, 0.1]), Float64Array.from(row(X, 3))]) {
      const { k, dk } = matern52CrossGradient(x, X, n, d, ell, s2);
      expect(relativeError(k, matern52Cross(x, 1, X, n, d, ell, s2))).toBeLessThan(1e-15);
      for (let j = 0; j < n; j++) {
        const fd = finiteDifference((y) => matern52Cross(y, 1, X, n, d, ell, s2)[j]!, x);
        for (let i = 0; i < d; i++) expect(Math.abs(dk[j * d + i]! - fd[i]!)).toBeLessThan(1e-8);
      }
    }
  });
});
