/** Shared builders and comparisons for the linalg tests. */
import { readFileSync } from "node:fs";
import { Rng } from "../../../src/util/rng.js";

/** One case of test/fixtures/linalg-reference.json (scripts/fixtures/linalg-reference.py); row-major lists. */
export interface LinalgCase {
  name: string;
  n: number;
  nrhs: number;
  cond: number;
  A: number[];
  L: number[];
  B: number[];
  b: number[];
  lowerSolveB: number[];
  lowerSolveb: number[];
  upperTSolveB: number[];
  upperTSolveb: number[];
  solveB: number[];
  solveb: number[];
  logDet: number;
  inverse: number[];
}

export const linalgReference = JSON.parse(
  readFileSync(new URL("../../fixtures/linalg-reference.json", import.meta.url), "utf8"),
) as { cases: LinalgCase[] };

/** max|a − b| / max|b|: normwise relative error, robust to entries that are zero in the reference. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** L·Lᵀ for an n×n row-major L (reading only its lower triangle). */
export function lowerTimesTranspose(L: Float64Array, n: number): Float64Array {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k <= Math.min(i, j); k++) s += L[i * n + k]! * L[j * n + k]!;
      A[i * n + j] = s;
    }
  }
  return A;
}

/** G·Gᵀ/m + shift·I with G n×m standard normal: SPD for shift > 0, rank min(n, m) for shift 0. */
export function randomGram(n: number, m: number, seed: number, shift: number): Float64Array {
  const rng = new Rng(seed);
  const G = Float64Array.from({ length: n * m }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < m; c++) s += G[i * m + c]! * G[j * m + c]!;
      A[i * n + j] = s / m + (i === j ? shift : 0);
      A[j * n + i] = A[i * n + j]!;
    }
  }
  return A;
}

/** Squared-exponential kernel matrix on the rows of X (n×d), lengthscale ℓ, plus noise·I. */
export function rbfKernel(
  X: Float64Array,
  n: number,
  d: number,
  lengthscale: number,
  noise = 0,
): Float64Array {
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const t = X[i * d + c]! - X[j * d + c]!;
        s += t * t;
      }
      K[i * n + j] = Math.exp((-0.5 * s) / (lengthscale * lengthscale)) + (i === j ? noise : 0);
    }
  }
  return K;
}

/** Uniform points in [0, 1)^d, n×d row-major. */
export function uniformPoints(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * d }, () => rng.next());
}
