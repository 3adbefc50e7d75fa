import type { RankedCandidate } from "./candidate-optimizer.js";

/**
 * Starts of the local acquisition optimization, spread over the box: the best ⌈k/2⌉ raw samples, then,
 * among the good ones (the best quarter of the raw samples, at least 4k), greedily the point farthest
 * from every start chosen so far (max-min Euclidean distance).
 *
 * Why: the best raw samples of a peaked acquisition all sit in one basin, so every L-BFGS-B run finds
 * the same optimum and a second, slightly lower basin elsewhere is never optimized at all. Spread
 * starts cost nothing extra (same number of runs) and give that basin a chance.
 *
 * @param ranked raw samples with their acquisition values, best first.
 * @returns k rows (k = min(numStarts, ranked.length)), as points of `ranked`.
 */
export function spreadStarts(ranked: readonly RankedCandidate[], numStarts: number): RankedCandidate[] {
  const k = Math.min(numStarts, ranked.length);
  const numBest = Math.ceil(k / 2);
  const chosen = ranked.slice(0, numBest);
  const poolSize = Math.min(ranked.length, Math.max(4 * k, Math.ceil(ranked.length / 4)));
  const pool = ranked.slice(numBest, poolSize);
  // Distance of each pool point to its nearest chosen start, updated as starts are added.
  const nearest = pool.map((p) => Math.min(...chosen.map((c) => squaredDistance(p.x, c.x))));
  while (chosen.length < k && pool.length > 0) {
    let best = 0;
    for (let i = 1; i < pool.length; i++) if (nearest[i]! > nearest[best]!) best = i;
    const next = pool[best]!;
    chosen.push(next);
    pool.splice(best, 1);
    nearest.splice(best, 1);
    for (let i = 0; i < pool.length; i++) {
      nearest[i] = Math.min(nearest[i]!, squaredDistance(pool[i]!.x, next.x));
    }
  }
  return chosen;
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return s;
}
