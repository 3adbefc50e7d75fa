/**
 * Rank statistics: fractional ranks and Spearman's rank correlation, as `scipy.stats.rankdata` and
 * `scipy.stats.spearmanr` define them.
 */

/**
 * Ranks 1..n of the values, ties sharing the average of the ranks they span (`rankdata(method="average")`).
 * @returns a fresh array, same length as `values`.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    // Positions start..end−1 (0-based) hold ranks start+1..end; their mean is (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson's correlation of two equally long samples; NaN when either is constant or n < 2. */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) {
    throw new RangeError(`pearsonCorrelation: samples of different lengths (${n} and ${y.length})`);
  }
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Spearman's rank correlation: Pearson's correlation of the average ranks (ties averaged), in [−1, 1].
 * NaN when either sample is constant or has fewer than 2 values (as `scipy.stats.spearmanr`).
 *
 * @throws RangeError when the samples differ in length.
 * @example
 * spearmanCorrelation([1, 2, 3], [10, 30, 20]); // 0.5
 */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) {
    throw new RangeError(`spearmanCorrelation: samples of different lengths (${x.length} and ${y.length})`);
  }
  return pearsonCorrelation(averageRanks(x), averageRanks(y));
}
