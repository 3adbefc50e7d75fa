import { optimizeContinuousColumns } from "./continuous-step.js";
import { type GridScorer, isBetter, type ScoredPoint } from "./grid-scorer.js";

/**
 * Rounds of best-improvement moves per local search. Starts are projections of good continuous points,
 * so the search usually stops after one to three rounds; the cap only bounds the work on a flat or
 * adversarial acquisition (each round costs one evaluation per neighbour).
 */
export const MAX_LOCAL_SEARCH_ROUNDS = 32;

/**
 * Discrete-then-continuous rounds of {@link alternatingSearch}. Each round re-optimizes the continuous
 * coordinates for the current discrete levels; after a few the discrete levels almost never change
 * again (BoTorch's mixed optimizer alternates a comparable handful of times).
 */
export const MAX_ALTERNATIONS = 3;

/**
 * Best-improvement local search over the discrete coordinates of a grid point: the neighbours are each
 * INT or ordered choice one level up or down and each unordered choice at every other value (continuous
 * coordinates held), and the best neighbour that ranks before the current point (see `isBetter`:
 * tier, then acquisition) replaces it, until none does or {@link MAX_LOCAL_SEARCH_ROUNDS} is reached.
 *
 * @param start a scored grid point.
 * @returns a point that ranks no worse than `start` (`start` itself when no neighbour improves).
 */
export function localSearch(scorer: GridScorer, start: ScoredPoint): ScoredPoint {
  let current = start;
  for (let round = 0; round < MAX_LOCAL_SEARCH_ROUNDS; round++) {
    let best = current;
    for (const y of scorer.grid.neighbours(current.x)) {
      const s = scorer.score(y);
      if (isBetter(s, best)) best = s;
    }
    if (best === current) break;
    current = best;
  }
  return current;
}

/**
 * Local search over the discrete coordinates alternated with L-BFGS-B over the continuous ones (the
 * discrete ones held), at most {@link MAX_ALTERNATIONS} times, stopping as soon as a continuous step
 * does not improve the point or the discrete levels stop changing. Without continuous columns this is
 * {@link localSearch}.
 *
 * @param maxIterations L-BFGS-B iterations of each continuous step.
 * @returns a grid point that ranks no worse than `start`.
 */
export function alternatingSearch(
  scorer: GridScorer,
  start: ScoredPoint,
  maxIterations: number,
): ScoredPoint {
  const { grid, acquisition } = scorer;
  let current = localSearch(scorer, start);
  const columns = grid.continuousColumns;
  if (columns.length === 0) return current;
  for (let round = 0; round < MAX_ALTERNATIONS; round++) {
    const step = optimizeContinuousColumns(acquisition, grid.encoding, current.x, columns, maxIterations);
    if (step === null) break;
    // Snapping only rounds FLOAT values to their `digits`; the score is taken where the arm will be.
    const moved = scorer.score(grid.snap(step.x));
    if (!isBetter(moved, current)) break;
    const searched = localSearch(scorer, moved);
    current = searched;
    // Same discrete levels: the continuous part is already optimal for them.
    if (searched === moved) break;
  }
  return current;
}
