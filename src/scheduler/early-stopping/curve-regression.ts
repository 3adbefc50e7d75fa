/**
 * The model of {@link CurvePredictionEarlyStoppingStrategy}: a least-squares line from "value at
 * progression t" to "final value" over the completed curves, with a Student-t prediction interval.
 * @internal
 */

/** A fitted line y = a + b·x with what its prediction interval needs. */
export interface FinalValueFit {
  /** Intercept. */
  readonly a: number;
  /** Slope; 1 when too few or too alike x values to fit one (then the model is "same change as others"). */
  readonly b: number;
  /** Number of curves fitted. */
  readonly n: number;
  /** Mean of x. */
  readonly xMean: number;
  /** Σ(x − x̄)², 0 for the shift model. */
  readonly sxx: number;
  /** Residual standard deviation. */
  readonly s: number;
  /** Degrees of freedom of `s`. */
  readonly dof: number;
}

/**
 * Fits final value `y` against value at t `x` (same length, one entry per completed curve). With at least
 * 3 curves whose x differ, ordinary least squares; otherwise a slope of 1 (every curve changes by the same
 * amount from t to the end, the mean change of the others). Returns null with fewer than 2 curves, as no
 * spread can be estimated.
 */
export function fitFinalValue(x: readonly number[], y: readonly number[]): FinalValueFit | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  const xMean = mean(x);
  const yMean = mean(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - xMean) ** 2;
    sxy += (x[i]! - xMean) * (y[i]! - yMean);
  }
  // A line through 2 points, or through x values that (nearly) coincide, has no residuals to learn from.
  const fitSlope = n >= 3 && sxx > 1e-12 * Math.max(1, xMean * xMean) * n;
  const b = fitSlope ? sxy / sxx : 1;
  const a = yMean - b * xMean;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (y[i]! - a - b * x[i]!) ** 2;
  const dof = fitSlope ? n - 2 : n - 1;
  return { a, b, n, xMean, sxx: fitSlope ? sxx : 0, s: Math.sqrt(ssr / dof), dof };
}

/**
 * The prediction at `x0` and its standard error (residual noise plus the line's uncertainty at x0).
 */
export function predictFinalValue(fit: FinalValueFit, x0: number): { mean: number; se: number } {
  const leverage = fit.sxx > 0 ? 1 / fit.n + (x0 - fit.xMean) ** 2 / fit.sxx : 1 / fit.n;
  return { mean: fit.a + fit.b * x0, se: fit.s * Math.sqrt(1 + leverage) };
}

/**
 * The Student-t quantile with `dof` degrees of freedom at the probability where the standard normal
 * quantile is `z` (Cornish–Fisher expansion to 1/ν³): a few standard errors widen for small samples
 * without a special-function library. Accurate to about 1% for ν >= 3; for ν < 3 the expansion is used
 * at ν = 3 times a factor that keeps the interval wider than at ν = 3.
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

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
