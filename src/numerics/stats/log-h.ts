/**
 * log h(z) with h(z) = φ(z) + z·Φ(z), the expected improvement of a standard normal over z's threshold:
 * LogEI(x) = log h((μ(x) − bestF)/σ(x)) + log σ(x) (Ament et al., "Unexpected improvements to expected
 * improvement for Bayesian optimization", NeurIPS 2023). Computed so that it stays finite, accurate and
 * smooth for very negative z, where h underflows and the naive form is −Infinity with zero gradient.
 */
import { erfcx } from "./error-function.js";
import { normalCdf, normalPdf } from "./normal.js";

/** log(2π)/2. */
const HALF_LOG_2PI = 0.9189385332046728;
/** √(π/2). */
const SQRT_PI_OVER_2 = 1.2533141373155003;
/** z at or above which h = φ + zΦ is summed directly (it cancels by a factor of at most 3 there). */
const DIRECT = -1;
/** z at or below which the asymptotic series replaces erfcx (below, the subtraction loses x²·ε). */
const ASYMPTOTIC = -10;
/** Terms of the series; at |z| = 10 the first omitted one is below 2e-17. */
const SERIES_TERMS = 26;

/**
 * S(u) = Σₖ (−1)ᵏ (2k+1)!! uᵏ with u = 1/z², the asymptotic series of z²·(1 − |z|·R(|z|)), R the Mills
 * ratio Φ(z)/φ(z) at z = −|z|: for z ≤ −10 it gives h(z) = φ(z)·S/z² with relative error below 1e-16.
 */
function tailSeries(u: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < SERIES_TERMS - 1; k++) {
    term *= -(2 * k + 3) * u;
    sum += term;
    if (Math.abs(term) < 1e-17) break;
  }
  return sum;
}

/**
 * 1 − x·R(x) for 1 ≤ x < 10 with R(x) = √(π/2)·erfcx(x/√2) the Mills ratio; so h(−x) = φ(x)·(1 − x·R(x)).
 * The subtraction cancels to about 1/x², costing at most x²·ε ≈ 2e-14 relative error at x = 10.
 */
function oneMinusXMills(x: number): number {
  return 1 - x * SQRT_PI_OVER_2 * erfcx(x * Math.SQRT1_2);
}

/**
 * log h(z) = log(φ(z) + z·Φ(z)), the log expected improvement of a standard normal with threshold −z.
 *
 * Three regimes: z > −1 sums h directly; −10 < z ≤ −1 uses h(z) = φ(z)·(1 − |z|·R(|z|)) with the Mills ratio
 * R from erfcx, so log φ(z) = −z²/2 − log(2π)/2 is never exponentiated; z ≤ −10 uses the asymptotic
 * series h(z) = φ(z)·S(1/z²)/z², i.e. log h = −z²/2 − log(2π)/2 − 2·log|z| + log S. Relative error
 * about 1e-15 everywhere except near the zero of log h (z ≈ 0.91), where the absolute error is ~1e-16.
 *
 * @example
 * logH(-40); // -808.29856835662, where log(φ(−40) + (−40)·Φ(−40)) is −Infinity
 */
export function logH(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > DIRECT) return Math.log(normalPdf(z) + z * normalCdf(z));
  const x = -z;
  if (z > ASYMPTOTIC) return -0.5 * x * x - HALF_LOG_2PI + Math.log(oneMinusXMills(x));
  return -0.5 * x * x - HALF_LOG_2PI - 2 * Math.log(x) + Math.log(tailSeries(1 / (x * x)));
}

/**
 * d/dz log h(z) = Φ(z)/h(z) (because h′ = Φ), with the same three regimes as {@link logH}: positive,
 * about 1/z for large z and about |z| for very negative z, relative error below 1e-13.
 */
export function dLogH(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z > DIRECT) {
    const Phi = normalCdf(z);
    return Phi / (normalPdf(z) + z * Phi);
  }
  const x = -z;
  if (z > ASYMPTOTIC) {
    const R = SQRT_PI_OVER_2 * erfcx(x * Math.SQRT1_2);
    return R / (1 - x * R);
  }
  // R/(1 − xR) with 1 − xR = u·S and R = (1 − u·S)/x, u = 1/x².
  const u = 1 / (x * x);
  const S = tailSeries(u);
  return (x * (1 - u * S)) / S;
}
