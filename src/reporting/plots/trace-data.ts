import type { BaseTrial } from "../../core/base-trial.js";
import type { Experiment } from "../../core/experiment.js";
import type { Objective } from "../../core/objective.js";
import { observedArms, satisfiesOutcomeConstraints } from "../../core/observed-arms.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { TrialStatus } from "../../core/trial-status.js";
import { OptimizationConfigError } from "../../errors.js";

/** What the horizontal axis of a trace counts: trial indices, or seconds of wall-clock time. */
export type TraceAxis = "trial" | "time";

/** One observed arm of a COMPLETED trial on a trace. */
export interface TraceObservation {
  trialIndex: number;
  armName: string;
  /** Position on the horizontal axis: the trial index, or seconds from the first trial's start to completion. */
  x: number;
  value: number;
  /** Whether the arm satisfies the outcome constraints, as `bestPoint` judges it. */
  feasible: boolean;
  parameters: Parameterization;
}

/** The best feasible value after a trial (a step of the best-so-far line). */
export interface BestStep {
  trialIndex: number;
  x: number;
  best: number;
}

/** A trial that ended without data to count: FAILED, ABANDONED or EARLY_STOPPED. */
export interface TrialMarker {
  trialIndex: number;
  x: number;
  status: TrialStatus;
  reason: string | null;
}

/** Observations of one objective in trace order, with the best feasible value so far. */
export interface ObjectiveTrace {
  metricName: string;
  minimize: boolean;
  observations: TraceObservation[];
  best: BestStep[];
  markers: TrialMarker[];
}

/** Statuses drawn as marks on a trace's axis instead of as observations. */
export const MARKED_STATUSES: readonly TrialStatus[] = [
  TrialStatus.FAILED,
  TrialStatus.ABANDONED,
  TrialStatus.EARLY_STOPPED,
];

/**
 * The horizontal position of a trial: its index, or the seconds from the earliest trial start (the
 * creation time of trials that never ran) to the trial's completion.
 */
export function tracePosition(experiment: Experiment, by: TraceAxis): (trial: BaseTrial) => number {
  if (by === "trial") return (trial) => trial.index;
  let origin = Number.POSITIVE_INFINITY;
  for (const trial of experiment.trials.values()) {
    origin = Math.min(origin, trial.timeRunStarted ?? trial.timeCreated);
  }
  return (trial) => ((trial.timeCompleted ?? trial.timeRunStarted ?? trial.timeCreated) - origin) / 1000;
}

/** Trials in any of `statuses`, ordered by position on the axis, then index. */
export function trialsInTraceOrder(
  experiment: Experiment,
  statuses: readonly TrialStatus[],
  position: (trial: BaseTrial) => number,
): { trial: BaseTrial; x: number }[] {
  return experiment
    .trialsWithStatuses(statuses)
    .map((trial) => ({ trial, x: position(trial) }))
    .sort((a, b) => a.x - b.x || a.trial.index - b.trial.index);
}

/** FAILED, ABANDONED and EARLY_STOPPED trials at their positions. */
export function trialMarkers(experiment: Experiment, position: (trial: BaseTrial) => number): TrialMarker[] {
  return trialsInTraceOrder(experiment, MARKED_STATUSES, position).map(({ trial, x }) => ({
    trialIndex: trial.index,
    x,
    status: trial.status,
    reason: trial.failureReason,
  }));
}

/**
 * The objective `metricName` (the single objective by default) of the experiment's config.
 * @throws OptimizationConfigError without an optimization config, for a metric that is not an
 * objective, or for no metric on a multi-objective config.
 */
export function objectiveOf(experiment: Experiment, metricName?: string): Objective {
  const config = experiment.requireOptimizationConfig();
  const names = config.objectives.map((o) => o.metric.name);
  if (metricName === undefined) {
    if (config.isMultiObjective) {
      throw new OptimizationConfigError(
        `Experiment "${experiment.name}" has several objectives (${names.join(", ")}); name one of them.`,
      );
    }
    return config.objectives[0]!;
  }
  const objective = config.objectives.find((o) => o.metric.name === metricName);
  if (!objective) {
    throw new OptimizationConfigError(
      `"${metricName}" is not an objective of experiment "${experiment.name}" (objectives: ${names.join(", ")}); ` +
        "use plotMetricTrace for other metrics.",
      { metricName },
    );
  }
  return objective;
}

/**
 * Every observation of an objective by arm of the COMPLETED trials, in trace order, and the best
 * feasible value after each trial. Feasibility and the trials that count are those of `bestPoint`
 * (COMPLETED trials; absolute constraints, relative ones once the status quo has a value), so the
 * last step equals the best point's value.
 * @throws OptimizationConfigError as {@link objectiveOf}.
 */
export function objectiveTrace(experiment: Experiment, by: TraceAxis, metricName?: string): ObjectiveTrace {
  const config = experiment.requireOptimizationConfig();
  const objective = objectiveOf(experiment, metricName);
  const name = objective.metric.name;
  const boundOf = relativeBoundsOf(experiment);
  const position = tracePosition(experiment, by);
  const observations: TraceObservation[] = [];
  const best: BestStep[] = [];
  let bestValue: number | null = null;
  for (const { trial, x } of trialsInTraceOrder(experiment, [TrialStatus.COMPLETED], position)) {
    for (const { arm, values } of observedArms(experiment, trial)) {
      const value = values[name];
      if (value === undefined) continue;
      const feasible = satisfiesOutcomeConstraints(config, values, boundOf);
      observations.push({
        trialIndex: trial.index,
        armName: arm.name,
        x,
        value,
        feasible,
        parameters: arm.parameters,
      });
      if (feasible && (bestValue === null || (objective.minimize ? value < bestValue : value > bestValue))) {
        bestValue = value;
      }
    }
    if (bestValue !== null) best.push({ trialIndex: trial.index, x, best: bestValue });
  }
  return {
    metricName: name,
    minimize: objective.minimize,
    observations,
    best,
    markers: trialMarkers(experiment, position),
  };
}
