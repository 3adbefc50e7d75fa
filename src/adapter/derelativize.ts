import type { Experiment } from "../core/experiment.js";
import type { OutcomeConstraint } from "../core/outcome-constraint.js";
import { observedStatusQuoMean, relativeBoundsOf } from "../core/relative-bounds.js";
import { DataRequiredError, GenerationStrategyError } from "../errors.js";

/**
 * The status quo's observed value of a metric (see `observedStatusQuoMean`: the raw status quo, as Ax's
 * Derelativize uses with `use_raw_status_quo`; Ax otherwise prefers the model's prediction when the
 * status quo lies in the search space).
 * @throws GenerationStrategyError when the experiment has no status quo; DataRequiredError when the
 * status quo has no observation of the metric yet (e.g. its trial is still running).
 */
export function statusQuoValue(experiment: Experiment, metricName: string): number {
  const value = observedStatusQuoMean(experiment, metricName);
  if (value === null) throw missingStatusQuo(experiment, metricName);
  return value;
}

/**
 * A constraint's bound in the metric's own units: its bound when absolute, else the relative bound
 * applied to the status quo's observed value (`relativeBoundsOf`, Ax's Derelativize).
 * @param boundOf the experiment's bounds; pass one `relativeBoundsOf(experiment)` for several
 * constraints, so that the status quo is looked up once per metric.
 * @throws GenerationStrategyError or DataRequiredError as {@link statusQuoValue}, for relative ones.
 */
export function absoluteBound(
  experiment: Experiment,
  constraint: OutcomeConstraint,
  boundOf: (constraint: OutcomeConstraint) => number | null = relativeBoundsOf(experiment),
): number {
  const bound = boundOf(constraint);
  if (bound === null) throw missingStatusQuo(experiment, constraint.metric.name);
  return bound;
}

/** Why a bound relative to the status quo cannot be made absolute: no status quo, or no observation. */
function missingStatusQuo(experiment: Experiment, metricName: string): Error {
  const sq = experiment.statusQuo;
  if (!sq) {
    return new GenerationStrategyError(
      `Experiment "${experiment.name}" has a bound on "${metricName}" relative to the status quo, but no status ` +
        "quo: set one (createExperiment({ statusQuo: {...} }) or experiment.statusQuo), or give the bound in the " +
        "metric's own units.",
    );
  }
  return new DataRequiredError(
    `The bound on "${metricName}" is relative to the status quo (arm "${sq.name}"), which has no observation ` +
      `of "${metricName}" from a COMPLETED trial yet; evaluate the status quo (e.g. attach a trial with its ` +
      "parameters) and report the metric.",
    { stepIndex: -1 },
  );
}
