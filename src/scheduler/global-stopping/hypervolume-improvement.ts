import type { Experiment } from "../../core/experiment.js";
import { observedArms, satisfiesOutcomeConstraints } from "../../core/observed-arms.js";
import type { OptimizationConfig } from "../../core/optimization-config.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { hypervolume, inferReferencePoint, nonDominatedIndices } from "../../numerics/pareto/index.js";
import type { GlobalStoppingDecision } from "./global-stopping-strategy.js";
import { fmt, type ImprovementRule } from "./objective-improvement.js";

/** One feasible observed arm: its trial and its objective values on the maximization scale. */
interface FeasiblePoint {
  readonly trialIndex: number;
  readonly y: readonly number[];
}

/**
 * Ax's multi-objective rule: the hypervolume of the feasible observed arms of the COMPLETED trials up to
 * the last one (by trial index) against that of the trials up to `windowSize − 1` indices earlier;
 * when the relative gain `(hv − hvStart) / hvStart` is below `improvementBar`, stop. A zero hypervolume
 * at the start of the window never stops.
 *
 * The reference point is the objective thresholds (relative ones made absolute with the status quo);
 * objectives without one get a coordinate inferred from the feasible front (nadir minus 10% of the
 * range, as Ax), inferred once per experiment by `referenceCache` and then kept, so that successive
 * checks measure hypervolume against the same point.
 * @param completed the COMPLETED trial indices, ascending (non-empty).
 */
export function hypervolumeImprovementDecision(
  experiment: Experiment,
  config: OptimizationConfig,
  completed: readonly number[],
  rule: ImprovementRule,
  referenceCache: WeakMap<Experiment, Float64Array>,
): GlobalStoppingDecision {
  const points = feasiblePoints(experiment, config, completed);
  const m = config.objectives.length;
  const reference = referenceCache.get(experiment) ?? referencePoint(experiment, config, points);
  if (reference === null) {
    return {
      stop: false,
      reason:
        "No completed trial has a feasible observation of every objective yet, so the reference point of " +
        "the hypervolume cannot be inferred (give objective thresholds to fix it).",
    };
  }
  referenceCache.set(experiment, reference);
  const last = completed.at(-1)!;
  const windowStart = last - rule.windowSize + 1;
  const hvStart = volumeUpTo(points, windowStart, m, reference);
  if (hvStart === 0) {
    return {
      stop: false,
      reason: `The hypervolume of the feasible trials up to trial ${windowStart} (the start of the window) is 0, so relative improvement cannot be judged.`,
    };
  }
  const hv = volumeUpTo(points, last, m, reference);
  const relative = (hv - hvStart) / hvStart;
  const what =
    `The hypervolume grew by ${fmt(relative)} of its value at the start of the window ` +
    `(${fmt(hvStart)} up to trial ${windowStart}, ${fmt(hv)} up to trial ${last})`;
  if (relative < rule.improvementBar) {
    return {
      stop: true,
      reason: `${what} over the last ${rule.windowSize} trials, less than improvementBar ${rule.improvementBar}.`,
    };
  }
  return {
    stop: false,
    reason: `${what} over the last ${rule.windowSize} trials, at least improvementBar ${rule.improvementBar}.`,
  };
}

/** Arms of the completed trials with every objective observed and the outcome constraints satisfied. */
function feasiblePoints(
  experiment: Experiment,
  config: OptimizationConfig,
  completed: readonly number[],
): FeasiblePoint[] {
  const boundOf = relativeBoundsOf(experiment);
  const out: FeasiblePoint[] = [];
  for (const trialIndex of completed) {
    for (const { values } of observedArms(experiment, experiment.getTrial(trialIndex))) {
      if (!config.objectives.every((o) => values[o.metric.name] !== undefined)) continue;
      if (!satisfiesOutcomeConstraints(config, values, boundOf)) continue;
      out.push({
        trialIndex,
        y: config.objectives.map((o) => (o.minimize ? -1 : 1) * values[o.metric.name]!),
      });
    }
  }
  return out;
}

/** The thresholds where known, the rest inferred from the front; null when that front is empty. */
function referencePoint(
  experiment: Experiment,
  config: OptimizationConfig,
  points: readonly FeasiblePoint[],
): Float64Array | null {
  const boundOf = relativeBoundsOf(experiment);
  const known = config.objectives.map((o) => {
    const threshold = config.objectiveThresholds.find((t) => t.metric.name === o.metric.name);
    const bound = threshold ? boundOf(threshold) : null;
    return bound === null ? null : (o.minimize ? -1 : 1) * bound;
  });
  const m = known.length;
  const Y = matrix(points, m);
  const front = nonDominatedIndices(Y, points.length, m).map((i) => points[i]!);
  if (front.length === 0 && known.some((k) => k === null)) return null;
  return inferReferencePoint(matrix(front, m), front.length, m, { known });
}

function volumeUpTo(
  points: readonly FeasiblePoint[],
  lastIndex: number,
  m: number,
  ref: Float64Array,
): number {
  const upTo = points.filter((p) => p.trialIndex <= lastIndex);
  return hypervolume(matrix(upTo, m), upTo.length, m, ref);
}

/** n×m row-major. */
function matrix(points: readonly FeasiblePoint[], m: number): Float64Array {
  const out = new Float64Array(points.length * m);
  points.forEach((p, i) => {
    out.set(p.y, i * m);
  });
  return out;
}
