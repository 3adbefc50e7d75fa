/**
 * Variance-based (Sobol) sensitivity indices of a function on the unit cube, estimated from one
 * scrambled Sobol sequence by the Saltelli scheme: matrices A and B (N×d each, the two halves of a
 * 2d-dimensional sequence) and, for each input i, A with column i taken from B (AB⁽ⁱ⁾), N·(d + 2)
 * evaluations in all. Estimators (Saltelli et al. 2010, Table 2):
 *   first order  Sᵢ  = (1/N) Σⱼ f(B)ⱼ (f(AB⁽ⁱ⁾)ⱼ − f(A)ⱼ) / V,
 *   total        STᵢ = (1/2N) Σⱼ (f(A)ⱼ − f(AB⁽ⁱ⁾)ⱼ)² / V    (Jansen 1999),
 * with V the variance of f over the 2N points of A and B.
 */
import { ModelFittingError } from "../../errors.js";
import { SobolEngine } from "../sobol/index.js";

/** Evaluates a function at the m rows of U (m×d, row-major, unit cube); returns m values. */
export type BatchFunction = (U: Float64Array, m: number) => Float64Array;

/** Options of {@link sobolIndices}. */
export interface SobolIndicesOptions {
  /** N, the rows of A and B (a power of two keeps the Sobol set balanced); default 1024. */
  samples?: number;
  /** Seed of the sequence's scrambling; default 0. */
  seed?: number;
}

/** Sobol indices of each input, in input order. */
export interface SobolIndices {
  /** First-order indices Sᵢ (the share of variance explained by input i alone), length d. */
  first: Float64Array;
  /** Total indices STᵢ (the share involving input i, interactions included), length d. */
  total: Float64Array;
  /** The estimated variance V of f; 0 for a constant function, whose indices are then all 0. */
  variance: number;
  /** Function evaluations made, N·(d + 2). */
  evaluations: number;
}

/**
 * Sobol first-order and total indices of `f` over the uniform distribution on [0, 1]^d.
 * The estimates are unbiased up to quasi-Monte-Carlo error (about 1/N for smooth f); a first-order
 * estimate can be slightly negative, or a total one slightly above 1, from that error.
 *
 * @param f evaluated once, on all N·(d + 2) rows at once.
 * @throws RangeError when d is not an integer in 1..10,000 or `samples` is not a positive integer;
 *   ModelFittingError when f returns the wrong number of values or a non-finite one.
 * @example
 * const { total } = sobolIndices((U, m) => Float64Array.from({ length: m }, (_, j) => U[j * 2]!), 2);
 * // total ≈ [1, 0]
 */
export function sobolIndices(f: BatchFunction, d: number, options: SobolIndicesOptions = {}): SobolIndices {
  const N = options.samples ?? 1024;
  if (!Number.isInteger(d) || d < 1 || d > 10_000) {
    throw new RangeError(`sobolIndices: d must be an integer in 1..10000, got ${d}`);
  }
  if (!Number.isInteger(N) || N < 1) {
    throw new RangeError(`sobolIndices: samples must be a positive integer, got ${N}`);
  }
  const U = saltelliDesign(N, d, options.seed ?? 0);
  const m = N * (d + 2);
  const values = f(U, m);
  if (values.length !== m || !values.every(Number.isFinite)) {
    throw new ModelFittingError(
      `sobolIndices: the function must return ${m} finite values, got ${values.length}` +
        `${values.every(Number.isFinite) ? "" : " with a non-finite one"}`,
    );
  }
  return estimate(values, N, d);
}

/**
 * The N·(d + 2) rows [A; B; AB⁽¹⁾; …; AB⁽ᵈ⁾], each block N×d, from one 2d-dimensional scrambled Sobol
 * sequence (A its first d coordinates, B its last d).
 */
export function saltelliDesign(N: number, d: number, seed: number): Float64Array {
  const base = new SobolEngine({ dimension: 2 * d, scramble: true, seed }).draw(N);
  const U = new Float64Array(N * (d + 2) * d);
  for (let j = 0; j < N; j++) {
    for (let k = 0; k < d; k++) {
      const a = base[j * 2 * d + k]!;
      const b = base[j * 2 * d + d + k]!;
      U[j * d + k] = a;
      U[(N + j) * d + k] = b;
      for (let i = 0; i < d; i++) U[((2 + i) * N + j) * d + k] = k === i ? b : a;
    }
  }
  return U;
}

function estimate(values: Float64Array, N: number, d: number): SobolIndices {
  let mean = 0;
  for (let j = 0; j < 2 * N; j++) mean += values[j]!;
  mean /= 2 * N;
  let variance = 0;
  for (let j = 0; j < 2 * N; j++) variance += (values[j]! - mean) ** 2;
  variance /= 2 * N;
  const first = new Float64Array(d);
  const total = new Float64Array(d);
  // A function constant to rounding explains nothing: indices 0 rather than noise over noise.
  if (!(variance > 1e-14 * Math.max(1, mean * mean))) {
    return { first, total, variance: 0, evaluations: values.length };
  }
  for (let i = 0; i < d; i++) {
    let s = 0;
    let t = 0;
    const offset = (2 + i) * N;
    for (let j = 0; j < N; j++) {
      const fa = values[j]!;
      const fb = values[N + j]!;
      const fab = values[offset + j]!;
      s += fb * (fab - fa);
      t += (fa - fab) ** 2;
    }
    first[i] = s / N / variance;
    total[i] = t / (2 * N) / variance;
  }
  return { first, total, variance, evaluations: values.length };
}
