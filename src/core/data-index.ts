import { DataError } from "../errors.js";
import { type CurveOptions, type CurvePoint, curveOfRows, pickCurveArm, supersedes } from "./curve-point.js";
import { Data, type DataRow } from "./data.js";

/** What is known of one (trial, arm, metric): its latest row, and its progression rows as they came. */
interface Observation {
  latest: DataRow;
  /** Progression rows in arrival order; appended to, never copied or sorted on attach. */
  readonly progress: DataRow[];
}

/**
 * The latest observation of each (trial, arm, metric), and every progression row (intermediate result)
 * of it in arrival order, kept per trial so that attaching or reading one trial's data costs the same
 * however large the experiment, or that trial's curve, grows.
 * @internal
 */
export class DataIndex {
  private readonly byTrial = new Map<number, Map<string, Observation>>();
  private count = 0;
  private attached = 0;

  /** Number of distinct (trial, arm, metric) observations. */
  get size(): number {
    return this.count;
  }

  /** Number of rows attached so far (replaced and progression rows included, undone ones not). */
  get rowsAttached(): number {
    return this.attached;
  }

  /**
   * Adds rows. The latest row of a (trial, arm, metric) follows `Data.latest`: a final row replaces
   * whatever was there, a progression row replaces another progression row of no greater progression.
   * Each progression row is also appended to its curve, in O(1).
   * @param undo when given (a savepoint is open), receives what each row changed, for {@link undo};
   * without one nothing is recorded, as on every fetch and load.
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
    for (const row of data.rows) this.attachRow(row, undo);
  }

  private attachRow(row: DataRow, undo: DataUndo[] | undefined): void {
    let rows = this.byTrial.get(row.trialIndex);
    if (!rows) {
      rows = new Map();
      this.byTrial.set(row.trialIndex, rows);
    }
    this.attached++;
    const key = `${row.armName}\u0000${row.metricName}`;
    const appended = Boolean(row.progression);
    const observation = rows.get(key);
    if (!observation) {
      rows.set(key, { latest: row, progress: appended ? [row] : [] });
      this.count++;
      undo?.push({ trialIndex: row.trialIndex, key, previous: undefined, appended });
      return;
    }
    const previous = observation.latest;
    if (supersedes(row, previous)) observation.latest = row;
    if (appended) observation.progress.push(row);
    undo?.push({ trialIndex: row.trialIndex, key, previous, appended });
  }

  /** Puts back what {@link attach} changed, newest first. */
  undo(entries: readonly DataUndo[]): void {
    for (let k = entries.length - 1; k >= 0; k--) {
      const { trialIndex, key, previous, appended } = entries[k]!;
      this.attached--;
      const rows = this.byTrial.get(trialIndex);
      const observation = rows?.get(key);
      if (!rows || !observation) continue;
      if (previous) {
        observation.latest = previous;
        if (appended) observation.progress.pop();
        continue;
      }
      rows.delete(key);
      this.count--;
      if (rows.size === 0) this.byTrial.delete(trialIndex);
    }
  }

  /** Latest rows of one trial. */
  forTrial(trialIndex: number): DataRow[] {
    const rows = this.byTrial.get(trialIndex);
    return rows ? [...rows.values()].map((o) => o.latest) : [];
  }

  /** Whether a trial has a row for `metricName`. */
  has(trialIndex: number, metricName: string): boolean {
    const rows = this.byTrial.get(trialIndex);
    if (!rows) return false;
    for (const o of rows.values()) if (o.latest.metricName === metricName) return true;
    return false;
  }

  /** Latest rows matching the filters, in trial order of first attachment. */
  lookup(filters: DataFilters = {}): Data {
    const out: DataRow[] = [];
    for (const o of this.observations(filters)) out.push(o.latest);
    return Data.fromRows(out);
  }

  /**
   * Every row kept of the matching trials and metrics: per (trial, arm, metric), its progression rows in
   * arrival order, then its latest row when that is a final one.
   */
  lookupAll(filters: DataFilters = {}): Data {
    const out: DataRow[] = [];
    for (const o of this.observations(filters)) {
      out.push(...o.progress);
      if (!o.latest.progression) out.push(o.latest);
    }
    return Data.fromRows(out);
  }

  /**
   * The curve of one trial's metric (see `Data.curve`); sorts at read time, O(n log n) in its length.
   * @throws DataError when no `armName` is given and the trial has several arms with that metric.
   */
  curve(trialIndex: number, metricName: string, options: CurveOptions = {}): CurvePoint[] {
    const rows = this.byTrial.get(trialIndex);
    if (!rows) return [];
    const arms = new Set<string>();
    for (const o of rows.values()) if (o.latest.metricName === metricName) arms.add(o.latest.armName);
    const arm = pickCurveArm(trialIndex, metricName, arms, options.armName);
    if (arm === null) return [];
    const observation = rows.get(`${arm}\u0000${metricName}`);
    return observation ? curveOfRows(observation.progress, options.progressionKey) : [];
  }

  /** Indices of the trials that have rows, in order of first attachment. */
  trialIndices(): IterableIterator<number> {
    return this.byTrial.keys();
  }

  /**
   * Distinct progression keys of the rows of `metricName` (of every metric when absent), trial by trial
   * in order of appearance.
   */
  progressionKeys(metricName?: string): string[] {
    const keys = new Set<string>();
    for (const rows of this.byTrial.values()) {
      for (const o of rows.values()) {
        if (metricName !== undefined && o.latest.metricName !== metricName) continue;
        for (const r of o.progress) for (const k of Object.keys(r.progression!)) keys.add(k);
      }
    }
    return [...keys];
  }

  private *observations(filters: DataFilters): Generator<Observation> {
    const metrics = filters.metricNames ? new Set(filters.metricNames) : null;
    const indices = filters.trialIndices ?? this.byTrial.keys();
    for (const i of indices) {
      const rows = this.byTrial.get(i);
      if (!rows) continue;
      for (const o of rows.values()) if (!metrics || metrics.has(o.latest.metricName)) yield o;
    }
  }
}

/** Which trials and metrics a lookup covers; all when absent. */
export interface DataFilters {
  trialIndices?: Iterable<number>;
  metricNames?: Iterable<string>;
}

/** What attaching one row changed under its (arm, metric) key, for undoing an attach. @internal */
export interface DataUndo {
  trialIndex: number;
  key: string;
  /** The latest row before; undefined when the row created the observation. */
  previous: DataRow | undefined;
  /** Whether the row was appended to the curve. */
  appended: boolean;
}
