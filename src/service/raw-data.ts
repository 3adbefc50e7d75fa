import type { DataRow } from "../core/data.js";
import { describeValue as describe } from "../core/json.js";
import { checkDeclaredMetric, checkRequiredMetrics } from "../core/trial-data-check.js";
import { DataError } from "../errors.js";

/** One metric's result: a mean, or `[mean, sem]` with `sem: null` for unknown noise (0 for noiseless). */
export type MetricValue = number | readonly [mean: number, sem: number | null];

/**
 * A trial's results as the Client takes them (Ax's `raw_data`):
 * - a number or `[mean, sem]`: the value of the single objective;
 * - `{ metric: number | [mean, sem] }`: values by metric name.
 *
 * A bare number has unknown noise (`sem: null`), to be inferred by the model.
 * @example 1.5
 * @example { branin: 1.5, cost: [3.2, 0.1] }
 */
export type RawData = MetricValue | Readonly<Record<string, MetricValue>>;

/** What {@link normalizeRawData} checks raw data against. */
export interface RawDataContext {
  trialIndex: number;
  armName: string;
  /** Objective metric names: each must be reported. */
  objectiveNames: readonly string[];
  /** Every metric the experiment knows (objectives, constraints, tracking). */
  metricNames: ReadonlySet<string>;
  /**
   * Whether every objective must be reported (true by default, for a final result); false for progress,
   * where a step may report some metrics only.
   */
  requireObjectives?: boolean;
}

/**
 * Turns raw data into data rows for one arm, checking all of it before returning anything.
 * @throws DataError naming the trial and metric: a malformed value, a NaN or infinite mean, a negative
 * or non-finite sem, an unknown metric, a missing objective, or a bare number for several objectives.
 * @example normalizeRawData({ branin: 1.5 }, { trialIndex: 0, armName: "0_0", objectiveNames: ["branin"], metricNames: new Set(["branin"]) })
 */
export function normalizeRawData(raw: RawData, context: RawDataContext): DataRow[] {
  const byMetric = asRecord(raw, context);
  const rows: DataRow[] = [];
  for (const [metricName, value] of Object.entries(byMetric)) {
    checkDeclaredMetric(
      context.trialIndex,
      metricName,
      context.metricNames,
      "Declare extra metrics with trackingMetricNames in createExperiment.",
    );
    const [mean, sem] = meanAndSem(value, metricName, context.trialIndex);
    rows.push({ trialIndex: context.trialIndex, armName: context.armName, metricName, mean, sem });
  }
  if (context.requireObjectives === false) return rows;
  checkRequiredMetrics(
    context.trialIndex,
    new Set(Object.keys(byMetric)),
    context.objectiveNames,
    "objective",
    "If the evaluation failed, use logTrialFailure instead.",
  );
  return rows;
}

function asRecord(raw: unknown, context: RawDataContext): Readonly<Record<string, unknown>> {
  if (typeof raw === "number" || Array.isArray(raw)) {
    const [objective, ...others] = context.objectiveNames;
    if (objective === undefined || others.length > 0) {
      throw new DataError(
        `Trial ${context.trialIndex}: a bare ${typeof raw === "number" ? "number" : "[mean, sem]"} is only for ` +
          `a single objective, but this experiment has objectives ${context.objectiveNames.join(", ")}; ` +
          `report { ${context.objectiveNames.map((n) => `${n}: ...`).join(", ")} }.`,
        { trialIndex: context.trialIndex },
      );
    }
    return { [objective]: raw };
  }
  if (raw === null || typeof raw !== "object") {
    throw new DataError(
      `Trial ${context.trialIndex}: raw data must be a number, [mean, sem], or { metric: number | [mean, sem] }, ` +
        `got ${describe(raw)}.`,
      { trialIndex: context.trialIndex },
    );
  }
  return raw as Readonly<Record<string, unknown>>;
}

function meanAndSem(value: unknown, metricName: string, trialIndex: number): [number, number | null] {
  const where = `Trial ${trialIndex}, metric "${metricName}"`;
  const fail = (why: string): never => {
    throw new DataError(`${where}: ${why}`, { trialIndex, metricName });
  };
  let mean: unknown = value;
  let sem: unknown = null;
  if (Array.isArray(value)) {
    if (value.length !== 2) fail(`write [mean, sem] (two entries), got ${describe(value)}.`);
    [mean, sem] = value;
  } else if (typeof value !== "number") {
    fail(`write a number or [mean, sem], got ${describe(value)}.`);
  }
  if (typeof mean !== "number" || !Number.isFinite(mean)) {
    fail(
      `the mean must be a finite number, got ${describe(mean)}. ` +
        "If the evaluation failed, use logTrialFailure instead of reporting NaN or Infinity.",
    );
  }
  if (sem !== null && (typeof sem !== "number" || !Number.isFinite(sem) || sem < 0)) {
    fail(`the sem must be a finite number >= 0, or null for unknown noise, got ${describe(sem)}.`);
  }
  return [mean as number, sem as number | null];
}
