import type { OptimizeAcquisitionOptions, RankedCandidate } from "./candidate-optimizer.js";
import { enumerateCombinations, enumerateGrid } from "./discrete-enumeration.js";
import type { DiscreteGrid } from "./discrete-grid.js";
import { alternatingSearch } from "./discrete-search.js";
import { compareScored, GridScorer, type ScoredPoint, Tier } from "./grid-scorer.js";
import { optimizeRelaxation } from "./relaxed-optimizer.js";

/**
 * Purely discrete spaces of at most this many points are enumerated: the acquisition is evaluated at
 * every arm, which costs about as much as the raw samples plus a few L-BFGS-B runs of the relaxed
 * problem, and makes the ranking exact (the best arm not yet taken is always found).
 */
export const ENUMERATE_GRID_LIMIT = 2000;

/**
 * Mixed spaces whose discrete parameters have at most this many combinations optimize the continuous
 * part once per combination. One L-BFGS-B run per combination costs about as much as 64 / numStarts
 * (8 by default) times today's continuous optimization, the most spent on one suggestion; beyond it
 * the relaxation plus local search is used.
 */
export const ENUMERATE_COMBINATIONS_LIMIT = 64;

/**
 * Maximizes the acquisition over the grid of a space with INT or choice parameters (fixed parameters
 * have no columns and stay fixed). Three regimes:
 *
 * 1. No FLOAT parameter and at most {@link ENUMERATE_GRID_LIMIT} points: every point is scored.
 * 2. FLOAT parameters and at most {@link ENUMERATE_COMBINATIONS_LIMIT} discrete combinations: the
 *    continuous part is optimized for each combination.
 * 3. Otherwise: the relaxed problem is optimized from the best `numStarts` projected raw samples, and
 *    each relaxed optimum and each of those samples, projected onto the grid, starts a local search
 *    over the discrete coordinates alternated with continuous re-optimization.
 *
 * The raw samples, projected and scored, follow as fallbacks. Only usable points are returned (new arms,
 * given `isTaken`, satisfying every parameter constraint), each once, best first.
 */
export function optimizeOnGrid(options: OptimizeAcquisitionOptions, grid: DiscreteGrid): RankedCandidate[] {
  const scorer = new GridScorer({
    acquisition: options.acquisition,
    grid,
    ...(options.isTaken ? { isTaken: options.isTaken } : {}),
  });
  const continuous = grid.continuousColumns.length > 0;
  if (!continuous && grid.cardinality <= ENUMERATE_GRID_LIMIT) return rank(enumerateGrid(scorer));
  const snappedRaw = scoreRawSamples(scorer, options.rawSamples);
  if (continuous && grid.cardinality <= ENUMERATE_COMBINATIONS_LIMIT) {
    return rank([...enumerateCombinations(scorer, snappedRaw, options.maxIterations), ...snappedRaw]);
  }
  const searched = localSearchStarts(options, scorer, snappedRaw).map((start) =>
    alternatingSearch(scorer, start, options.maxIterations),
  );
  return rank([...searched, ...snappedRaw]);
}

/** The raw samples projected onto the grid and scored, in their original order. */
function scoreRawSamples(scorer: GridScorer, rawSamples: Float64Array): ScoredPoint[] {
  const D = scorer.grid.encoding.dimension;
  const out: ScoredPoint[] = [];
  for (let i = 0; i < rawSamples.length / D; i++) {
    out.push(scorer.score(scorer.grid.snap(rawSamples.subarray(i * D, (i + 1) * D))));
  }
  return out;
}

/**
 * Starts of the local searches: the best `numStarts` projected raw samples, and the projections of the
 * relaxed optima found from them. Both kinds matter: a relaxed optimum can sit between grid points far
 * from any raw sample, while a good grid point can lie where the relaxation has only a saddle.
 */
function localSearchStarts(
  options: OptimizeAcquisitionOptions,
  scorer: GridScorer,
  snappedRaw: readonly ScoredPoint[],
): ScoredPoint[] {
  const D = scorer.grid.encoding.dimension;
  const best = [...snappedRaw].sort(compareScored).slice(0, options.numStarts);
  if (best.length === 0) return [];
  const starts = new Float64Array(best.length * D);
  best.forEach((s, i) => {
    starts.set(s.x, i * D);
  });
  const relaxed = optimizeRelaxation(options, starts, best.length).map((r) =>
    scorer.score(scorer.grid.snap(r.x)),
  );
  return unique([...relaxed, ...best]);
}

/** Usable points, best first, each grid point once. */
function rank(points: readonly ScoredPoint[]): RankedCandidate[] {
  const usable = unique(points.filter((p) => p.tier === Tier.USABLE)).sort(compareScored);
  return usable.map((p) => ({ x: p.x, value: p.value }));
}

/** The first occurrence of each point (by exact coordinates). */
function unique(points: readonly ScoredPoint[]): ScoredPoint[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const key = p.x.join(",");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
