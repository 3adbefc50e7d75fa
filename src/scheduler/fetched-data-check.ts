import type { BaseTrial } from "../core/base-trial.js";
import type { Data } from "../core/data.js";
import type { Experiment } from "../core/experiment.js";
import type { Metric } from "../core/metric.js";
import { checkRequiredMetrics, checkRowsBelongToTrial } from "../core/trial-data-check.js";

/**
 * Checks the rows one metric's `fetchTrialData` returned for `trial`, with the rules the Client applies
 * to reported results: rows of this trial and its arms only, under metrics the experiment declares.
 * A row for another trial would otherwise overwrite that trial's stored value.
 * @throws DataError naming the trial and metric.
 * @internal
 */
export function checkFetchedData(experiment: Experiment, trial: BaseTrial, metric: Metric, data: Data): void {
  const scope = {
    trialIndex: trial.index,
    armNames: new Set(trial.arms.map((a) => a.name ?? "")),
    metricNames: new Set(experiment.metrics.map((m) => m.name)),
  };
  checkRowsBelongToTrial(
    data.rows,
    scope,
    `Fix ${metric.constructor.name}.fetchTrialData (metric "${metric.name}") to return only rows of the trial it is given.`,
  );
}

/**
 * Checks that after a fetch every arm of `trial` has a value for each objective and outcome constraint,
 * counting rows fetched now and data attached before (e.g. partial data, or results attached by a runner),
 * so that no trial is COMPLETED without the values the optimization needs.
 * @param skipped metrics whose fetch failed in a way that was already decided about
 * @throws DataError naming the trial and the first missing metric.
 * @internal
 */
export function checkRequiredFetched(
  experiment: Experiment,
  trial: BaseTrial,
  fetched: readonly Data[],
  skipped: ReadonlySet<string>,
): void {
  const config = experiment.optimizationConfig;
  if (!config) return;
  const byArm = new Map<string, Set<string>>();
  const note = (armName: string, metricName: string) => {
    const set = byArm.get(armName) ?? new Set<string>();
    set.add(metricName);
    byArm.set(armName, set);
  };
  for (const row of experiment.lookupTrialData(trial.index).rows) note(row.armName, row.metricName);
  for (const data of fetched) for (const row of data.rows) note(row.armName, row.metricName);
  const objectives = config.objectives.map((o) => o.metric.name).filter((n) => !skipped.has(n));
  const constraints = config.outcomeConstraints.map((c) => c.metric.name).filter((n) => !skipped.has(n));
  const fix =
    "Make the metric's fetchTrialData return a row for every arm of the trial, or throw when the results are not available.";
  for (const arm of trial.arms) {
    const reported = byArm.get(arm.name ?? "") ?? new Set<string>();
    const where = trial.arms.length > 1 ? `(arm "${arm.name}") ` : "";
    checkRequiredMetrics(trial.index, reported, objectives, "objective", `${where}${fix}`);
    checkRequiredMetrics(trial.index, reported, constraints, "outcome constraint", `${where}${fix}`);
  }
}
