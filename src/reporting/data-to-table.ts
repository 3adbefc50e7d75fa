import type { Data } from "../core/data.js";
import type { TableCell } from "./experiment-to-table.js";

/** One row of {@link dataToTable}: one observation, final or at a progression. */
export interface DataTableRow {
  trialIndex: number;
  armName: string;
  metricName: string;
  mean: number;
  /** Standard error of the mean; null when unknown. */
  sem: number | null;
  /** The value of each progression key (e.g. `step`), `undefined` where the row has none. */
  [column: string]: TableCell;
}

const FIXED = new Set(["trialIndex", "armName", "metricName", "mean", "sem"]);

/**
 * Observations as a table, one row per data row in the order given (Ax's map-data frame): `trialIndex`,
 * `armName`, `metricName`, `mean`, `sem`, then one column per progression key in order of appearance
 * (`data.progressionKeys`), empty for final rows and for keys a row does not have. A key named like a
 * fixed column becomes `progression:<key>`. Pass `experiment.lookupCurveData()` for every row kept.
 * @example tableToCsv(dataToTable(experiment.lookupCurveData()))
 */
export function dataToTable(data: Data): DataTableRow[] {
  const keys = data.progressionKeys.map((k) => [k, FIXED.has(k) ? `progression:${k}` : k] as const);
  return data.rows.map((r) => {
    const row: DataTableRow = {
      trialIndex: r.trialIndex,
      armName: r.armName,
      metricName: r.metricName,
      mean: r.mean,
      sem: r.sem,
    };
    for (const [key, column] of keys) row[column] = r.progression?.[key];
    return row;
  });
}
