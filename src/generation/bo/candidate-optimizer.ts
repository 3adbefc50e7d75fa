import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import { type AcquisitionFunction, toMinimizationObjective } from "../../numerics/acquisition/index.js";
import { type LinearInequalities, multiStartMinimize } from "../../numerics/optim/index.js";
import { SobolEngine } from "../../numerics/sobol/index.js";
import { stackRows } from "./dataset-builder.js";

/** A unit-cube point and its acquisition value (larger is better). */
export interface RankedCandidate {
  readonly x: Float64Array;
  readonly value: number;
}

/** Options of {@link optimizeAcquisition}. */
export interface OptimizeAcquisitionOptions {
  acquisition: AcquisitionFunction;
  encoding: SearchSpaceEncoding;
  /** m×D start pool (see {@link drawRawSamples}), every row within the linear constraints. */
  rawSamples: Float64Array;
  /** How many of the best raw samples start a local optimization. */
  numStarts: number;
  /** L-BFGS-B iterations per start. */
  maxIterations: number;
}

/**
 * Scrambled Sobol points of the unit cube that satisfy the encoding's linear constraints, followed by
 * the `extra` points (observed arms) that do, so the pool is never empty once a feasible arm was seen.
 * @returns m×D, row-major.
 */
export function drawRawSamples(
  encoding: SearchSpaceEncoding,
  count: number,
  seed: number,
  extra: Float64Array,
): Float64Array {
  const D = encoding.dimension;
  const sobol = new SobolEngine({ dimension: D, scramble: true, seed }).draw(count);
  const rows: Float64Array[] = [];
  const take = (source: Float64Array, i: number) => {
    const x = source.slice(i * D, (i + 1) * D);
    if (encoding.satisfiesLinearConstraints(x)) rows.push(x);
  };
  for (let i = 0; i < count; i++) take(sobol, i);
  for (let i = 0; i < extra.length / D; i++) take(extra, i);
  return stackRows(rows, D);
}

/**
 * Maximizes an acquisition over the unit cube under the encoding's linear constraints: evaluates it on
 * the raw samples, runs bounded L-BFGS-B from the best `numStarts`, and returns every candidate best
 * first: the local optima, then the raw samples (fallbacks when an optimum decodes to an arm that cannot
 * be used).
 */
export function optimizeAcquisition(options: OptimizeAcquisitionOptions): RankedCandidate[] {
  const { acquisition, encoding, rawSamples } = options;
  const D = encoding.dimension;
  const m = rawSamples.length / D;
  const raw: RankedCandidate[] = [];
  for (let i = 0; i < m; i++) {
    const x = rawSamples.slice(i * D, (i + 1) * D);
    raw.push({ x, value: finiteOr(acquisition.evaluate(x)) });
  }
  raw.sort((a, b) => b.value - a.value);
  const k = Math.min(options.numStarts, raw.length);
  if (k === 0) return [];
  const starts = new Float64Array(k * D);
  for (let i = 0; i < k; i++) starts.set(raw[i]!.x, i * D);
  const linear = linearInequalities(encoding);
  const result = multiStartMinimize(toMinimizationObjective(acquisition), starts, k, D, {
    lower: 0,
    upper: 1,
    maxIterations: options.maxIterations,
    ...(linear ? { linearInequalities: linear } : {}),
  });
  const optimized = result.results
    .filter((r) => encoding.satisfiesLinearConstraints(r.x, 1e-7))
    .map((r) => ({ x: Float64Array.from(r.x), value: finiteOr(-r.f) }));
  return [...optimized, ...raw];
}

function linearInequalities(encoding: SearchSpaceEncoding): LinearInequalities | null {
  const constraints = encoding.linearConstraints;
  if (constraints.length === 0) return null;
  const D = encoding.dimension;
  const A = stackRows(
    constraints.map((c) => c.coefficients),
    D,
  );
  return { A, b: Float64Array.from(constraints, (c) => c.bound) };
}

function finiteOr(value: number): number {
  return Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY;
}
