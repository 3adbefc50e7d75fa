import type { Experiment } from "../core/experiment.js";
import type { OutcomeConstraint } from "../core/outcome-constraint.js";
import { derelativizeBound, observedStatusQuoMean } from "../core/relative-bounds.js";
import { DataRequiredError, GenerationStrategyError } from "../errors.js";

/**
 * The status quo's observed value of a metric (see `observedStatusQuoMean`: the raw status quo, as Ax's
 * Derelativize uses with `use_raw_status_quo`; Ax otherwise prefers the model's prediction when the
 * status quo lies in the search space).
 * @throws GenerationStrategyError when the experiment has no status quo; DataRequiredError when the
 * status quo has no observation of the metric yet (e.g. its trial is still running).
 */
export function statusQuoValue(experiment: Experiment, metricName: string): number {
  const sq = experiment.statusQuo;
  if (!sq) {
    throw new GenerationStrategyError(
      `Experiment "${experiment.name}" has a bound on "${metricName}" relative to the status quo, but no status ` +
        "quo: set one (createExperiment({ statusQuo: {...} }) or experiment.statusQuo), or give the bound in the " +
        "metric's own units.",
    );
  }
  const value = observedStatusQuoMean(experiment, metricName);
  if (value === null) {
    throw new DataRequiredError(
      `The bound on "${metricName}" is relative to the status quo (arm "${sq.name}"), which has no observation ` +
        `of "${metricName}" from a COMPLETED trial yet; evaluate the status quo (e.g. attach a trial with its ` +
        "parameters) and report the metric.",
      { stepIndex: -1 },
    );
  }
  return value;
}

/**
 * A constraint's bound in the metric's own units: its bound when absolute, else the relative bound
 * applied to the status quo's observed value (see {@link derelativizeBound}, {@link statusQuoValue}).
 * @throws GenerationStrategyError or DataRequiredError as {@link statusQuoValue}, for relative ones.
 */
export function absoluteBound(experiment: Experiment, constraint: OutcomeConstraint): number {
  if (!constraint.relative) return constraint.bound;
  return derelativizeBound(constraint.bound, statusQuoValue(experiment, constraint.metric.name));
}

export { derelativizeBound };
