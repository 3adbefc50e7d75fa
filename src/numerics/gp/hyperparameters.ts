/**
 * GP hyperparameters, their optimization vector θ (log space), bounds and priors.
 *
 * θ = [log ℓ₁ … log ℓ_d, log s², c, log σ², log a₁ … log a_w, log b₁ … log b_w]: log σ² only when the
 * noise is inferred, the warp concentrations only when w > 0 input dimensions are warped (see
 * input-warping.ts). With w = 0 every function here behaves as before warping existed.
 */
import type { Rng } from "../../util/rng.js";
import { type InputWarping, WARP_BOUNDS, WARP_PRIOR } from "./input-warping.js";

/**
 * Hyperparameters of a fitted GP, all in the model's standardized output units (the inputs live in the
 * unit cube). Plain numbers, so they serialize to JSON as they are and can warm-start the next fit.
 */
export interface GpHyperparameters {
  /** Lengthscales ℓ, one per input dimension. */
  lengthscales: number[];
  /** Outputscale s² (signal variance). */
  outputscale: number;
  /** Constant prior mean c. */
  constantMean: number;
  /** Homoskedastic noise variance σ² when the noise is inferred; null when observation noise is given. */
  noiseVariance: number | null;
  /** The learned warp of the inputs (see input-warping.ts); absent or null: inputs are not warped. */
  inputWarping?: InputWarping | null;
}

/**
 * Box constraints of the fit (natural units). Lengthscales: below 0.01 of the unit cube a Matérn kernel
 * no longer relates neighbouring trials of any realistic design (it is then white noise); above 100 a
 * dimension contributes less than 1e-4 to r², i.e. it is switched off, so larger values are equivalent.
 * Outputscale: the data are standardized to variance 1, so s² far outside [0.01, 100] cannot be
 * supported by them. Noise: 1e-6 is the requested floor (relative to the data variance); a noise above 10
 * times the total variance is meaningless. Constant mean: ±10 standard deviations of the data.
 */
export const GP_BOUNDS = {
  lengthscale: [0.01, 100],
  outputscale: [0.01, 100],
  noiseVariance: [1e-6, 10],
  constantMean: [-10, 10],
} as const;

/** Noise LogNormal(loc, scale) prior of BoTorch's defaults (mode e⁻⁵ ≈ 0.0067, standardized units). */
export const NOISE_PRIOR = { loc: -4, scale: 1 } as const;

/**
 * Dimension-scaled lengthscale prior LogNormal(√2 + log(d)/2, √3) of Hvarfner et al. (2024), as in
 * BoTorch's current defaults.
 */
export function lengthscalePrior(d: number): { loc: number; scale: number } {
  return { loc: Math.SQRT2 + 0.5 * Math.log(d), scale: Math.sqrt(3) };
}

/**
 * The hyperparameter priors a GP is fitted under: "lognormal" (default) is the dimension-scaled
 * LogNormal on every lengthscale and no outputscale prior, as in current BoTorch; "gamma" is the pair of
 * Ax 0.4.1 and older BoTorch: Gamma(3, 6) on every lengthscale and Gamma(2, 0.15) on the outputscale.
 * The noise prior is the same LogNormal in both.
 */
export type GpPriorKind = "lognormal" | "gamma";

/** Gamma(concentration, rate) priors of {@link GpPriorKind} "gamma". */
export const GAMMA_PRIORS = {
  lengthscale: { concentration: 3, rate: 6 },
  outputscale: { concentration: 2, rate: 0.15 },
} as const;

/**
 * log p(v) of a Gamma(a, b) density at v = e^t (natural scale, like the LogNormal below), and its
 * derivative in t: a·log b − lnΓ(a) + (a − 1)·t − b·e^t.
 */
function gammaLogDensity(t: number, a: number, b: number): { value: number; dt: number } {
  const v = Math.exp(t);
  // lnΓ(a) for the integer concentrations used here: ln((a − 1)!).
  let logGammaA = 0;
  for (let k = 2; k < a; k++) logGammaA += Math.log(k);
  return { value: a * Math.log(b) - logGammaA + (a - 1) * t - b * v, dt: a - 1 - b * v };
}

/** A Gamma(a, b) draw for a ≥ 1 (Marsaglia and Tsang's method). */
function sampleGamma(a: number, b: number, rng: Rng): number {
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / b;
  }
}

/** Length of θ with w warped input dimensions. */
export function thetaLength(d: number, inferNoise: boolean, warped = 0): number {
  return d + 2 + (inferNoise ? 1 : 0) + 2 * warped;
}

/** Index in θ of the first warp entry (log a₁); the log b entries follow the w log a entries. */
export function warpOffset(d: number, inferNoise: boolean): number {
  return thetaLength(d, inferNoise);
}

