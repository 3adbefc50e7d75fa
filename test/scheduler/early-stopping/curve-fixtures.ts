import {
  Data,
  type Experiment,
  Objective,
  OptimizationConfig,
  TrialStatus,
} from "../../../src/core/index.js";
import { makeExperiment, point, run, TestMetric } from "../../core/helpers.js";

/** An experiment whose objective `loss` (or `metricName`) is minimized or maximized, with no trials. */
export function curveExperiment(
  options: { minimize?: boolean; metricName?: string; trackingMetrics?: TestMetric[] } = {},
): Experiment {
  const metric = new TestMetric({ name: options.metricName ?? "loss" });
  const { experiment } = makeExperiment({
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric, minimize: options.minimize ?? true }),
    }),
  });
  for (const m of options.trackingMetrics ?? []) experiment.addTrackingMetric(m);
  return experiment;
}

/** [progression, value] pairs, in any order. */
export type Points = readonly (readonly [number, number])[];

/**
 * Adds a one-arm trial that reported `points` of `metricName` along `key`, and leaves it in `status`
 * (RUNNING, COMPLETED or EARLY_STOPPED). Returns its index.
 */
export function addCurveTrial(
  experiment: Experiment,
  status: TrialStatus,
  points: Points,
  options: { metricName?: string; key?: string } = {},
): number {
  const trial = experiment.newTrial({ generatorRun: run(point(experiment.numTrials % 10)) });
  trial.markRunning();
  attachPoints(experiment, trial.index, points, options);
  if (status === TrialStatus.COMPLETED) trial.markCompleted();
  else if (status === TrialStatus.EARLY_STOPPED) trial.markEarlyStopped();
  else if (status !== TrialStatus.RUNNING) trial.markAs(status);
  return trial.index;
}

/** Attaches more points to a trial's curve. */
export function attachPoints(
  experiment: Experiment,
  trialIndex: number,
  points: Points,
  options: { metricName?: string; key?: string } = {},
): void {
  const armName = experiment.getTrial(trialIndex).arms[0]!.name;
  experiment.attachData(
    Data.fromRows(
      points.map(([progression, mean]) => ({
        trialIndex,
        armName,
        metricName: options.metricName ?? "loss",
        mean,
        sem: null,
        progression: { [options.key ?? "step"]: progression },
      })),
    ),
  );
}

/** A curve y = value(step) sampled at the given steps. */
export function sampled(steps: readonly number[], value: (step: number) => number): Points {
  return steps.map((s) => [s, value(s)] as const);
}

/** 1, 2, ..., n. */
export function steps(n: number, every = 1): number[] {
  return Array.from({ length: Math.floor(n / every) }, (_, i) => (i + 1) * every);
}

/** The trial indices of a decision map, ascending. */
export function stopped(decisions: ReadonlyMap<number, string | null>): number[] {
  return [...decisions.keys()].sort((a, b) => a - b);
}

/** Indices of the RUNNING trials. */
export function runningIndices(experiment: Experiment): Set<number> {
  return new Set(experiment.trialIndicesWithStatus(TrialStatus.RUNNING));
}
