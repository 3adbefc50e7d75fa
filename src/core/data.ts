import { DataError } from "../errors.js";

/** One observation: the mean (and standard error) of one metric for one arm of one trial. */
export interface DataRow {
  readonly trialIndex: number;
  readonly armName: string;
  readonly metricName: string;
  readonly mean: number;
  /** Standard error of the mean; `null` means unknown noise (to be inferred), 0 means noiseless. */
  readonly sem: number | null;
}

/**
 * An immutable set of observations (Ax's `Data`). Every row is checked on the way in: a NaN or infinite
 * mean, or a negative sem, is refused with an error naming the trial and metric.
 * @example Data.fromRows([{ trialIndex: 0, armName: "0_0", metricName: "branin", mean: 5.2, sem: null }])
 */
export class Data {
  readonly rows: readonly DataRow[];

  private constructor(rows: readonly DataRow[]) {
    this.rows = rows;
  }

  /**
   * Builds data from rows, validating each.
   * @throws DataError for a non-finite mean, a negative or non-finite sem, or a malformed row.
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
  return Object.freeze({
    trialIndex: row.trialIndex,
    armName: row.armName,
    metricName: row.metricName,
    mean: row.mean,
    sem,
  });
}
