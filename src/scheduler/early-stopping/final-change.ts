/**
 * The model of {@link CurvePredictionEarlyStoppingStrategy}: the change of a curve from progression t to
 * the end, learned from the completed curves, with a Student-t prediction interval.
 * @internal
 */

/** What the completed curves say about the change from t to the end. */
export interface FinalChangeFit {
  /** Mean change y − x (final minus value at t) over the curves. */
  readonly meanChange: number;
  /** Standard deviation of the change over the curves. */
  readonly s: number;
  /** Number of curves. */
  readonly n: number;
  /** Degrees of freedom of `s` (n − 1). */
  readonly dof: number;
}

/**
 * Learns the change from value at t (`x`) to final value (`y`), one pair per completed curve. The model is
 * "a curve changes by the others' mean change, give or take their spread": a line of slope 1, which stays
 * sound when one odd curve (a diverged run, a late drop) would tilt a fitted slope.
 * @returns null with fewer than 2 pairs, as no spread can be estimated.
 */
export function fitFinalChange(x: readonly number[], y: readonly number[]): FinalChangeFit | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  const d = x.map((xi, i) => y[i]! - xi);
  const meanChange = d.reduce((a, b) => a + b, 0) / n;
  const ss = d.reduce((a, b) => a + (b - meanChange) ** 2, 0);
  return { meanChange, s: Math.sqrt(ss / (n - 1)), n, dof: n - 1 };
}

/** The predicted final value from value at t `x0`, and its standard error (a new curve's spread plus the mean's). */
export function predictFinalValue(fit: FinalChangeFit, x0: number): { mean: number; se: number } {
  return { mean: x0 + fit.meanChange, se: fit.s * Math.sqrt(1 + 1 / fit.n) };
}

/**
 * The Student-t quantile with `dof` degrees of freedom at the probability where the standard normal
 * quantile is `z` (Cornish–Fisher expansion to 1/ν³): a few standard errors widen for small samples
 * without a special-function library. Accurate to about 1% for ν >= 3; below 3 the value at ν = 3 is
 * scaled by 3/ν, which keeps the interval growing as the curves get fewer.
 */
export function studentQuantileFromNormal(z: number, dof: number): number {
  const nu = Math.max(dof, 3);
  const z2 = z * z;
  const g1 = (z2 * z + z) / 4;
  const g2 = (5 * z2 * z2 * z + 16 * z2 * z + 3 * z) / 96;
  const g3 = (3 * z2 * z2 * z2 * z + 19 * z2 * z2 * z + 17 * z2 * z - 15 * z) / 384;
  const t = z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3;
  return dof >= 3 ? t : t * (3 / Math.max(dof, 1));
}
