/**
 * Error functions erf, erfc and the scaled erfcx(x) = exp(x²)·erfc(x), from W. J. Cody's rational Chebyshev
 * approximations ("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969,
 * the SPECFUN CALERF coefficients, rounded to the nearest double and written in shortest round-trip form),
 * with relative error of a few ulp in double precision.
 *
 * erfcx is the primitive: it never under- or overflows for x ≥ 0 and is smooth, so log-space normal
 * quantities (log Φ, the inverse Mills ratio, log h in LogEI) are built on it.
 */

/** |x| below which erf uses its odd rational approximation. */
const ERF_SPLIT = 0.46875;
/** 1/√π. */
const INV_SQRT_PI = 0.5641895835477563;

// erf on |x| ≤ 0.46875: x·A(x²)/B(x²).
const A0 = 3.1611237438705655;
const A1 = 113.86415415105016;
const A2 = 377.485237685302;
const A3 = 3209.3775891384694;
const A4 = 0.18577770618460315;
const B0 = 23.601290952344122;
const B1 = 244.02463793444417;
const B2 = 1282.6165260773723;
const B3 = 2844.236833439171;

// erfcx on 0.46875 < x ≤ 4: C(x)/D(x).
const C = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
] as const;
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
] as const;

// erfcx on x > 4: (1/√π − u·P(u)/Q(u))/x with u = 1/x².
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
] as const;
const Q = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918,
] as const;

/** erf(x) for |x| ≤ 0.46875. */
function erfSmall(x: number): number {
  const t = x * x;
  const num = (((A4 * t + A0) * t + A1) * t + A2) * t + A3;
  const den = (((t + B0) * t + B1) * t + B2) * t + B3;
  return (x * num) / den;
}

/** erfcx(y) for y > 0.46875. */
function erfcxPositive(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  // For y > 2^26, u·P/Q is below half an ulp of 1/√π; skipping it also avoids overflow in y².
  if (y > 67108864) return INV_SQRT_PI / y;
  const u = 1 / (y * y);
  let num = P[5] * u;
  let den = u;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * u;
    den = (den + Q[i]!) * u;
  }
  return (INV_SQRT_PI - (u * (num + P[4])) / (den + Q[4])) / y;
}

/**
 * exp(−x²) to nearly full relative precision: x² is split as s² + (x − s)(x + s) with s = x rounded down to
 * a multiple of 1/16, so the large part s² is exact and the rounding error of x·x (relative error x²·ε in
 * the result, 1e-13 at x = 27) never enters. Internal to stats.
 */
export function expNegSquare(x: number): number {
  const a = Math.abs(x);
  if (a >= 27.5) return 0; // exp(−756) underflows
  const s = Math.trunc(a * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(a - s) * (a + s));
}

/** exp(x²) with the same splitting as {@link expNegSquare}; Infinity beyond |x| ≈ 26.64. Internal to stats. */
export function expSquare(x: number): number {
  const a = Math.abs(x);
  if (a >= 27) return Number.POSITIVE_INFINITY; // exp(729) overflows
  const s = Math.trunc(a * 16) / 16;
  return Math.exp(s * s) * Math.exp((a - s) * (a + s));
}

/**
 * Scaled complementary error function erfcx(x) = exp(x²)·erfc(x).
 *
 * Accurate to a few ulp (relative) for all x: for large positive x it decays like 1/(x√π) without
 * underflow (erfcx(1e300) ≈ 5.64e-301); for negative x it is 2·exp(x²) − erfcx(−x) and overflows to
 * Infinity below x ≈ −26.63.
 *
 * @example
 * erfcx(30); // 0.01879588886141675, where erfc(30) underflows to 0
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let positive: number;
  if (y <= ERF_SPLIT) positive = Math.exp(y * y) * (1 - erfSmall(y));
  else positive = erfcxPositive(y);
  if (x >= 0) return positive;
  return 2 * expSquare(y) - positive;
}

/**
 * Complementary error function erfc(x) = 1 − erf(x), accurate in relative terms far into the right tail
 * (erfc(26) ≈ 5.66e-296) instead of cancelling like 1 − erf(x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= ERF_SPLIT) return 1 - erfSmall(x);
  const tail = erfcxPositive(y) * expNegSquare(y);
  return x > 0 ? tail : 2 - tail;
}

/** Error function erf(x) = (2/√π)∫₀ˣ exp(−t²) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= ERF_SPLIT) return erfSmall(x);
  const complement = 1 - erfcxPositive(y) * expNegSquare(y);
  return x > 0 ? complement : -complement;
}
