import { stackRows } from "../../adapter/metric-datasets.js";
import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import { type AcquisitionFunction, screenRows } from "../../numerics/acquisition/index.js";
import { SobolEngine } from "../../numerics/sobol/index.js";
import { applyBoundaryRule, type BoundaryRuleOptions } from "./boundary-rule.js";
import { DiscreteGrid } from "./discrete-grid.js";
import { optimizeOnGrid } from "./grid-optimizer.js";
import { finiteOr } from "./grid-scorer.js";
import { optimizeRelaxation } from "./relaxed-optimizer.js";
import { spreadStarts } from "./start-selection.js";

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
  /**
   * Whether an arm signature is already evaluated or pending. Only the discrete search uses it (to walk
   * past taken arms); the generator still checks every candidate. Default: nothing is taken.
   */
  isTaken?: (signature: string) => boolean;
  /** Spread half the starts over the good raw samples (see {@link spreadStarts}); FLOAT spaces only. */
  spreadStarts?: boolean;
  /** Rank optima on a bound by {@link applyBoundaryRule}; FLOAT spaces only. Default: off. */
  boundaryRule?: BoundaryRuleOptions;
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
 * Maximizes an acquisition over the search space under the encoding's linear constraints and returns
 * candidates best first, so that the generator can take the first usable one.
 *
 * - Only FLOAT parameters: evaluates the acquisition on the raw samples, runs bounded L-BFGS-B from the
 *   best `numStarts`, and returns the local optima, then the raw samples (fallbacks when an optimum
 *   decodes to an arm that cannot be used).
 * - With INT or choice parameters: see {@link optimizeOnGrid}; every candidate is then a grid point
 *   (`encode(decode(x))` is `x`), feasible and, given `isTaken`, a new arm, and its value is the
 *   acquisition at the arm that will be proposed.
 */
export function optimizeAcquisition(options: OptimizeAcquisitionOptions): RankedCandidate[] {
  const grid = gridOf(options.encoding);
  if (grid.hasDiscrete) return optimizeOnGrid(options, grid);
  const { acquisition, encoding, rawSamples } = options;
  const D = encoding.dimension;
  const m = rawSamples.length / D;
  // One batched evaluation (LogEI, LogPF: blocked triangular solves), equal to per-point calls; qLogNEI
  // ranks the raw samples on a quarter of its Monte Carlo samples (the starts then run on all of them).
  const values = screenRows(acquisition, rawSamples, m);
  const raw: RankedCandidate[] = [];
  for (let i = 0; i < m; i++) {
    raw.push({ x: rawSamples.slice(i * D, (i + 1) * D), value: finiteOr(values[i]!) });
  }
  raw.sort((a, b) => b.value - a.value);
  const k = Math.min(options.numStarts, raw.length);
  if (k === 0) return [];
  const chosen = options.spreadStarts ? spreadStarts(raw, k) : raw.slice(0, k);
  const starts = new Float64Array(k * D);
  for (let i = 0; i < k; i++) starts.set(chosen[i]!.x, i * D);
  const optima = optimizeRelaxation(options, starts, k);
  const ranked = options.boundaryRule ? applyBoundaryRule(optima, raw, options.boundaryRule) : optima;
  return [...ranked, ...raw];
}

/** One grid per encoding: the generator reuses its encoding across calls, and levels are cached. */
const grids = new WeakMap<SearchSpaceEncoding, DiscreteGrid>();

function gridOf(encoding: SearchSpaceEncoding): DiscreteGrid {
  let grid = grids.get(encoding);
  if (grid === undefined) {
    grid = new DiscreteGrid(encoding);
    grids.set(encoding, grid);
  }
  return grid;
}
