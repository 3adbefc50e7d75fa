/**
 * The standard normal distribution: density φ, distribution function Φ and their logarithms, accurate in
 * relative terms in both tails. Everything rests on erfcx, so no quantity is formed as 1 − (something
 * close to 1) and no tail value underflows before its true value does.
 */
import { erf, erfcx } from "./error-function.js";

/** 1/√(2π). */
const INV_SQRT_2PI = 0.3989422804014327;
/** log(2π)/2. */
const HALF_LOG_2PI = 0.9189385332046728;
/** 1/√2. */
const SQRT1_2 = Math.SQRT1_2;
/** √(2/π). */
const SQRT_2_OVER_PI = 0.7978845608028654;
/** |x| below which Φ(x) = (1 + erf(x/√2))/2 is used directly (erf's own small-argument interval). */
const CENTRAL = 0.46875 * Math.SQRT2;

/**
 * exp(−x²/2) with x² split as s² + (x − s)(x + s), s a multiple of 1/16, so the result keeps full relative
 * precision deep in the tail (the naive form loses x²·ε, about 1e-13 at x = 38).
 */
function expNegHalfSquare(x: number): number {
  const a = Math.abs(x);
  if (a >= 39) return 0; // exp(−760) underflows
  const s = Math.trunc(a * 16) / 16;
  return Math.exp(-0.5 * s * s) * Math.exp(-0.5 * (a - s) * (a + s));
}

/** Standard normal density φ(x) = exp(−x²/2)/√(2π), with full relative precision in the tails. */
export function normalPdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return INV_SQRT_2PI * expNegHalfSquare(x);
}

/** log φ(x) = −x²/2 − log(2π)/2, finite for every finite x. */
export function logNormalPdf(x: number): number {
  return -0.5 * x * x - HALF_LOG_2PI;
}

/**
 * Φ(−|x|) for |x| > {@link CENTRAL}: erfcx(|x|/√2)·exp(−x²/2)/2. Rounding |x|/√2 costs only ~ε here
 * because erfcx varies slowly (relative to its value), unlike erfc.
 */
function lowerTail(a: number): number {
  return 0.5 * erfcx(a * SQRT1_2) * expNegHalfSquare(a);
}

/**
 * Standard normal distribution function Φ(x), accurate in relative terms in both tails: Φ(−37) ≈ 5.7256e-300
 * to a few ulp (no 1 − Φ(37) cancellation), and Φ(x) rounds to 1 only when 1 − Φ(x) < ε/2.
 *
 * @example
 * normalCdf(-10); // 7.619853024160525e-24 (exact: 7.6198530241605261e-24)
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (Math.abs(x) <= CENTRAL) return 0.5 + 0.5 * erf(x * SQRT1_2);
  return x < 0 ? lowerTail(-x) : 1 - lowerTail(x);
}

/**
 * log Φ(x), accurate in relative terms for every x: far left, log Φ(x) = log(erfcx(−x/√2)/2) − x²/2 with no
 * underflow (log Φ(−40) ≈ −804.6084420137538, log Φ(−1e3) ≈ −500007.8267), and for large x,
 * log Φ(x) = log1p(−Φ(−x)) keeps the tiny negative value (log Φ(10) ≈ −7.619853024160525e-24).
 */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 0) return Math.log1p(-normalCdf(-x));
  if (x > -CENTRAL) return Math.log(normalCdf(x));
  if (x === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  return Math.log(0.5 * erfcx(-x * SQRT1_2)) - 0.5 * x * x;
}

/**
 * d/dx log Φ(x) = φ(x)/Φ(x), the inverse Mills ratio, computed without forming φ or Φ in the left tail:
 * there it equals √(2/π)/erfcx(−x/√2), which tends to −x (it stays finite and accurate for x = −1e300).
 * For large positive x it decays like φ(x).
 */
export function logNormalCdfDerivative(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return SQRT_2_OVER_PI / erfcx(-x * SQRT1_2);
  return normalPdf(x) / normalCdf(x);
}
