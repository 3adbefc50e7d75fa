/**
 * Pieces of the Monte Carlo LogEI family (Ament et al. 2023): the fat-tailed smooth ReLU in log space and
 * fixed quasi-random standard-normal base samples.
 */

import { Rng } from "../../util/rng.js";
import { SOBOL_MAX_DIMENSION, SobolEngine } from "../sobol/index.js";
import { normalQuantile, sigmoid, softplus } from "../stats/index.js";

/** Weight of the Cauchy tail in fatplus(u) = softplus(u) + α/(1 + u²), as in BoTorch. */
const ALPHA = 0.1;
/** Below this u, softplus(u) < 5e-18 is negligible next to the Cauchy term (≥ 1e-4 relative there). */
const TAIL = -40;
const LOG_ALPHA = Math.log(ALPHA);
/**
 * Below this u, u − log(α/(1 + u²)) < −780 whatever u, and exp of it is 0 in double precision (the
 * smallest subnormal is e^−744.4).
 */
const UNDERFLOW = -800;

/** log(1 + u²) without overflow of u². */
function logOnePlusSquare(u: number): number {
  const a = Math.abs(u);
  return a > 1e8 ? 2 * Math.log(a) + 1 / (a * a) : Math.log1p(a * a);
}

/**
 * log fatplus(u), fatplus(u) = softplus(u) + 0.1/(1 + u²): a smooth max(0, u) whose left tail decays
 * only like u⁻², so log of it keeps a gradient of about −2/u (instead of underflowing) far below zero.
 * Finite for every finite u.
 */
export function logFatplus(u: number): number {
  if (u > TAIL) return Math.log(softplus(u) + ALPHA / (1 + u * u));
  const logCauchy = LOG_ALPHA - logOnePlusSquare(u);
  // Far left, exp(u − logCauchy) underflows to exactly 0 (so log1p of it is 0): skip both calls. Most
  // Monte Carlo samples of qLogNEI fall here, as u is scaled by a temperature of 1e-6.
  if (u < UNDERFLOW) return logCauchy;
  return logCauchy + Math.log1p(Math.exp(u - logCauchy));
}

/** d/du {@link logFatplus}(u); positive, about 1/u for large u and −2/u far left. */
export function dLogFatplus(u: number): number {
  if (u > TAIL) {
    const q = 1 + u * u;
    return (sigmoid(u) - (2 * ALPHA * u) / (q * q)) / (softplus(u) + ALPHA / q);
  }
  return -2 / (u + 1 / u);
}

/** Above this u, 1 + u² stays finite, so the far-left shortcut of {@link logSumFatplus} applies. */
const FAR_TAIL_MIN = -1e150;

/** Whether u is in the far-left tail, where log fatplus(u) is exactly log α − log(1 + u²). */
function inFarTail(u: number): boolean {
  return u < UNDERFLOW && u > FAR_TAIL_MIN;
}

/**
 * log Σₛ τ·fatplus(uₛ) over the first S entries of u (logTau = log τ), the log-sum at the heart of the
 * Monte Carlo LogEI family, equal to logsumexp of logTau + {@link logFatplus}(uₛ) up to rounding. Most
 * samples lie in the far-left tail, where τ·fatplus(u) = τα/(1 + u²): their terms are summed as
 * ratios, without a log or an exp each. Writes logTau + logFatplus(uₛ) into li[s] for the other samples
 * (−∞ for tail ones), for {@link fatplusWeights}. NaN when some uₛ is NaN.
 */
export function logSumFatplus(u: Float64Array, S: number, logTau: number, li: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  let tailMax = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < S; s++) {
    const v = u[s]!;
    if (inFarTail(v)) {
      li[s] = Number.NEGATIVE_INFINITY;
      if (v > tailMax) tailMax = v;
      continue;
    }
    if (Number.isNaN(v)) return Number.NaN;
    const l = logTau + logFatplus(v);
    li[s] = l;
    if (l > max) max = l;
  }
  const logTailScale = logTau + LOG_ALPHA;
  if (tailMax > Number.NEGATIVE_INFINITY) max = Math.max(max, logTailScale - logOnePlusSquare(tailMax));
  if (max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  let tail = 0;
  for (let s = 0; s < S; s++) {
    const v = u[s]!;
    if (inFarTail(v)) tail += 1 / (1 + v * v);
    else sum += Math.exp(li[s]! - max);
  }
  return max + Math.log(sum + Math.exp(logTailScale - max) * tail);
}

/**
 * The weights of the samples in the gradient of {@link logSumFatplus}: gₛ = exp(liₛ − lse)·d logFatplus/du
 * at uₛ, given the sum lse it returned and the li it wrote, into g (first S entries).
 */
export function fatplusWeights(
  u: Float64Array,
  S: number,
  logTau: number,
  li: Float64Array,
  lse: number,
  g: Float64Array,
): void {
  const tailScale = Math.exp(logTau + LOG_ALPHA - lse);
  for (let s = 0; s < S; s++) {
    const v = u[s]!;
    g[s] = inFarTail(v)
      ? (tailScale / (1 + v * v)) * (-2 / (v + 1 / v))
      : Math.exp(li[s]! - lse) * dLogFatplus(v);
  }
}

/** Keeps Sobol coordinates inside (0, 1) so that Φ⁻¹ is finite (|z| ≤ 8.3). */
const P_MIN = 2 ** -53;

/**
 * S×dim fixed standard-normal base samples, row-major (row = sample): scrambled Sobol points mapped by
 * Φ⁻¹, the quasi-Monte-Carlo base samples of BoTorch's SobolQMCNormalSampler. Deterministic in `seed`.
 * Beyond {@link SOBOL_MAX_DIMENSION} coordinates, pseudo-random normals from the seeded RNG are used.
 */
export function normalBaseSamples(numSamples: number, dim: number, seed: number): Float64Array {
  if (dim > SOBOL_MAX_DIMENSION) {
    const rng = new Rng(seed);
    const out = new Float64Array(numSamples * dim);
    for (let i = 0; i < out.length; i++) out[i] = rng.normal();
    return out;
  }
  const out = new SobolEngine({ dimension: dim, scramble: true, seed }).draw(numSamples);
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    out[i] = normalQuantile(p < P_MIN ? P_MIN : Math.min(p, 1 - P_MIN));
  }
  return out;
}
