import type { CurvePoint } from "../../core/curve-point.js";
import { TrialStatus } from "../../core/trial-status.js";
import { bestUpTo, formatValue, isWorse, latestPoint, valueAt } from "./curve-math.js";
import type { CurveSnapshot } from "./curve-snapshot.js";
import { CurveEarlyStoppingStrategy, judgedTrials, type StopQuestion } from "./curve-strategy.js";
import {
  CURVE_OPTION_KEYS,
  type CurveStrategyOptions,
  checkKnownKeys,
  curveOptionsToJSON,
  optionError,
  type ResolvedCurveOptions,
  resolveCurveOptions,
} from "./curve-strategy-options.js";
import { fitFinalChange, predictFinalValue, studentQuantileFromNormal } from "./final-change.js";

/** How values are modelled: on a log scale ("log"), as they are ("none"), or log when all are > 0 ("auto"). */
export type CurveTransform = "auto" | "log" | "none";

/** Options of {@link CurvePredictionEarlyStoppingStrategy}. */
export interface CurvePredictionEarlyStoppingOptions extends CurveStrategyOptions {
  /**
   * How many prediction standard errors the trial is given in its favour before it is judged hopeless
   * (1.25 ≈ a one-sided 89% interval under normal errors, 2 ≈ 97.7%; widened for few curves as a Student
   * t). Larger stops later and less often. Default 1.25, the best trade-off between steps saved and regret
   * on the learning-curve benchmark (docs/early-stopping.md).
   */
  optimism?: number;
  /** Scale the values are modelled on. Default "auto" (log when every value involved is positive). */
  transform?: CurveTransform;
}

/** JSON form of a {@link CurvePredictionEarlyStoppingStrategy}, as `earlyStoppingStrategyFromConfig` takes it. */
export interface CurvePredictionEarlyStoppingConfig extends CurvePredictionEarlyStoppingOptions {
  readonly type: "curve-prediction";
}

/** Validated options of {@link CurvePredictionEarlyStoppingStrategy}. */
export type ResolvedCurvePredictionOptions = ResolvedCurveOptions & {
  readonly optimism: number;
  readonly transform: CurveTransform;
};

const NAME = "CurvePredictionEarlyStoppingStrategy";
const KEYS = [...CURVE_OPTION_KEYS, "optimism", "transform"];

/**
 * Stops a running trial when its predicted final value, even given the benefit of the doubt, is worse
 * than the best final value observed so far.
 *
 * The model: the reference curves are those of COMPLETED trials that reached the greatest progression T
 * seen among completed curves; their value at T is their final value, and the best of those is the value
 * to beat. For a running trial whose latest progression is t, each reference curve gives the change from
 * its best value up to t to its final value (on a log scale for positive metrics such as losses: curves
 * shrink by factors). The trial is predicted to change by the mean of those changes from its own best value
 * up to t, with a Student-t prediction interval from their spread. It is stopped when the optimistic end of
 * that interval (`optimism` standard errors towards better) is strictly worse than the best final value.
 * Early in training, when curves still cross and drop at different times, the changes spread widely and
 * nothing is stopped; once they agree, a trial clearly behind the best is stopped, even if it is better
 * than most others.
 *
 * Nothing is stopped before `minCurves` (default 4) reference curves exist, a trial is judged only between
 * `minProgression` and `maxProgression` and before T, and a trial that started after progression t of
 * every reference curve cannot be judged.
 *
 * @example new CurvePredictionEarlyStoppingStrategy({ minCurves: 6, optimism: 2 })
 * @throws EarlyStoppingConfigError for invalid options.
 */
export class CurvePredictionEarlyStoppingStrategy extends CurveEarlyStoppingStrategy<ResolvedCurvePredictionOptions> {
  /** The config `type` of this strategy. */
  readonly kind = "curve-prediction" as const;

  constructor(options: CurvePredictionEarlyStoppingOptions = {}) {
    checkKnownKeys(NAME, options, KEYS);
    const optimism = options.optimism ?? 1.25;
    if (typeof optimism !== "number" || !Number.isFinite(optimism) || optimism < 0) {
      optionError(
        NAME,
        "optimism",
        `must be a finite number >= 0 (standard errors), got ${String(optimism)}.`,
      );
    }
    const transform = options.transform ?? "auto";
    if (transform !== "auto" && transform !== "log" && transform !== "none") {
      optionError(NAME, "transform", `must be "auto", "log" or "none", got ${String(transform)}.`);
    }
    super(NAME, { ...resolveCurveOptions(NAME, options, { minCurves: 4 }), optimism, transform });
  }

