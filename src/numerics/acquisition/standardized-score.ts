/**
 * Shared by LogEI and LogPF: the standardized score z = s·(μ − b)/σ of a Gaussian posterior and the
 * gradient of a function of it, with a variance floor and a clamp that keep everything finite.
 */
import type { PointPosterior, PointPosteriorWithGradient } from "./surrogate.js";

/** Most negative z used: below about −1.3e154, z² overflows and log h(z), log Φ(z) become −Infinity. */
export const Z_MIN = -1e150;

/** Default variance floor, relative to outcomeScale² (BoTorch clamps the variance at 1e-12 too). */
export const RELATIVE_VARIANCE_FLOOR = 1e-12;

/**
 * Computes z = sign·(mean − threshold)/σ with σ² = max(variance, floor), clamped at {@link Z_MIN}.
 * When `gradient` is given, adds to it  dg·∂z/∂x + c·∂(log σ)/∂x,  where the floored variance and the
 * clamped z are constants (their derivative is 0, the correct one-sided limit of the floor/clamp).
 *
 * @returns z; log σ is `0.5·log(max(variance, floor))`.
 */
export function standardizedScore(
  posterior: PointPosterior,
  threshold: number,
  sign: 1 | -1,
  floor: number,
): number {
  const v = Math.max(posterior.variance, floor);
  const z = (sign * (posterior.mean - threshold)) / Math.sqrt(v);
  return Math.max(z, Z_MIN);
}

/**
 * Adds dg·∂z/∂x + c·∂(log σ)/∂x into `gradient` (length d) for the z of {@link standardizedScore}.
 * ∂z = sign·∂μ/σ − z·∂v/(2v) and ∂ log σ = ∂v/(2v).
 */
export function addScoreGradient(
  gradient: Float64Array,
  posterior: PointPosteriorWithGradient,
  z: number,
  sign: 1 | -1,
  floor: number,
  dg: number,
  c: number,
): void {
  const { dMean, dVariance } = posterior;
  const floored = !(posterior.variance > floor);
  const v = floored ? floor : posterior.variance;
  const clamped = !(z > Z_MIN);
  const meanCoef = clamped ? 0 : (dg * sign) / Math.sqrt(v);
  const varCoef = floored ? 0 : ((clamped ? 0 : -dg * z) + c) / (2 * v);
  for (let k = 0; k < gradient.length; k++) {
    gradient[k] = gradient[k]! + meanCoef * dMean[k]! + varCoef * dVariance[k]!;
  }
}
