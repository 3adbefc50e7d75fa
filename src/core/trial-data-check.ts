import { DataError } from "../errors.js";
import type { DataRow } from "./data.js";

/**
 * The rules that results reported for one trial must follow, wherever they come from (the Client's
 * `completeTrial`, a metric fetched by the Scheduler): each row belongs to that trial and one of its
 * arms, names a metric the experiment declares, and every required metric (objectives; for fetched
 * data, constraints too) has a value. Each check throws a DataError naming the trial and metric; `fix`
 * ends the message with what the caller's user should do.
 */

/** What rows reported for one trial are checked against. */
export interface TrialDataScope {
  readonly trialIndex: number;
  /** Names of the trial's arms. */
  readonly armNames: ReadonlySet<string>;
  /** Every metric the experiment declares (objectives, constraints, tracking). */
  readonly metricNames: ReadonlySet<string>;
}

/** @throws DataError when `metricName` is not declared by the experiment. */
export function checkDeclaredMetric(
  trialIndex: number,
  metricName: string,
  metricNames: ReadonlySet<string>,
  fix: string,
): void {
  if (metricNames.has(metricName)) return;
  throw new DataError(
    `Trial ${trialIndex}: unknown metric "${metricName}"; this experiment's metrics are ` +
      `${[...metricNames].map((m) => `"${m}"`).join(", ")}. ${fix}`,
    { trialIndex, metricName },
  );
}

/** @throws DataError when a row is for another trial, an arm not in the trial, or an undeclared metric. */
export function checkRowsBelongToTrial(rows: readonly DataRow[], scope: TrialDataScope, fix: string): void {
  const { trialIndex } = scope;
  for (const row of rows) {
    const { metricName } = row;
    if (row.trialIndex !== trialIndex) {
      throw new DataError(
        `Trial ${trialIndex}: got a row of metric "${metricName}" for trial ${row.trialIndex} (arm "${row.armName}"); ` +
          `results of trial ${trialIndex} must have trialIndex ${trialIndex}. ${fix}`,
        { trialIndex, metricName },
      );
    }
    if (!scope.armNames.has(row.armName)) {
      throw new DataError(
        `Trial ${trialIndex}: got a row of metric "${metricName}" for arm "${row.armName}", which is not an arm ` +
          `of this trial (its arms: ${[...scope.armNames].map((a) => `"${a}"`).join(", ")}). ${fix}`,
        { trialIndex, metricName },
      );
    }
    checkDeclaredMetric(trialIndex, metricName, scope.metricNames, fix);
  }
}

/**
 * @param reported the metrics that have a value for the trial (or the arm being checked)
 * @param role how the required metrics are called in the message ("objective", "outcome constraint")
 * @throws DataError for the first required metric without a value.
 */
export function checkRequiredMetrics(
  trialIndex: number,
  reported: ReadonlySet<string>,
  required: readonly string[],
  role: string,
  fix: string,
): void {
  for (const name of required) {
    if (reported.has(name)) continue;
    const got = reported.size > 0 ? [...reported].join(", ") : "no metrics";
    throw new DataError(
      `Trial ${trialIndex}: no value for ${role} "${name}"; every ${role} must be reported (got ${got}). ${fix}`,
      { trialIndex, metricName: name },
    );
  }
}