  protected override decide(snapshot: CurveSnapshot, question: StopQuestion): Map<number, string | null> {
    const completed = question.experiment.trialIndicesWithStatus(TrialStatus.COMPLETED);
    return curvePredictionDecisions(snapshot, question.trialIndices, completed, this.options);
  }

  /** The options as a config object for `earlyStoppingStrategyFromConfig`. */
  toJSON(): CurvePredictionEarlyStoppingConfig {
    return {
      type: this.kind,
      optimism: this.options.optimism,
      transform: this.options.transform,
      ...curveOptionsToJSON(this.options),
    };
  }
}

/** The completed curves that reached the final progression, and that progression. */
interface References {
  readonly finalProgression: number;
  readonly curves: readonly (readonly CurvePoint[])[];
  readonly finals: readonly number[];
}

function references(snapshot: CurveSnapshot, completed: ReadonlySet<number>): References | null {
  let finalProgression = Number.NEGATIVE_INFINITY;
  for (const i of completed) {
    const last = latestPoint(snapshot.curves.get(i) ?? []);
    if (last !== null && last.progression > finalProgression) finalProgression = last.progression;
  }
  if (!Number.isFinite(finalProgression)) return null;
  const curves: (readonly CurvePoint[])[] = [];
  const finals: number[] = [];
  for (const i of completed) {
    const curve = snapshot.curves.get(i) ?? [];
    const final = valueAt(curve, finalProgression);
    if (final === null) continue;
    curves.push(curve);
    finals.push(final);
  }
  return { finalProgression, curves, finals };
}

/**
 * The curve-prediction rule on a snapshot (the pure part of {@link CurvePredictionEarlyStoppingStrategy}).
 * @param completed indices of the COMPLETED trials, whose curves are the references.
 * @internal
 */
export function curvePredictionDecisions(
  snapshot: CurveSnapshot,
  trialIndices: ReadonlySet<number>,
  completed: ReadonlySet<number>,
  options: ResolvedCurvePredictionOptions,
): Map<number, string | null> {
  const decisions = new Map<number, string | null>();
  const refs = references(snapshot, completed);
  if (refs === null || refs.curves.length < options.minCurves) return decisions;
  const best = refs.finals.reduce((a, b) => (isWorse(a, b, snapshot.minimize) ? b : a));
  for (const { trialIndex, curve, last } of judgedTrials(snapshot, trialIndices, options)) {
    if (completed.has(trialIndex) || last.progression >= refs.finalProgression) continue;
    const reason = judge(snapshot, refs, curve, best, options);
    if (reason !== null) decisions.set(trialIndex, reason);
  }
  return decisions;
}

/** The reason to stop a trial whose curve is `curve` (latest point `last`), or null to let it run. */
function judge(
  snapshot: CurveSnapshot,
  refs: References,
  curve: readonly CurvePoint[],
  best: number,
  options: ResolvedCurvePredictionOptions,
): string | null {
  const { minimize } = snapshot;
  const last = curve[curve.length - 1]!;
  const t = last.progression;
  const x: number[] = [];
  const y: number[] = [];
  refs.curves.forEach((ref, i) => {
    const v = bestUpTo(ref, t, minimize);
    if (v !== null) {
      x.push(v);
      y.push(refs.finals[i]!);
    }
  });
  if (x.length < options.minCurves) return null;
  const now = bestUpTo(curve, t, minimize)!;
  const all = [...x, ...y, now];
  const log = options.transform === "log" || (options.transform === "auto" && all.every((v) => v > 0));
  if (log && !all.every((v) => v > 0)) return null;
  const g = log ? Math.log : (v: number) => v;
  const gInv = log ? Math.exp : (v: number) => v;
  const fit = fitFinalChange(x.map(g), y.map(g));
  if (fit === null) return null;
  const prediction = predictFinalValue(fit, g(now));
  const towardsBetter = minimize ? -1 : 1;
  const margin = studentQuantileFromNormal(options.optimism, fit.dof) * prediction.se;
  const optimistic = gInv(prediction.mean + towardsBetter * margin);
  if (!isWorse(optimistic, best, minimize)) return null;
  const { metricName: m, progressionLabel: p } = snapshot;
  const bestSoFar = now === last.mean ? "" : ` (best so far ${formatValue(now)})`;
  return (
    `${m} ${formatValue(last.mean)} at ${p} ${formatValue(t)}${bestSoFar} predicts ` +
    `${formatValue(gInv(prediction.mean))} at ${p} ${formatValue(refs.finalProgression)} ` +
    `(at best ${formatValue(optimistic)}, from ${x.length} completed curves), ` +
    `worse than the best final value ${formatValue(best)}`
  );
}
