import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import { sobolIndices } from "../../numerics/sensitivity/index.js";
import type { FittedMetric } from "./model-views.js";

/** How much of a metric's predicted variation one parameter accounts for. */
export interface ParameterImportance {
  readonly parameter: string;
  /** First-order Sobol index of the posterior mean: the share of its variance the parameter explains alone. */
  readonly first: number;
  /** Total Sobol index: the share that involves the parameter, interactions with others included. */
  readonly total: number;
}

/** Rows of the Saltelli design: N·(parameters + 2) posterior means, cheap (O(n·d) each). */
const IMPORTANCE_SAMPLES = 256;

/**
 * Sobol indices (first-order and total) of the GP posterior mean over the search space, one per searched
 * parameter, most important (highest total index) first. Points are drawn uniformly per parameter as
 * the encoding samples them (log-scale ranges uniform in log space, integers and choices uniform over
 * their values, an unordered choice as its one-hot columns), so a parameter's index is its share of the
 * variance of the mean over the whole box; parameter constraints are ignored. A constant mean gives
 * every parameter 0. Seeded: the same model gives the same indices.
 */
export function parameterImportance(
  fitted: FittedMetric,
  encoding: SearchSpaceEncoding,
): ParameterImportance[] {
  const k = encoding.samplingDimension;
  const { first, total } = sobolIndices(
    (U, m) => {
      const X = encoding.encodeMany(encoding.decodeManyFromUniform(U, m));
      return fitted.model.predictMeansAndVarianceBounds(X, m).mean;
    },
    k,
    { samples: IMPORTANCE_SAMPLES, seed: 0 },
  );
  return encoding.parameters
    .map((p, i) => ({
      parameter: p.name,
      // Quasi-Monte-Carlo error can push an index just outside [0, 1]; a share is shown within it.
      first: clamp01(first[i]!),
      total: clamp01(total[i]!),
    }))
    .sort((a, b) => b.total - a.total || a.parameter.localeCompare(b.parameter));
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
