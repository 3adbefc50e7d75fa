import { stackRows } from "../../adapter/metric-datasets.js";
import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import type { GpModel } from "../../numerics/gp/index.js";
import { thompsonOrder } from "../../numerics/gp/index.js";
import { SobolEngine } from "../../numerics/sobol/index.js";
import { Rng } from "../../util/rng.js";
import type { RankedCandidate } from "./candidate-optimizer.js";

/** Scrambled Sobol points of the candidate set of a Thompson step. */
export const THOMPSON_SOBOL_POINTS = 512;
/** Observed points (the best by observed value) around which candidates are perturbed. */
const THOMPSON_BEST_POINTS = 8;
/** Perturbed copies of each of those points. */
const THOMPSON_PERTURBATIONS = 32;
/**
 * Standard deviation of the perturbations (unit cube): local enough to refine a basin, wide enough to
 * leave the immediate neighbourhood that the posterior already pins down.
 */
const THOMPSON_PERTURBATION_SD = 0.05;

/** What a Thompson step samples: the objective's GP (maximization scale) and its observations. */
export interface ThompsonSurrogate {
  /** The objective GP, conditioned on the pending points where there are any. */
  readonly model: GpModel;
  /** Observed points n×d (unit cube) and their values on the maximization scale. */
  readonly X: Float64Array;
  readonly Y: Float64Array;
}

/**
 * Candidates of one Thompson-sampling suggestion: a joint posterior draw on 512 scrambled Sobol points
 * and on Gaussian perturbations of the best observed points (all within the linear constraints), the
 * candidates ordered by the draw, largest first. The first is the argmax of the sample, the rest are
 * fallbacks for a candidate that decodes to an arm that cannot be used. Their `value` is the draw (on
 * the model's scale), not an acquisition value.
 *
 * Exploration comes from the sample: a region whose posterior is wide can win the draw even when the
 * expected improvement elsewhere is larger, which lets a run leave a basin that LogEI keeps refining.
 */
export function thompsonCandidates(
  surrogate: ThompsonSurrogate,
  encoding: SearchSpaceEncoding,
  seed: number,
): RankedCandidate[] {
  const X = thompsonCandidateSet(surrogate, encoding, seed);
  const D = encoding.dimension;
  const m = X.length / D;
  if (m === 0) return [];
  const { order, sample } = thompsonOrder(surrogate.model, X, m, new Rng(seed ^ 0x5bd1e995));
  return order.map((i) => ({ x: X.slice(i * D, (i + 1) * D), value: sample[i]! }));
}

/** The candidate set (m×D) of {@link thompsonCandidates}, feasible rows only. */
export function thompsonCandidateSet(
  surrogate: ThompsonSurrogate,
  encoding: SearchSpaceEncoding,
  seed: number,
): Float64Array {
  const D = encoding.dimension;
  const rows: Float64Array[] = [];
  const keep = (x: Float64Array) => {
    if (encoding.satisfiesLinearConstraints(x)) rows.push(x);
  };
  const sobol = new SobolEngine({ dimension: D, scramble: true, seed }).draw(THOMPSON_SOBOL_POINTS);
  for (let i = 0; i < THOMPSON_SOBOL_POINTS; i++) keep(sobol.slice(i * D, (i + 1) * D));
  const rng = new Rng(seed);
  for (const b of bestRows(surrogate.Y, THOMPSON_BEST_POINTS)) {
    const center = surrogate.X.subarray(b * D, (b + 1) * D);
    for (let k = 0; k < THOMPSON_PERTURBATIONS; k++) {
      keep(Float64Array.from(center, (c) => reflect01(c + THOMPSON_PERTURBATION_SD * rng.normal())));
    }
  }
  return stackRows(rows, D);
}

/** Indices of the `count` largest values, largest first (ties by index). */
function bestRows(Y: Float64Array, count: number): number[] {
  const idx = Array.from({ length: Y.length }, (_, i) => i);
  idx.sort((a, b) => Y[b]! - Y[a]! || a - b);
  return idx.slice(0, count);
}

/**
 * Folds a coordinate back into [0, 1] by reflection: clamping would put every outlying perturbation
 * exactly on a bound, which is what the candidates should not favour.
 */
function reflect01(v: number): number {
  const r = v < 0 ? -v : v > 1 ? 2 - v : v;
  return Math.min(1, Math.max(0, r));
}
