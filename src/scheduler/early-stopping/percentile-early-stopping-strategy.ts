import { formatValue, isWorse, ordinal, percentileCutoff, valuesAt } from "./curve-math.js";
import type { CurveSnapshot } from "./curve-snapshot.js";
import {
  CurveEarlyStoppingStrategy,
  enoughCurvesReached,
  judgedTrials,
  type StopQuestion,
} from "./curve-strategy.js";
import {
  CURVE_OPTION_KEYS,
  type CurveStrategyOptions,
  checkKnownKeys,
  curveOptionsToJSON,
  optionError,
  type ResolvedCurveOptions,
  resolveCurveOptions,
} from "./curve-strategy-options.js";

/** Options of {@link PercentileEarlyStoppingStrategy}. */
export interface PercentileEarlyStoppingOptions extends CurveStrategyOptions {
  /**
   * Stop a trial in the worst `percentileThreshold` percent of the curves at its progression, in (0, 100).
   * "Worst" follows the direction: for a minimized metric the highest values. Default 50.
   */
  percentileThreshold?: number;
}

/** JSON form of a {@link PercentileEarlyStoppingStrategy}, as `earlyStoppingStrategyFromConfig` takes it. */
export interface PercentileEarlyStoppingConfig extends PercentileEarlyStoppingOptions {
  readonly type: "percentile";
}

const NAME = "PercentileEarlyStoppingStrategy";

type PercentileOptions = ResolvedCurveOptions & { readonly percentileThreshold: number };
const KEYS = [...CURVE_OPTION_KEYS, "percentileThreshold"];

/**
 * Stops a running trial whose latest value is in the worst `percentileThreshold` percent of all curves at
 * the same progression (Ax's `PercentileEarlyStoppingStrategy`, without patience).
 *
 * At each decision, for each candidate trial: its latest point (progression p, value v) is taken; if p is
 * below `minProgression` or at/above `maxProgression` it is left alone. Otherwise every curve that covers
 * p (any trial with data, whatever its status, except ignored ones; linearly interpolated between its
 * points, never extrapolated) gives its value at p, the candidate's own included; with at least
 * `minCurves` such values, the trial is stopped when v is strictly worse than their percentile. Nothing at
 * all is stopped until `minCurves` curves have reached `minProgression`.
 *
 * @example new PercentileEarlyStoppingStrategy({ percentileThreshold: 70, minProgression: 5, minCurves: 5 })
 * @throws EarlyStoppingConfigError for invalid options (see the option docs).
 */
export class PercentileEarlyStoppingStrategy extends CurveEarlyStoppingStrategy<PercentileOptions> {
  /** The config `type` of this strategy. */
  readonly kind = "percentile" as const;

  constructor(options: PercentileEarlyStoppingOptions = {}) {
    checkKnownKeys(NAME, options, KEYS);
    const percentileThreshold = options.percentileThreshold ?? 50;
    if (typeof percentileThreshold !== "number" || !(percentileThreshold > 0 && percentileThreshold < 100)) {
      optionError(
        NAME,
        "percentileThreshold",
        `must be a number in (0, 100) (50 stops the worse half), got ${String(percentileThreshold)}.`,
      );
    }
    super(NAME, { ...resolveCurveOptions(NAME, options, { minCurves: 5 }), percentileThreshold });
  }

  protected override decide(snapshot: CurveSnapshot, question: StopQuestion): Map<number, string | null> {
    return percentileDecisions(snapshot, question.trialIndices, this.options);
  }

  /** The options as a config object for `earlyStoppingStrategyFromConfig`. */
  toJSON(): PercentileEarlyStoppingConfig {
    return {
      type: this.kind,
      percentileThreshold: this.options.percentileThreshold,
      ...curveOptionsToJSON(this.options),
    };
  }
}

/**
 * The percentile rule on a snapshot of curves (the pure part of {@link PercentileEarlyStoppingStrategy}).
 * @internal
 */
export function percentileDecisions(
  snapshot: CurveSnapshot,
  trialIndices: ReadonlySet<number>,
  options: PercentileOptions,
): Map<number, string | null> {
  const decisions = new Map<number, string | null>();
  const { curves, minimize } = snapshot;
  if (!enoughCurvesReached(snapshot, options)) return decisions;
  for (const { trialIndex, last } of judgedTrials(snapshot, trialIndices, options)) {
    const values = [...valuesAt(curves, last.progression).values()];
    if (values.length < options.minCurves) continue;
    const cutoff = percentileCutoff(values, options.percentileThreshold, minimize);
    if (!isWorse(last.mean, cutoff, minimize)) continue;
    decisions.set(
      trialIndex,
      `${snapshot.metricName} ${formatValue(last.mean)} at ${snapshot.progressionLabel} ` +
        `${formatValue(last.progression)} is worse than the ${ordinal(options.percentileThreshold)} percentile ` +
        `(${formatValue(cutoff)}) of ${values.length} curves`,
    );
  }
  return decisions;
}
