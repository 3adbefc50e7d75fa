import type { CurvePoint } from "../../core/data.js";
import type { Experiment } from "../../core/experiment.js";
import { TrialStatus } from "../../core/trial-status.js";
import type { EarlyStoppingStrategy } from "../scheduler-options.js";
import { formatValue, isWorse, latestPoint, valueAt } from "./curve-math.js";
import { fitFinalValue, predictFinalValue, studentQuantileFromNormal } from "./curve-regression.js";
import { type CurveSnapshot, readCurves } from "./curve-snapshot.js";
import {
  CURVE_OPTION_KEYS,
  type CurveStrategyOptions,
  checkKnownKeys,
  curveOptionsToJSON,
  inProgressionRange,
  optionError,
  type ResolvedCurveOptions,
  resolveCurveOptions,
} from "./curve-strategy-options.js";

/** How values are modelled: on a log scale ("log"), as they are ("none"), or log when all are > 0 ("auto"). */
export type CurveTransform = "auto" | "log" | "none";

/** Options of {@link CurvePredictionEarlyStoppingStrategy}. */
export interface CurvePredictionEarlyStoppingOptions extends CurveStrategyOptions {
  /**
   * How many prediction standard errors the trial is given in its favour before it is judged hopeless
   * (2 ≈ a one-sided 97.7% interval under normal errors; widened for few curves as a Student t). Larger
   * stops later and less often. Default 2.
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
 * seen among completed curves; their value at T is their final value. For a running trial whose latest
 * point is (t, v), every reference curve gives a pair (its value at t, interpolated; its final value), and
 * a least-squares line through those pairs (on a log scale for positive metrics such as losses) predicts
 * the trial's final value from v, with a Student-t prediction interval that accounts for the scatter of
 * the pairs and the line's own uncertainty. The trial is stopped when the optimistic end of that interval
 * (`optimism` standard errors towards better) is strictly worse than the best reference final value.
 * The line learns both how much curves still improve after t and how well the value at t ranks the final
 * values: early in training the pairs scatter, the interval is wide, and nothing is stopped.
 *
 * Nothing is stopped before `minCurves` (default 5) reference curves exist, a trial is judged only between
 * `minProgression` and `maxProgression` and before T, and a trial that started after progression t of
 * every reference curve cannot be judged.
 *
 * @example new CurvePredictionEarlyStoppingStrategy({ minCurves: 4, optimism: 2 })
 * @throws EarlyStoppingConfigError for invalid options.
 */
export class CurvePredictionEarlyStoppingStrategy implements EarlyStoppingStrategy {
  /** The config `type` of this strategy. */
  readonly kind = "curve-prediction" as const;
  /** The validated options. */
  readonly options: ResolvedCurvePredictionOptions;

  constructor(options: CurvePredictionEarlyStoppingOptions = {}) {
    checkKnownKeys(NAME, options, KEYS);
    const optimism = options.optimism ?? 2;
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
    this.options = Object.freeze({
      ...resolveCurveOptions(NAME, options, { minCurves: 5 }),
      optimism,
      transform,
    });
  }

  /** Wait between poll rounds while this strategy is set, when given. */
  get secondsBetweenPolls(): number | undefined {
    return this.options.secondsBetweenPolls;
  }

  /** Which of the running `trialIndices` to stop, each with its reason. */
  shouldStopTrialsEarly(args: {
    trialIndices: ReadonlySet<number>;
    experiment: Experiment;
  }): Map<number, string | null> {
    const snapshot = readCurves(args.experiment, this.options, NAME);
    const completed = args.experiment.trialIndicesWithStatus(TrialStatus.COMPLETED);
    return curvePredictionDecisions(snapshot, args.trialIndices, completed, this.options);
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
  const ignored = new Set(options.trialIndicesToIgnore);
  for (const trialIndex of trialIndices) {
    if (ignored.has(trialIndex) || completed.has(trialIndex)) continue;
    const last = latestPoint(snapshot.curves.get(trialIndex) ?? []);
    if (last === null || !inProgressionRange(last.progression, options)) continue;
    if (last.progression >= refs.finalProgression) continue;
    const reason = judge(snapshot, refs, last, best, options);
    if (reason !== null) decisions.set(trialIndex, reason);
  }
  return decisions;
}

/** The reason to stop a trial whose latest point is `last`, or null to let it run. */
function judge(
  snapshot: CurveSnapshot,
  refs: References,
  last: CurvePoint,
  best: number,
  options: ResolvedCurvePredictionOptions,
): string | null {
  const x: number[] = [];
  const y: number[] = [];
  refs.curves.forEach((curve, i) => {
    const v = valueAt(curve, last.progression);
    if (v !== null) {
      x.push(v);
      y.push(refs.finals[i]!);
    }
  });
  if (x.length < options.minCurves) return null;
  const all = [...x, ...y, last.mean];
  const log = options.transform === "log" || (options.transform === "auto" && all.every((v) => v > 0));
  if (log && !all.every((v) => v > 0)) return null;
  const g = log ? Math.log : (v: number) => v;
  const gInv = log ? Math.exp : (v: number) => v;
  const fit = fitFinalValue(x.map(g), y.map(g));
  if (fit === null) return null;
  const prediction = predictFinalValue(fit, g(last.mean));
  const t = studentQuantileFromNormal(options.optimism, fit.dof);
  const towardsBetter = snapshot.minimize ? -1 : 1;
  const optimistic = gInv(prediction.mean + towardsBetter * t * prediction.se);
  if (!isWorse(optimistic, best, snapshot.minimize)) return null;
  const { metricName: m, progressionLabel: p } = snapshot;
  return (
    `${m} ${formatValue(last.mean)} at ${p} ${formatValue(last.progression)} predicts ` +
    `${formatValue(gInv(prediction.mean))} at ${p} ${formatValue(refs.finalProgression)} ` +
    `(at best ${formatValue(optimistic)}, from ${x.length} completed curves), ` +
    `worse than the best final value ${formatValue(best)}`
  );
}
