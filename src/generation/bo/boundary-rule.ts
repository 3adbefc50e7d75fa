import type { RankedCandidate } from "./candidate-optimizer.js";

/** Distance to 0 or 1 (unit cube) below which a coordinate counts as on the bound. */
export const ON_BOUND_TOLERANCE = 1e-9;

/** Options of {@link applyBoundaryRule}. */
export interface BoundaryRuleOptions {
  /**
   * Log-acquisition units a candidate on a bound must beat the best interior candidate by to stay
   * ahead of it, unless the model's mean justifies the bound.
   */
  margin: number;
  /**
   * ∂mean/∂x of the objective's model (maximization scale) at x, or null when no single model speaks
   * for the objective (several objectives): every bound then needs the margin.
   */
  meanGradient: ((x: Float64Array) => Float64Array) | null;
}

/**
 * Boundary-aware ranking of the local optima of the acquisition. An optimum with coordinates on a bound
 * of the unit cube keeps its rank when, at each such coordinate, the model's mean increases outward
 * (the data say the optimum lies beyond the box) or when its acquisition value beats the best interior
 * candidate (interior optima and raw samples) by `margin`. Otherwise it is ranked after every interior
 * candidate.
 *
 * Why: far from the data a GP's variance is largest at the box's corners and faces, so an acquisition
 * that rewards variance (EI, and more so with inferred noise) drives L-BFGS-B onto the bounds even when
 * nothing in the data points there; each such suggestion spends a trial on a corner that the mean does
 * not favour. A corner or face optimum is kept: there the mean gradient points outward.
 *
 * @param optima local optima of the acquisition (unit cube), any order.
 * @param raw the raw samples with their values (interior points: scrambled Sobol points never sit
 *   exactly on a bound), any order.
 * @returns the optima ranked as above, best first, followed by nothing else (the caller appends the raw
 *   samples as before).
 */
export function applyBoundaryRule(
  optima: readonly RankedCandidate[],
  raw: readonly RankedCandidate[],
  options: BoundaryRuleOptions,
): RankedCandidate[] {
  let bestInterior = Number.NEGATIVE_INFINITY;
  for (const c of raw) if (!onBound(c.x)) bestInterior = Math.max(bestInterior, c.value);
  for (const c of optima) if (!onBound(c.x)) bestInterior = Math.max(bestInterior, c.value);
  const kept: RankedCandidate[] = [];
  const demoted: RankedCandidate[] = [];
  for (const c of optima) {
    const accepted =
      !onBound(c.x) ||
      c.value >= bestInterior + options.margin ||
      meanPointsOutward(c.x, options.meanGradient);
    (accepted ? kept : demoted).push(c);
  }
  const byValue = (a: RankedCandidate, b: RankedCandidate) => b.value - a.value;
  const interiorRaw = raw.filter((c) => !onBound(c.x)).sort(byValue);
  // Demoted optima come after the interior raw samples, so the best interior point is proposed instead.
  return [...kept.sort(byValue), ...interiorRaw.slice(0, 1), ...demoted.sort(byValue)];
}

/** Whether some coordinate of x lies on 0 or 1. */
export function onBound(x: Float64Array): boolean {
  for (let j = 0; j < x.length; j++) {
    if (x[j]! <= ON_BOUND_TOLERANCE || x[j]! >= 1 - ON_BOUND_TOLERANCE) return true;
  }
  return false;
}

/** Whether the mean increases outward at every bound coordinate of x (false without a gradient). */
function meanPointsOutward(x: Float64Array, meanGradient: BoundaryRuleOptions["meanGradient"]): boolean {
  if (meanGradient === null) return false;
  const g = meanGradient(x);
  for (let j = 0; j < x.length; j++) {
    if (x[j]! <= ON_BOUND_TOLERANCE && !(g[j]! < 0)) return false;
    if (x[j]! >= 1 - ON_BOUND_TOLERANCE && !(g[j]! > 0)) return false;
  }
  return true;
}
