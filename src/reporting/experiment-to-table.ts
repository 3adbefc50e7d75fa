import type { BaseTrial } from "../core/base-trial.js";
import type { DataRow } from "../core/data.js";
import type { Experiment } from "../core/experiment.js";
import type { TrialStatus } from "../core/trial-status.js";

/** One cell of a trials table. `undefined` marks a value that was not observed. */
export type TableCell = string | number | boolean | null | undefined;

/**
 * One row of {@link experimentToTable}: one arm of one trial. The fixed columns are typed; metric and
 * parameter columns are reached by name (`row.branin`, `row.x1`).
 */
export interface TableRow {
  /** Index of the trial the arm belongs to. */
  trialIndex: number;
  /** Name of the arm, e.g. `"3_0"`. */
  armName: string;
  /** The trial's status, e.g. `"COMPLETED"`. */
  trialStatus: TrialStatus;
  /** Name of the generator that produced the arm (e.g. `"Sobol"`, `"Manual"`), or null when unknown. */
  generatorModel: string | null;
  /** Why the trial failed or was abandoned; only on rows whose trial has a reason. */
  failureReason?: string;
  /** Metric means and parameter values, by column name. */
  [column: string]: TableCell;
}

/** Columns every row has, in addition to metrics and parameters. */
const RESERVED = new Set(["trialIndex", "armName", "trialStatus", "generatorModel", "failureReason"]);

/**
 * The experiment as a table, one row per arm (Ax's `exp_to_df`): a batch trial gives one row per arm.
 *
 * Columns, in order: each metric's latest mean (objectives first, then outcome-constraint metrics, then
 * tracking metrics, then any other metric found in the data), `trialIndex`, `armName`, each parameter
 * (search-space order), `trialStatus`, `generatorModel`, and `failureReason` on rows whose trial has one.
 * Every row carries every metric and parameter key, with `undefined` when there is no value, so the
 * column order is the key order of any row and `console.table` shows the columns in that order.
 * A metric or parameter whose name collides with a fixed column is renamed `metric:<name>` /
 * `parameter:<name>`; a parameter named like a metric becomes `parameter:<name>`.
 *
 * Rows are in trial index order, then arm order. The cost is linear in the number of arms and observations.
 * @example console.table(experimentToTable(experiment));
 */
export function experimentToTable(experiment: Experiment): TableRow[] {
  const trials = trialsInIndexOrder(experiment);
  const data = trials.map((t) => experiment.lookupTrialData(t.index).rows);
  const metricNames = collectMetricNames(experiment, data);
  const parameterNames = collectParameterNames(experiment, trials);
  const metricColumns = metricNames.map((m) => (RESERVED.has(m) ? `metric:${m}` : m));
  const taken = new Set([...RESERVED, ...metricColumns]);
  const parameterColumns = parameterNames.map((p) => (taken.has(p) ? `parameter:${p}` : p));

  const rows: TableRow[] = [];
  trials.forEach((trial, t) => {
    const means = meansByArm(data[t]!);
    const generatorByArm = generatorNamesByArm(trial);
    for (const arm of trial.arms) {
      const armName = arm.name ?? "";
      const armMeans = means.get(armName);
      const row: Record<string, TableCell> = {};
      metricNames.forEach((m, k) => {
        row[metricColumns[k]!] = armMeans?.get(m);
      });
      row.trialIndex = trial.index;
      row.armName = armName;
      parameterNames.forEach((p, k) => {
        row[parameterColumns[k]!] = arm.parameters[p];
      });
      row.trialStatus = trial.status;
      row.generatorModel = generatorByArm.get(arm) ?? trial.generatorName;
      if (trial.failureReason !== null) row.failureReason = trial.failureReason;
      rows.push(row as TableRow);
    }
  });
  return rows;
}

/** Trials by ascending index; trials are created in index order, so sorting is rarely needed. */
function trialsInIndexOrder(experiment: Experiment): BaseTrial[] {
  const trials = [...experiment.trials.values()];
  for (let i = 1; i < trials.length; i++) {
    if (trials[i - 1]!.index > trials[i]!.index) return trials.sort((a, b) => a.index - b.index);
  }
  return trials;
}

/** Declared metrics (objectives, constraints, tracking) then any other metric present in the data. */
function collectMetricNames(experiment: Experiment, data: readonly (readonly DataRow[])[]): string[] {
  const names = new Set<string>();
  const config = experiment.optimizationConfig;
  if (config) {
    for (const o of config.objectives) names.add(o.metric.name);
    for (const c of config.outcomeConstraints) names.add(c.metric.name);
    for (const t of config.objectiveThresholds) names.add(t.metric.name);
  }
  for (const m of experiment.trackingMetrics) names.add(m.name);
  for (const rows of data) for (const row of rows) names.add(row.metricName);
  return [...names];
}

/** Search-space parameters, then any other parameter found on an arm (e.g. from an older search space). */
function collectParameterNames(experiment: Experiment, trials: readonly BaseTrial[]): string[] {
  const names = new Set(experiment.searchSpace.parameterNames);
  for (const trial of trials) for (const arm of trial.arms) for (const p in arm.parameters) names.add(p);
  return [...names];
}

function meansByArm(rows: readonly DataRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let byMetric = out.get(row.armName);
    if (!byMetric) {
      byMetric = new Map();
      out.set(row.armName, byMetric);
    }
    byMetric.set(row.metricName, row.mean);
  }
  return out;
}

function generatorNamesByArm(trial: BaseTrial): Map<object, string> {
  const out = new Map<object, string>();
  for (const run of trial.generatorRuns) for (const arm of run.arms) out.set(arm, run.generatorName);
  return out;
}
