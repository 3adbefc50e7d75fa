import type { Experiment } from "../../core/experiment.js";
import { observedArms, satisfiesOutcomeConstraints } from "../../core/observed-arms.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { TrialStatus } from "../../core/trial-status.js";
import { hypervolume, nonDominatedIndices } from "../../numerics/pareto/index.js";
import { paretoFrontier } from "../pareto-frontier.js";
import {
  type TraceAxis,
  type TrialMarker,
  tracePosition,
  trialMarkers,
  trialsInTraceOrder,
} from "./trace-data.js";

/** The hypervolume of the feasible observations after one trial. */
export interface HypervolumeStep {
  trialIndex: number;
  x: number;
  hypervolume: number;
  /** Feasible arms observed so far. */
  feasibleArms: number;
}

/** The observed hypervolume of a multi-objective experiment, trial after trial. */
export interface HypervolumeTrace {
  objectives: { metricName: string; minimize: boolean }[];
  /**
   * The reference point (by objective, original units): the one `paretoFrontier` uses for all the
   * data (thresholds, else inferred from the final front), held fixed so the steps are comparable.
   * Null while no arm is feasible and some coordinate must be inferred; then there are no steps.
   */
  referencePoint: Record<string, number> | null;
  /** Objectives whose reference coordinate was inferred from the front. */
  inferredObjectives: string[];
  steps: HypervolumeStep[];
  markers: TrialMarker[];
}

/**
 * The hypervolume of the feasible observed arms of COMPLETED trials after each trial (Ax's
 * hypervolume trace), with feasibility as `paretoFrontier` judges it (every objective observed,
 * outcome constraints and objective thresholds satisfied). Its last step equals
 * `paretoFrontier(experiment).hypervolume`.
 * @throws OptimizationConfigError when the experiment has no optimization config or one objective.
 */
export function hypervolumeTrace(experiment: Experiment, by: TraceAxis): HypervolumeTrace {
  const frontier = paretoFrontier(experiment);
  const config = experiment.requireOptimizationConfig();
  const position = tracePosition(experiment, by);
  const { objectives, referencePoint, inferredObjectives } = frontier;
  const markers = trialMarkers(experiment, position);
  if (referencePoint === null) return { objectives, referencePoint, inferredObjectives, steps: [], markers };
  const m = objectives.length;
  const sign = objectives.map((o) => (o.minimize ? -1 : 1));
  const reference = objectives.map((o, k) => sign[k]! * referencePoint[o.metricName]!);
  const boundOf = relativeBoundsOf(experiment);
  const isFeasible = (values: Readonly<Record<string, number>>) =>
    objectives.every((o) => values[o.metricName] !== undefined) &&
    satisfiesOutcomeConstraints(config, values, boundOf) &&
    config.objectiveThresholds.every((t) => {
      const bound = boundOf(t);
      return bound === null || t.isSatisfiedBy(values[t.metric.name]!, bound);
    });
  // The running front, on the maximization scale; dominated rows are dropped as they appear.
  let front: number[][] = [];
  let feasibleArms = 0;
  let volume = 0;
  const steps: HypervolumeStep[] = [];
  for (const { trial, x } of trialsInTraceOrder(experiment, [TrialStatus.COMPLETED], position)) {
    const added = observedArms(experiment, trial)
      .filter(({ values }) => isFeasible(values))
      .map(({ values }) => objectives.map((o, k) => sign[k]! * values[o.metricName]!));
    if (added.length > 0) {
      feasibleArms += added.length;
      const rows = [...front, ...added];
      const kept = nonDominatedIndices(Float64Array.from(rows.flat()), rows.length, m);
      front = kept.map((i) => rows[i]!);
      // Dominated newcomers leave the front, and so the volume, as it was.
      if (kept.some((i) => i >= rows.length - added.length)) {
        volume = hypervolume(Float64Array.from(front.flat()), front.length, m, reference);
      }
    }
    steps.push({ trialIndex: trial.index, x, hypervolume: volume, feasibleArms });
  }
  return { objectives, referencePoint, inferredObjectives, steps, markers };
}
