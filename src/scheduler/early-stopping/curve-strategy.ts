import type { CurvePoint } from "../../core/curve-point.js";
import type { Experiment } from "../../core/experiment.js";
import type { EarlyStoppingStrategy } from "../scheduler-options.js";
import { latestPoint, trialsReaching } from "./curve-math.js";
import { type CurveSnapshot, readCurves } from "./curve-snapshot.js";
import { inProgressionRange, type ResolvedCurveOptions } from "./curve-strategy-options.js";

/** What a strategy is asked: which of the running trials to stop. */
export interface StopQuestion {
  readonly trialIndices: ReadonlySet<number>;
  readonly experiment: Experiment;
}

/**
 * What the built-in curve strategies share: validated options, the wait between polls they may set, and
 * reading the watched metric's curves before deciding on them. A subclass writes only `decide`.
 * @internal
 */
export abstract class CurveEarlyStoppingStrategy<O extends ResolvedCurveOptions>
  implements EarlyStoppingStrategy
{
  /** The validated options. */
  readonly options: O;

  protected constructor(
    /** The class name, for error messages. */
    private readonly strategyName: string,
    options: O,
  ) {
    this.options = Object.freeze(options);
  }

  /** Wait between poll rounds while this strategy is set, when given. */
  get secondsBetweenPolls(): number | undefined {
    return this.options.secondsBetweenPolls;
  }

  /** Which of the running `trialIndices` to stop, each with its reason. */
  shouldStopTrialsEarly(args: StopQuestion): Map<number, string | null> {
    return this.decide(readCurves(args.experiment, this.options, this.strategyName), args);
  }

  /** The decisions on a snapshot of the curves. */
  protected abstract decide(snapshot: CurveSnapshot, question: StopQuestion): Map<number, string | null>;
}

/** A trial a rule may judge: its curve and latest point. */
export interface JudgedTrial {
  readonly trialIndex: number;
  readonly curve: readonly CurvePoint[];
  readonly last: CurvePoint;
}

/**
 * The trials of `trialIndices` a rule may judge: not ignored, with a curve whose latest point lies between
 * `minProgression` and `maxProgression`.
 */
export function* judgedTrials(
  snapshot: CurveSnapshot,
  trialIndices: Iterable<number>,
  options: ResolvedCurveOptions,
): Generator<JudgedTrial> {
  const ignored = new Set(options.trialIndicesToIgnore);
  for (const trialIndex of trialIndices) {
    if (ignored.has(trialIndex)) continue;
    const curve = snapshot.curves.get(trialIndex) ?? [];
    const last = latestPoint(curve);
    if (last === null || !inProgressionRange(last.progression, options)) continue;
    yield { trialIndex, curve, last };
  }
}

/** Whether `minCurves` curves have reached `minProgression`: before then a rule stops nothing (Ax's gate). */
export function enoughCurvesReached(snapshot: CurveSnapshot, options: ResolvedCurveOptions): boolean {
  return trialsReaching(snapshot.curves, options.minProgression ?? 0).length >= options.minCurves;
}