/** Lower and upper bounds of θ (log space for the scales, natural for c). */
export function thetaBounds(
  d: number,
  inferNoise: boolean,
  warped = 0,
): { lower: Float64Array; upper: Float64Array } {
  const p = thetaLength(d, inferNoise, warped);
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  const set = (j: number, [lo, hi]: readonly [number, number], log: boolean) => {
    lower[j] = log ? Math.log(lo) : lo;
    upper[j] = log ? Math.log(hi) : hi;
  };
  for (let i = 0; i < d; i++) set(i, GP_BOUNDS.lengthscale, true);
  set(d, GP_BOUNDS.outputscale, true);
  set(d + 1, GP_BOUNDS.constantMean, false);
  if (inferNoise) set(d + 2, GP_BOUNDS.noiseVariance, true);
  const w0 = warpOffset(d, inferNoise);
  for (let j = w0; j < p; j++) set(j, WARP_BOUNDS.concentration, true);
  return { lower, upper };
}

/**
 * θ from hyperparameters, warping the dimensions `warpedDimensions`: their concentrations come from
 * `h.inputWarping` when it warps exactly these dimensions, otherwise they start at the identity (a = b = 1).
 */
export function packTheta(
  h: GpHyperparameters,
  d: number,
  inferNoise: boolean,
  warpedDimensions: readonly number[] = [],
): Float64Array {
  const w = warpedDimensions.length;
  const theta = new Float64Array(thetaLength(d, inferNoise, w));
  for (let i = 0; i < d; i++) theta[i] = Math.log(h.lengthscales[i]!);
  theta[d] = Math.log(h.outputscale);
  theta[d + 1] = h.constantMean;
  if (inferNoise) theta[d + 2] = Math.log(h.noiseVariance ?? Math.exp(NOISE_PRIOR.loc));
  const warping = h.inputWarping;
  const same =
    warping != null &&
    warping.dimensions.length === w &&
    warping.dimensions.every((i, k) => i === warpedDimensions[k]);
  if (same) {
    const w0 = warpOffset(d, inferNoise);
    for (let k = 0; k < w; k++) {
      theta[w0 + k] = Math.log(warping.a[k]!);
      theta[w0 + w + k] = Math.log(warping.b[k]!);
    }
  }
  return theta;
}

/** Hyperparameters from θ; `inputWarping` is set (possibly to the identity) exactly when w > 0. */
export function unpackTheta(
  theta: Float64Array,
  d: number,
  inferNoise: boolean,
  warpedDimensions: readonly number[] = [],
): GpHyperparameters {
  const lengthscales: number[] = [];
  for (let i = 0; i < d; i++) lengthscales.push(Math.exp(theta[i]!));
  const h: GpHyperparameters = {
    lengthscales,
    outputscale: Math.exp(theta[d]!),
    constantMean: theta[d + 1]!,
    noiseVariance: inferNoise ? Math.exp(theta[d + 2]!) : null,
  };
  const w = warpedDimensions.length;
  if (w > 0) {
    const w0 = warpOffset(d, inferNoise);
    h.inputWarping = {
      dimensions: [...warpedDimensions],
      a: Array.from({ length: w }, (_, k) => Math.exp(theta[w0 + k]!)),
      b: Array.from({ length: w }, (_, k) => Math.exp(theta[w0 + w + k]!)),
    };
  }
  return h;
}

/**
 * log p(v) of a LogNormal(loc, scale) density at v = e^t, as a function of t, and its derivative in t.
 * The density is on the natural scale (as BoTorch/GPyTorch evaluate priors), so it keeps the −log v term.
 */
function logNormalLogDensity(t: number, loc: number, scale: number): { value: number; dt: number } {
  const z = (t - loc) / scale;
  return {
    value: -t - Math.log(scale) - 0.5 * Math.log(2 * Math.PI) - 0.5 * z * z,
    dt: -1 - z / scale,
  };
}

/**
 * log prior of θ: LogNormal on every lengthscale and on the noise (when inferred); no prior on s² (the
 * outputs are standardized, and the bounds keep it in range) nor on c; the warp concentrations (entries
 * past the noise) each have {@link WARP_PRIOR}. Adds ∂/∂θ to `grad`.
 *
 * @param theta length {@link thetaLength}; @param grad same length, accumulated into.
 */
export function logPrior(
  theta: Float64Array,
  d: number,
  inferNoise: boolean,
  grad: Float64Array,
  kind: GpPriorKind = "lognormal",
): number {
  let value = modelLogPrior(theta, d, inferNoise, grad, kind);
  for (let j = warpOffset(d, inferNoise); j < theta.length; j++) {
    const p = logNormalLogDensity(theta[j]!, WARP_PRIOR.loc, WARP_PRIOR.scale);
    value += p.value;
    grad[j]! += p.dt;
  }
  return value;
}

