import { DataError } from "../errors.js";
import { Data, type DataRow } from "./data.js";

/**
 * The latest observation of each (trial, arm, metric), kept per trial so that attaching or reading one
 * trial's data costs the same however large the experiment grows.
 * @internal
 */
export class DataIndex {
  private readonly byTrial = new Map<number, Map<string, DataRow>>();
  private count = 0;

  /** Number of distinct (trial, arm, metric) observations. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds rows; a newer row for the same trial, arm and metric replaces the older one.
   * @param undo when given (a savepoint is open), receives what was there before each row, for
   * {@link undo}; without one nothing is recorded, as on every fetch and load.
   */
  attach(data: Data, knownTrials: (index: number) => boolean, undo?: DataUndo[]): void {
    for (const row of data.rows) {
      if (!knownTrials(row.trialIndex)) {
        throw new DataError(
          `Data row for metric "${row.metricName}" names trial ${row.trialIndex}, which does not exist.`,
          {
            trialIndex: row.trialIndex,
            metricName: row.metricName,
          },
        );
      }
    }
    for (const row of data.rows) {
      let rows = this.byTrial.get(row.trialIndex);
      if (!rows) {
        rows = new Map();
        this.byTrial.set(row.trialIndex, rows);
      }
      const key = `${row.armName}\u0000${row.metricName}`;
      const previous = rows.get(key);
      if (!previous) this.count++;
      rows.set(key, row);
      undo?.push({ trialIndex: row.trialIndex, key, previous });
    }
  }

  /** Puts back what {@link attach} replaced, newest first. */
  undo(entries: readonly DataUndo[]): void {
    for (let k = entries.length - 1; k >= 0; k--) {
      const { trialIndex, key, previous } = entries[k]!;
      const rows = this.byTrial.get(trialIndex);
      if (!rows) continue;
      if (previous) {
        rows.set(key, previous);
        continue;
      }
      if (rows.delete(key)) this.count--;
      if (rows.size === 0) this.byTrial.delete(trialIndex);
    }
  }

  /** Latest rows of one trial. */
  forTrial(trialIndex: number): DataRow[] {
    const rows = this.byTrial.get(trialIndex);
    return rows ? [...rows.values()] : [];
  }

  /** Whether a trial has a row for `metricName`. */
  has(trialIndex: number, metricName: string): boolean {
    const rows = this.byTrial.get(trialIndex);
    if (!rows) return false;
    for (const r of rows.values()) if (r.metricName === metricName) return true;
    return false;
  }

  /** Latest rows matching the filters, in trial order of first attachment. */
  lookup(filters: { trialIndices?: Iterable<number>; metricNames?: Iterable<string> } = {}): Data {
    const metrics = filters.metricNames ? new Set(filters.metricNames) : null;
    const indices = filters.trialIndices ?? this.byTrial.keys();
    const out: DataRow[] = [];
    for (const i of indices) {
      const rows = this.byTrial.get(i);
      if (!rows) continue;
      for (const r of rows.values()) if (!metrics || metrics.has(r.metricName)) out.push(r);
    }
    return Data.fromRows(out);
  }
}

/** One row's previous value under its (arm, metric) key, for undoing an attach. @internal */
export interface DataUndo {
  trialIndex: number;
  key: string;
  previous: DataRow | undefined;
}
