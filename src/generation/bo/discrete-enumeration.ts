import { optimizeContinuousColumns } from "./continuous-step.js";
import { compareScored, type GridScorer, isBetter, type ScoredPoint } from "./grid-scorer.js";

/**
 * Every point of a purely discrete space: the acquisition is evaluated at each one, so the ranking is
 * exact and the generator can walk down it past taken arms until the space is exhausted.
 *
 * @returns one scored point per combination, in enumeration order (unsorted).
 */
export function enumerateGrid(scorer: GridScorer): ScoredPoint[] {
  const out: ScoredPoint[] = [];
  const base = new Float64Array(scorer.grid.encoding.dimension);
  scorer.grid.forEachCombination(base, (x) => {
    out.push(scorer.score(Float64Array.from(x)));
  });
  return out;
}

/**
 * For each combination of discrete levels, the continuous coordinates optimized by L-BFGS-B with the
 * levels held. The start is the best projected raw sample with that combination, or, for a combination
 * no raw sample fell on, the continuous part of the best raw sample overall: one start per combination
 * keeps the cost at one local optimization per combination, and the raw samples already spread the
 * continuous starts over the cube.
 *
 * @param snappedRaw the raw samples projected onto the grid and scored (at least one).
 * @param maxIterations L-BFGS-B iterations per combination.
 * @returns one scored point per combination whose levels leave a feasible continuous part (unsorted).
 */
export function enumerateCombinations(
  scorer: GridScorer,
  snappedRaw: readonly ScoredPoint[],
  maxIterations: number,
): ScoredPoint[] {
  const { grid, acquisition } = scorer;
  const bestByCombination = new Map<string, ScoredPoint>();
  for (const s of snappedRaw) {
    const key = grid.discreteKey(s.x);
    const incumbent = bestByCombination.get(key);
    if (incumbent === undefined || isBetter(s, incumbent)) bestByCombination.set(key, s);
  }
  const overall = [...snappedRaw].sort(compareScored)[0];
  if (overall === undefined) return [];
  const out: ScoredPoint[] = [];
  grid.forEachCombination(Float64Array.from(overall.x), (x) => {
    const start = bestByCombination.get(grid.discreteKey(x))?.x ?? x;
    const step = optimizeContinuousColumns(
      acquisition,
      grid.encoding,
      start,
      grid.continuousColumns,
      maxIterations,
    );
    if (step !== null) out.push(scorer.score(grid.snap(step.x)));
  });
  return out;
}
