import type { BaseTrial } from "../../core/base-trial.js";
import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";

/** A cell of the dashboard's trials table: JSON only (a missing value is null). */
export type RowCell = string | number | boolean | null;

/** One row of the live trials table: one arm of one trial, keyed so the page can update it in place. */
export interface TrialRow {
  /** `trialIndex/armName`: stable across updates, unique in the experiment. */
  readonly key: string;
  /** Cells by column name (see {@link tableColumns}). */
  readonly cells: Record<string, RowCell>;
}

/** The columns of the trials table and what kind of value each holds. */
export interface TableColumns {
  /** Metric columns (objectives first), then the fixed ones, then parameters. */
  readonly names: readonly string[];
  /** The metric columns, for the page to format as numbers and highlight. */
  readonly metrics: readonly string[];
  /** The parameter columns. */
  readonly parameters: readonly string[];
}

const FIXED = ["trialIndex", "armName", "trialStatus", "generator"];
const TRAILING = ["completed", "failureReason"];

/**
 * The columns of the table: the declared metrics (objectives, constraints, tracking), then the fixed
 * columns, then the search-space parameters. Metric and parameter cells are stored under prefixed keys
 * (`m:` and `p:`) so a name such as `trialIndex` can never overwrite a fixed column.
 */
export function tableColumns(experiment: Experiment, extraMetrics: Iterable<string> = []): TableColumns {
  const metrics = new Set<string>();
  const config = experiment.optimizationConfig;
  if (config) {
    for (const o of config.objectives) metrics.add(o.metric.name);
    for (const c of config.outcomeConstraints) metrics.add(c.metric.name);
  }
  for (const m of experiment.trackingMetrics) metrics.add(m.name);
  for (const m of extraMetrics) metrics.add(m);
  const parameters = experiment.searchSpace.parameterNames;
  return {
    names: [...[...metrics].map((m) => `m:${m}`), ...FIXED, ...parameters.map((p) => `p:${p}`), ...TRAILING],
    metrics: [...metrics],
    parameters: [...parameters],
  };
}

/** The rows of one trial (one per arm), with the metric names its data holds. */
export function trialRows(experiment: Experiment, trial: BaseTrial): { rows: TrialRow[]; metrics: string[] } {
  const means = new Map<string, Map<string, number>>();
  const metrics = new Set<string>();
  for (const row of experiment.lookupTrialData(trial.index).rows) {
    metrics.add(row.metricName);
    let byMetric = means.get(row.armName);
    if (!byMetric) {
      byMetric = new Map();
      means.set(row.armName, byMetric);
    }
    byMetric.set(row.metricName, row.mean);
  }
  const generators = new Map<object, string>();
  for (const run of trial.generatorRuns) for (const arm of run.arms) generators.set(arm, run.generatorName);
  const rows = trial.arms.map((arm) => {
    const armName = arm.name ?? "";
    const cells: Record<string, RowCell> = {
      trialIndex: trial.index,
      armName,
      trialStatus: trial.status,
      generator: generators.get(arm) ?? trial.generatorName,
      completed: trial.timeCompleted === null ? null : new Date(trial.timeCompleted).toISOString(),
      failureReason: trial.failureReason,
    };
    for (const [name, value] of Object.entries(arm.parameters)) cells[`p:${name}`] = jsonCell(value);
    for (const [metric, mean] of means.get(armName) ?? []) cells[`m:${metric}`] = mean;
    return { key: `${trial.index}/${armName}`, cells };
  });
  return { rows, metrics: [...metrics] };
}

/**
 * The rows with a cell for every column (null where a row has none), in the columns' order: rows of one
 * shape, which `packJson` stores as columns.
 */
export function filledRows(rows: Iterable<TrialRow>, columns: TableColumns): JsonValue {
  const out: JsonValue[] = [];
  for (const row of rows) {
    const cells: Record<string, RowCell> = {};
    for (const name of columns.names) cells[name] = row.cells[name] ?? null;
    out.push({ key: row.key, cells });
  }
  return out;
}

/**
 * What the table shows of a trial, as one string: when it differs from the last one seen, the trial's
 * rows are sent to the pages again.
 */
export function trialSignature(experiment: Experiment, trial: BaseTrial): string {
  // The latest values themselves, not only their number: a running trial that reports progress keeps
  // the same metrics while their values change.
  const values = experiment.lookupTrialData(trial.index).rows.map((r) => `${r.metricName}=${r.mean}`);
  return `${trial.status}|${trial.timeCompleted}|${trial.arms.length}|${values.join(",")}`;
}

function jsonCell(value: unknown): RowCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}
