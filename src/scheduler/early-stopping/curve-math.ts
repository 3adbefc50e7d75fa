import { quantileOfSorted } from "../../numerics/stats/index.js";
/**
 * Pure maths over learning curves (arrays of points sorted by ascending progression): the value of a curve
 * at a progression, the percentile among curves, progression normalization. Nothing here reads an
 * Experiment, so every rule is testable on hand-made arrays.
 * @internal
 */

/** One point of a curve: the value of a metric at a progression (structurally the core `CurvePoint`). */
export interface CurvePointLike {
  readonly progression: number;
  readonly mean: number;
  readonly sem: number | null;
}

/** The last point of a curve (the greatest progression), or null for an empty curve. */
export function latestPoint<P extends CurvePointLike>(curve: readonly P[]): P | null {
  return curve.length === 0 ? null : curve[curve.length - 1]!;
}

/**
 * The value of `curve` at `progression`: the point's mean where the curve has a point there, else the
 * linear interpolation between its neighbours. Null outside [first, last] progression: a curve does not
 * speak for progressions it has not reached (nor for ones before its first report), as Ax's alignment
 * interpolates only inside each curve.
 */
export function valueAt(curve: readonly CurvePointLike[], progression: number): number | null {
  const n = curve.length;
  if (n === 0) return null;
  if (progression < curve[0]!.progression || progression > curve[n - 1]!.progression) return null;
  // Binary search for the first point at or after `progression`.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (curve[mid]!.progression < progression) lo = mid + 1;
    else hi = mid;
  }
  const right = curve[lo]!;
  if (right.progression === progression || lo === 0) return right.mean;
  const left = curve[lo - 1]!;
  const w = (progression - left.progression) / (right.progression - left.progression);
  return left.mean + w * (right.mean - left.mean);
}

/**
 * The best value `curve` reached up to `progression` (its points before it, and its value there), or null
 * where the curve does not cover `progression`. A running best is steadier than the latest value when a
 * metric bounces from one step to the next.
 */
export function bestUpTo(
  curve: readonly CurvePointLike[],
  progression: number,
  minimize: boolean,
): number | null {
  let best = valueAt(curve, progression);
  if (best === null) return null;
  for (const p of curve) {
    if (p.progression > progression) break;
    if (isWorse(best, p.mean, minimize)) best = p.mean;
  }
  return best;
}

/** The value of every curve that covers `progression` (see {@link valueAt}), by trial index. */
export function valuesAt(
  curves: ReadonlyMap<number, readonly CurvePointLike[]>,
  progression: number,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const [trialIndex, curve] of curves) {
    const v = valueAt(curve, progression);
    if (v !== null) out.set(trialIndex, v);
  }
  return out;
}

/**
 * The `q`-quantile (q in [0, 1]) of `values` with linear interpolation between order statistics (the
 * default of numpy and pandas, which Ax uses): position (n - 1)·q in the sorted values.
 * @throws RangeError for no values or q outside [0, 1] (callers validate first).
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile of no values");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  return quantileOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/**
 * The value a trial must not be worse than to escape the percentile rule: the `percentileThreshold`-th
 * percentile of performance. "Worse" follows the direction, so for a minimized metric the worst 30% lie
 * above the 70th percentile of values, for a maximized one below the 30th (Ax's rule).
 */
export function percentileCutoff(
  values: readonly number[],
  percentileThreshold: number,
  minimize: boolean,
): number {
  const q = percentileThreshold / 100;
  return quantile(values, minimize ? 1 - q : q);
}

/** Whether `a` is strictly worse than `b` in the given direction (ties are not worse). */
export function isWorse(a: number, b: number, minimize: boolean): boolean {
  return minimize ? a > b : a < b;
}

/**
 * Maps every progression to [0, 1] by the smallest and greatest progression seen over all curves
 * (x − min) / (max − min), as Ax normalizes its progression column per metric; when every progression is
 * the same, all map to 1. Returns new curves; the input is not changed.
 */
export function normalizeProgressions<P extends CurvePointLike>(
  curves: ReadonlyMap<number, readonly P[]>,
): Map<number, P[]> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const curve of curves.values()) {
    for (const p of curve) {
      if (p.progression < min) min = p.progression;
      if (p.progression > max) max = p.progression;
    }
  }
  const span = max - min;
  const out = new Map<number, P[]>();
  for (const [trialIndex, curve] of curves) {
    out.set(
      trialIndex,
      curve.map((p) => ({ ...p, progression: span > 0 ? (p.progression - min) / span : 1 })),
    );
  }
  return out;
}

/** Trials whose curve has reached `minProgression` (any point at or beyond it). */
export function trialsReaching(
  curves: ReadonlyMap<number, readonly CurvePointLike[]>,
  minProgression: number,
): number[] {
  const out: number[] = [];
  for (const [trialIndex, curve] of curves) {
    const last = latestPoint(curve);
    if (last !== null && last.progression >= minProgression) out.push(trialIndex);
  }
  return out;
}

/** A number for a reason text: at most 4 significant digits, no trailing zeros (0.52, 1234, 1.5e-5). */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(2).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(4)));
}

/** "50th", "1st", "22nd", "33.3rd": an ordinal for a percentile in a reason text. */
export function ordinal(x: number): string {
  const n = Number(x.toPrecision(4));
  const last = Math.abs(Math.trunc(n)) % 100;
  const suffix =
    Number.isInteger(n) && last >= 11 && last <= 13
      ? "th"
      : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[last % 10] ?? "th");
  return `${n}${suffix}`;
}
