import { DataError } from "../errors.js";
import {
  type CurveOptions,
  type CurvePoint,
  checkProgression,
  curveOfRows,
  type Progression,
  pickCurveArm,
  supersedes,
} from "./curve-point.js";

export type { CurveOptions, CurvePoint, Progression } from "./curve-point.js";

/** One observation: the mean (and standard error) of one metric for one arm of one trial. */
export interface DataRow {
  readonly trialIndex: number;
  readonly armName: string;
  readonly metricName: string;
  readonly mean: number;
  /** Standard error of the mean; `null` means unknown noise (to be inferred), 0 means noiseless. */
  readonly sem: number | null;
  /**
   * Where along the trial's run this intermediate result was observed, e.g. `{ step: 20 }` or
   * `{ epoch: 3, samples: 96000 }` (Ax's map data). Absent or null for a final result.
   */
  readonly progression?: Progression | null;
}

/**
 * An immutable set of observations (Ax's `Data`, and its `MapData` when rows carry a progression). Every
 * row is checked on the way in: a NaN or infinite mean, a negative sem, or a malformed progression is
 * refused with an error naming the trial and metric.
 * @example Data.fromRows([{ trialIndex: 0, armName: "0_0", metricName: "branin", mean: 5.2, sem: null }])
 */
export class Data {
  readonly rows: readonly DataRow[];

  private constructor(rows: readonly DataRow[]) {
    this.rows = rows;
  }

  /**
   * Builds data from rows, validating each.
   * @throws DataError for a non-finite mean, a negative or non-finite sem, a progression that is not a
   * non-empty plain object of finite numbers, or a malformed row.
   */
  static fromRows(rows: Iterable<DataRow>): Data {
    const out: DataRow[] = [];
    for (const row of rows) out.push(validateRow(row));
    return new Data(out);
  }

  /** Data with no rows. */
  static empty(): Data {
    return EMPTY;
  }

  get isEmpty(): boolean {
    return this.rows.length === 0;
  }

  /** Distinct metric names, in order of appearance. */
  get metricNames(): string[] {
    return [...new Set(this.rows.map((r) => r.metricName))];
  }

  /** Distinct trial indices, in order of appearance. */
  get trialIndices(): number[] {
    return [...new Set(this.rows.map((r) => r.trialIndex))];
  }

  /** Distinct progression keys (such as "step" or "epoch"), in order of appearance. */
  get progressionKeys(): string[] {
    const keys = new Set<string>();
    for (const r of this.rows) if (r.progression) for (const k of Object.keys(r.progression)) keys.add(k);
    return [...keys];
  }

  /**
   * One row per (trial, arm, metric), the value a model uses: the newest final row if there is one,
   * otherwise the row with the greatest progression value (see `progressionKeyOf`), the later row on a
   * tie. Groups keep the order of their first row.
   */
  latest(): Data {
    const groups = new Map<string, DataRow>();
    for (const r of this.rows) {
      const key = `${r.trialIndex}\u0000${r.armName}\u0000${r.metricName}`;
      const current = groups.get(key);
      if (current === undefined || supersedes(r, current)) groups.set(key, r);
    }
    return new Data([...groups.values()]);
  }

  /**
   * The learning curve of one trial's metric: its progression rows carrying the progression key (by
   * default "step" when a row has it, else the first key seen), sorted by that key's value; a repeated
   * value keeps the later row. Final rows are not part of a curve. Empty when there is no such row.
   * @throws DataError when no `armName` is given and the trial has several arms with that metric.
   * @example data.curve(3, "loss") // [{ progression: 10, mean: 0.9, sem: null }, ...]
   */
  curve(trialIndex: number, metricName: string, options: CurveOptions = {}): CurvePoint[] {
    const mine = this.rows.filter((r) => r.trialIndex === trialIndex && r.metricName === metricName);
    const arm = pickCurveArm(trialIndex, metricName, new Set(mine.map((r) => r.armName)), options.armName);
    if (arm === null) return [];
    return curveOfRows(
      mine.filter((r) => r.armName === arm && r.progression),
      options.progressionKey,
    );
  }

  /** Rows of this data followed by rows of `others`. */
  concat(...others: readonly Data[]): Data {
    return new Data([...this.rows, ...others.flatMap((d) => d.rows)]);
  }

  /** Rows matching all given filters. */
  filter(filters: { trialIndices?: Iterable<number>; metricNames?: Iterable<string> }): Data {
    const trials = filters.trialIndices ? new Set(filters.trialIndices) : null;
    const metrics = filters.metricNames ? new Set(filters.metricNames) : null;
    return new Data(
      this.rows.filter(
        (r) => (!trials || trials.has(r.trialIndex)) && (!metrics || metrics.has(r.metricName)),
      ),
    );
  }

  toJSON(): DataRow[] {
    return [...this.rows];
  }
}

const EMPTY = Data.fromRows([]);

function validateRow(row: DataRow): DataRow {
  const where = `trial ${row?.trialIndex}, metric "${row?.metricName}"`;
  if (row === null || typeof row !== "object")
    throw new DataError(`A data row must be an object, got ${row}.`);
  if (!Number.isInteger(row.trialIndex) || row.trialIndex < 0) {
    throw new DataError(`Data row for metric "${row.metricName}" has invalid trialIndex ${row.trialIndex}.`, {
      metricName: row.metricName,
    });
  }
  if (typeof row.metricName !== "string" || row.metricName === "") {
    throw new DataError(`Data row for trial ${row.trialIndex} has no metricName.`, {
      trialIndex: row.trialIndex,
    });
  }
  if (typeof row.armName !== "string" || row.armName === "") {
    throw new DataError(`Data row for ${where} has no armName.`, {
      trialIndex: row.trialIndex,
      metricName: row.metricName,
    });
  }
  if (typeof row.mean !== "number" || !Number.isFinite(row.mean)) {
    throw new DataError(
      `Invalid mean ${row.mean} for ${where}: means must be finite numbers. ` +
        "Report a failed evaluation as a failed trial instead of NaN or Infinity.",
      { trialIndex: row.trialIndex, metricName: row.metricName },
    );
  }
  const sem = row.sem ?? null;
  if (sem !== null && (typeof sem !== "number" || !Number.isFinite(sem) || sem < 0)) {
    throw new DataError(
      `Invalid sem ${sem} for ${where}: use a finite number >= 0, or null for unknown noise.`,
      { trialIndex: row.trialIndex, metricName: row.metricName },
    );
  }
  const progression = checkProgression(row.progression, row.trialIndex, row.metricName, where);
  const base = {
    trialIndex: row.trialIndex,
    armName: row.armName,
    metricName: row.metricName,
    mean: row.mean,
    sem,
  };
  // A final row has no progression key at all, so it serializes exactly as rows always have.
  return Object.freeze(progression === null ? base : { ...base, progression });
}
