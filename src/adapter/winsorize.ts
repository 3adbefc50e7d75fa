import type { OptimizationConfig } from "../core/optimization-config.js";
import type { MetricDataset } from "./metric-datasets.js";

/**
 * How far out, in interquartile ranges beyond the quartile on the bad side, a value must lie before it
 * is clipped. Ax's opt-in Winsorize transform uses Tukey's 1.5; this guard is on by default, so it only
 * catches values no model can use (1e160 among values of order 1), and leaves every ordinary dataset
 * (including heavy-tailed benchmark data) exactly as observed.
 */
export const WINSORIZATION_IQR_MULTIPLE = 1000;

/**
 * Largest magnitude of a mean the models see. Its square, summed over any realistic number of
 * observations, stays finite (1e300 · n < 1.8e308 for n below 1e8), so standardizing the outputs cannot
 * overflow however extreme an observation was.
 */
export const MAX_MODELED_MAGNITUDE = 1e150;

/**
 * Largest standard error the models see. Its square divided by the smallest output scale the GP
 * standardizes by (1e-8, squared) stays finite: 1e280 / 1e-16 = 1e296. An observation with that much
 * noise carries no information either way, so capping it changes nothing a model would learn.
 */
export const MAX_MODELED_SEM = 1e140;

/**
 * The tails of one metric's values that may be clipped, on the scale of its dataset (after the sign a
 * minimized objective is negated by). An `anchor` widens the fence to include a constraint's bound, as
 * Ax does, so that values near the bound are never moved across it.
 */
export interface WinsorizationTails {
  lower: { anchor: number | null } | null;
  upper: { anchor: number | null } | null;
}

/** A dataset after {@link winsorizeDataset}, with the number of rows whose mean or sem was changed. */
export interface WinsorizedDataset {
  dataset: MetricDataset;
  numClipped: number;
}

/**
 * How far past the quartiles a fence lies: `iqrMultiple` interquartile ranges; with `zeroSpread`
 * "keep" a zero interquartile range clips nothing, with "clip" the fence is the quartile itself (as
 * Ax computes it).
 */
export interface WinsorizationRule {
  iqrMultiple: number;
  zeroSpread: "keep" | "clip";
}

/** The default outlier guard: only values no model can use. */
export const GUARD_RULE: WinsorizationRule = { iqrMultiple: WINSORIZATION_IQR_MULTIPLE, zeroSpread: "keep" };

/** Ax's automatic winsorization: Tukey's 1.5 interquartile ranges, a zero range clipping at the quartile. */
export const TUKEY_RULE: WinsorizationRule = { iqrMultiple: 1.5, zeroSpread: "clip" };

const NO_TAILS: WinsorizationTails = { lower: null, upper: null };

/**
 * Which tails of a metric to clip, in the manner of Ax's automatic winsorization: an objective's worse
 * tail (the low one on the maximization scale); a constraint's (or objective threshold's) infeasible
 * tail, its fence anchored at the bound; both tails when both kinds of bound exist. A metric the config
 * does not mention has no tail clipped (only the magnitude caps apply).
 *
 * @param sign the dataset's sign (−1 when the values were negated: a minimized objective).
 */
export function winsorizationTails(
  config: OptimizationConfig | null,
  metricName: string,
  sign: 1 | -1,
): WinsorizationTails {
  if (config === null) return NO_TAILS;
  // On the metric's own scale first, then mirrored for a negated dataset.
  let lower: { anchor: number | null } | null = null;
  let upper: { anchor: number | null } | null = null;
  const objective = config.objectives.find((o) => o.metric.name === metricName);
  if (objective) {
    if (objective.minimize) upper = { anchor: null };
    else lower = { anchor: null };
  }
  const bounds = [...config.outcomeConstraints, ...config.objectiveThresholds].filter(
    (c) => c.metric.name === metricName && !c.relative,
  );
  for (const c of bounds) {
    if (c.op === "LEQ") upper = { anchor: c.bound };
    else lower = { anchor: c.bound };
  }
  if (sign === 1) return { lower, upper };
  const mirror = (t: { anchor: number | null } | null) =>
    t && { anchor: t.anchor === null ? null : -t.anchor };
  return { lower: mirror(upper), upper: mirror(lower) };
}

/**
 * Outlier guard on a dataset before a GP sees it, so that no finite observation can break model fitting:
 *
 * 1. Values beyond `rule.iqrMultiple` interquartile ranges ({@link WINSORIZATION_IQR_MULTIPLE} by
 *    default) past the quartile of a clipped tail are moved to that fence (quartiles as Ax computes
 *    them: the 25th percentile rounded down, the 75th rounded up; the fence includes the tail's
 *    anchor). A zero interquartile range clips nothing under the default rule, and clips at the
 *    quartile under {@link TUKEY_RULE}.
 * 2. Every mean is clamped to ±{@link MAX_MODELED_MAGNITUDE}, every sem to {@link MAX_MODELED_SEM}.
 *
 * Clipping is monotone: it never reverses the order of two observations (values beyond a fence may
 * tie there), so the worst stay the worst and the best the best. A dataset
 * that needs no change is returned as is (the same object), so ordinary data are modeled bit for bit
 * as observed.
 */
export function winsorizeDataset(
  dataset: MetricDataset,
  tails: WinsorizationTails,
  rule: WinsorizationRule = GUARD_RULE,
): WinsorizedDataset {
  const { Y, Yvar } = dataset;
  const [low, high] = fences(Y, tails, rule);
  const lo = Math.max(low, -MAX_MODELED_MAGNITUDE);
  const hi = Math.min(high, MAX_MODELED_MAGNITUDE);
  const maxVar = MAX_MODELED_SEM * MAX_MODELED_SEM;
  let numClipped = 0;
  const clippedY = new Float64Array(Y.length);
  const clippedVar = Yvar === null ? null : new Float64Array(Yvar.length);
  for (let i = 0; i < Y.length; i++) {
    const y = Math.min(hi, Math.max(lo, Y[i]!));
    const v = Yvar === null ? 0 : Math.min(maxVar, Yvar[i]!);
    if (y !== Y[i] || (Yvar !== null && v !== Yvar[i])) numClipped++;
    clippedY[i] = y;
    if (clippedVar !== null) clippedVar[i] = v;
  }
  if (numClipped === 0) return { dataset, numClipped };
  return { dataset: { ...dataset, Y: clippedY, Yvar: clippedVar }, numClipped };
}

/** [lower fence, upper fence]; ±Infinity for a tail that is not clipped or has no spread. */
function fences(Y: Float64Array, tails: WinsorizationTails, rule: WinsorizationRule): [number, number] {
  if (Y.length === 0 || (tails.lower === null && tails.upper === null)) return [-Infinity, Infinity];
  const sorted = Float64Array.from(Y).sort();
  const q1 = sorted[Math.floor((sorted.length - 1) * 0.25)]!;
  const q3 = sorted[Math.ceil((sorted.length - 1) * 0.75)]!;
  let low = -Infinity;
  let high = Infinity;
  if (tails.upper !== null) {
    const top = tails.upper.anchor === null ? q3 : Math.max(q3, tails.upper.anchor);
    const spread = top - q1;
    if (spread > 0 || rule.zeroSpread === "clip") high = top + rule.iqrMultiple * spread;
  }
  if (tails.lower !== null) {
    const bottom = tails.lower.anchor === null ? q1 : Math.min(q1, tails.lower.anchor);
    const spread = q3 - bottom;
    if (spread > 0 || rule.zeroSpread === "clip") low = bottom - rule.iqrMultiple * spread;
  }
  return [low, high];
}