/** The log prior of the kernel, mean and noise entries of θ (see {@link logPrior}). */
function modelLogPrior(
  theta: Float64Array,
  d: number,
  inferNoise: boolean,
  grad: Float64Array,
  kind: GpPriorKind,
): number {
  const { loc, scale } = lengthscalePrior(d);
  let value = 0;
  for (let i = 0; i < d; i++) {
    const { concentration: a, rate: b } = GAMMA_PRIORS.lengthscale;
    const p =
      kind === "gamma" ? gammaLogDensity(theta[i]!, a, b) : logNormalLogDensity(theta[i]!, loc, scale);
    value += p.value;
    grad[i]! += p.dt;
  }
  if (kind === "gamma") {
    const { concentration: a, rate: b } = GAMMA_PRIORS.outputscale;
    const p = gammaLogDensity(theta[d]!, a, b);
    value += p.value;
    grad[d]! += p.dt;
  }
  if (inferNoise) {
    const p = logNormalLogDensity(theta[d + 2]!, NOISE_PRIOR.loc, NOISE_PRIOR.scale);
    value += p.value;
    grad[d + 2]! += p.dt;
  }
  return value;
}

/**
 * The prior modes (BoTorch's initial values): log ℓ = loc − scale² (ℓ ≈ 0.2 for d = 1, 0.5 for d = 6),
 * s² = 1, c = 0, σ² = e^{loc − scale²}; w warped dimensions start at the identity warp a = b = 1, the
 * warp prior's median rather than its mode (a = b ≈ 0.47, see `WARP_PRIOR`), so that a cold fit
 * starts from the unwarped model and bends a dimension only as far as the posterior pulls it.
 */
export function priorModeTheta(
  d: number,
  inferNoise: boolean,
  kind: GpPriorKind = "lognormal",
  warped = 0,
): Float64Array {
  const theta = new Float64Array(thetaLength(d, inferNoise, warped));
  const { loc, scale } = lengthscalePrior(d);
  if (kind === "gamma") {
    // Gamma modes (a − 1)/b: ℓ = 1/3, s² ≈ 6.7.
    const { lengthscale: l, outputscale: o } = GAMMA_PRIORS;
    theta.fill(Math.log((l.concentration - 1) / l.rate), 0, d);
    theta[d] = Math.log((o.concentration - 1) / o.rate);
  } else {
    theta.fill(loc - scale * scale, 0, d);
  }
  if (inferNoise) theta[d + 2] = NOISE_PRIOR.loc - NOISE_PRIOR.scale ** 2;
  return clampTheta(theta, d, inferNoise);
}

/**
 * A random start: log ℓ and log σ² drawn from their priors, log s² ~ N(0, 0.5²), c ~ N(0, 0.25²), the
 * log concentrations of w warped dimensions from their prior (drawn last, so without warping the stream
 * is unchanged), all clamped into the bounds.
 */
export function samplePriorTheta(
  d: number,
  inferNoise: boolean,
  rng: Rng,
  kind: GpPriorKind = "lognormal",
  warped = 0,
): Float64Array {
  const theta = new Float64Array(thetaLength(d, inferNoise, warped));
  const { loc, scale } = lengthscalePrior(d);
  if (kind === "gamma") {
    const { lengthscale: l, outputscale: o } = GAMMA_PRIORS;
    for (let i = 0; i < d; i++) theta[i] = Math.log(sampleGamma(l.concentration, l.rate, rng));
    theta[d] = Math.log(sampleGamma(o.concentration, o.rate, rng));
  } else {
    for (let i = 0; i < d; i++) theta[i] = loc + scale * rng.normal();
    theta[d] = 0.5 * rng.normal();
  }
  theta[d + 1] = 0.25 * rng.normal();
  if (inferNoise) theta[d + 2] = NOISE_PRIOR.loc + NOISE_PRIOR.scale * rng.normal();
  for (let j = warpOffset(d, inferNoise); j < theta.length; j++) {
    theta[j] = WARP_PRIOR.loc + WARP_PRIOR.scale * rng.normal();
  }
  return clampTheta(theta, d, inferNoise);
}

/** θ clamped into its bounds, in place (its length tells how many dimensions are warped). */
export function clampTheta(theta: Float64Array, d: number, inferNoise: boolean): Float64Array {
  const { lower, upper } = thetaBounds(d, inferNoise, (theta.length - thetaLength(d, inferNoise)) / 2);
  for (let j = 0; j < theta.length; j++) theta[j] = Math.min(upper[j]!, Math.max(lower[j]!, theta[j]!));
  return theta;
}
