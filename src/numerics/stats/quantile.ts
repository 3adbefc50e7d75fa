/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending, non-empty values, interpolated linearly between the closest
 * order statistics: position q·(n − 1), numpy's and pandas' default (which Ax uses).
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (position - lo);
}
