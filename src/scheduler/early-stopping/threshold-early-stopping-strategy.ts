import { formatValue, isWorse } from "./curve-math.js";
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

/** Options of {@link ThresholdEarlyStoppingStrategy}. */
export interface ThresholdEarlyStoppingOptions extends CurveStrategyOptions {
  /** A trial whose latest value is strictly worse than this is stopped (required). */
  metricThreshold: number;
}

/** JSON form of a {@link ThresholdEarlyStoppingStrategy}, as `earlyStoppingStrategyFromConfig` takes it. */
export interface ThresholdEarlyStoppingConfig extends ThresholdEarlyStoppingOptions {
  readonly type: "threshold";
}

const NAME = "ThresholdEarlyStoppingStrategy";

type ThresholdOptions = ResolvedCurveOptions & { readonly metricThreshold: number };
const KEYS = [...CURVE_OPTION_KEYS, "metricThreshold"];

/**
 * Stops a running trial whose latest value is worse than a fixed `metricThreshold` (Ax's
 * `ThresholdEarlyStoppingStrategy`): above it for a minimized metric, below it for a maximized one. The
 * trial's latest progression must lie in [`minProgression`, `maxProgression`), and nothing is stopped until
 * `minCurves` curves (default 5, as in Ax) have reached `minProgression`.
 *
 * @example new ThresholdEarlyStoppingStrategy({ metricThreshold: 0.5, minProgression: 10, minCurves: 1 })
 * @throws EarlyStoppingConfigError for a missing or non-finite threshold, or other invalid options.
 */
export class ThresholdEarlyStoppingStrategy extends CurveEarlyStoppingStrategy<ThresholdOptions> {
  /** The config `type` of this strategy. */
  readonly kind = "threshold" as const;

  constructor(options: ThresholdEarlyStoppingOptions) {
    checkKnownKeys(NAME, options, KEYS);
    const metricThreshold = options.metricThreshold;
    if (typeof metricThreshold !== "number" || !Number.isFinite(metricThreshold)) {
      optionError(
        NAME,
        "metricThreshold",
        `must be a finite number (the value a trial must beat), got ${String(metricThreshold)}.`,
      );
    }
    super(NAME, { ...resolveCurveOptions(NAME, options, { minCurves: 5 }), metricThreshold });
  }

  protected override decide(snapshot: CurveSnapshot, question: StopQuestion): Map<number, string | null> {
    return thresholdDecisions(snapshot, question.trialIndices, this.options);
  }

  /** The options as a config object for `earlyStoppingStrategyFromConfig`. */
  toJSON(): ThresholdEarlyStoppingConfig {
    return {
      type: this.kind,
      metricThreshold: this.options.metricThreshold,
      ...curveOptionsToJSON(this.options),
    };
  }
}

/**
 * The threshold rule on a snapshot of curves (the pure part of {@link ThresholdEarlyStoppingStrategy}).
 * @internal
 */
export function thresholdDecisions(
  snapshot: CurveSnapshot,
  trialIndices: ReadonlySet<number>,
  options: ThresholdOptions,
): Map<number, string | null> {
  const decisions = new Map<number, string | null>();
  const { minimize } = snapshot;
  if (!enoughCurvesReached(snapshot, options)) return decisions;
  for (const { trialIndex, last } of judgedTrials(snapshot, trialIndices, options)) {
    if (!isWorse(last.mean, options.metricThreshold, minimize)) continue;
    decisions.set(
      trialIndex,
      `${snapshot.metricName} ${formatValue(last.mean)} at ${snapshot.progressionLabel} ` +
        `${formatValue(last.progression)} is worse than the threshold ${formatValue(options.metricThreshold)} ` +
        `(${minimize ? "lower" : "higher"} is better)`,
    );
  }
  return decisions;
}
