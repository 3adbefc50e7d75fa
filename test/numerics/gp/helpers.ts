/** Shared fixtures, builders and comparisons for the GP tests. */
import { readFileSync } from "node:fs";
import type { GpHyperparameters, OutcomeTransform } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";

/** One case of test/fixtures/gp-reference.json (scripts/fixtures/gp-reference.py); row-major lists. */
export interface GpCase {
  name: string;
  n: number;
  d: number;
  m: number;
  X: number[];
  Y: number[];
  Yvar: number[] | null;
  Xstar: number[];
  hyperparameters: GpHyperparameters;
  transform: OutcomeTransform;
  includeNoise: boolean;
  lml: number;
  /** ∂LML/∂[log s², log ℓ₁…ℓ_d (, log σ²)], sklearn's theta order. */
  lmlGradient: number[];
  mean: number[];
  variance: number[];
  covariance: number[];
  cond: number;
}

export const gpReference = JSON.parse(
  readFileSync(new URL("../../fixtures/gp-reference.json", import.meta.url), "utf8"),
) as { cases: GpCase[] };

export const F = (values: ArrayLike<number>) => Float64Array.from(values);

/** max|a − b| / max|b|. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    num = Math.max(num, Math.abs(actual[i]! - expected[i]!));
    den = Math.max(den, Math.abs(expected[i]!));
  }
  return den === 0 ? num : num / den;
}

/** Central finite-difference gradient of f at x with step h. */
export function finiteDifference(f: (x: Float64Array) => number, x: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[i]! += h;
    xm[i]! -= h;
    g[i] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}

/** n×d uniform points in the unit cube. */
export function uniformPoints(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * d }, () => rng.next());
}

/** n evenly spaced points of [0, 1] (a 1-D design). */
export function grid(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i / (n - 1));
}

/**
 * Tolerance of every comparison with the sklearn fixtures (normwise relative): max(1e-13, 10·ε·cond(K + D)),
 * the forward-error scale of a Cholesky-based solve. Observed errors are 0.001–0.1 of it: ≤ 1.3e-14 for
 * the well-conditioned cases (cond ≤ 2e3), ≤ 1.3e-11 for the noiseless case (cond 8e5, tolerance 1.8e-9).
 */
export function fixtureTolerance(cond: number): number {
  return Math.max(1e-13, 10 * Number.EPSILON * cond);
}
