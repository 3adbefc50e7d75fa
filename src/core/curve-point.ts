import { DataError } from "../errors.js";
import type { DataRow } from "./data.js";

/**
 * Where along a trial's run an intermediate result was observed (Ax's map keys): one or more named
 * progressions, e.g. `{ step: 20 }` or `{ epoch: 3, samples: 96000 }`.
 */
export type Progression = Readonly<Record<string, number>>;

/** The progression key used when a row has it: the conventional name of a training step. */
export const DEFAULT_PROGRESSION_KEY = "step";

/** One point of a learning curve: a metric's value at one progression value. */
export interface CurvePoint {
  /** The value of the curve's progression key (e.g. the step). */
  readonly progression: number;
  readonly mean: number;
  /** Standard error of the mean; `null` means unknown noise. */
  readonly sem: number | null;
}

/** Options naming which curve of a trial to read. */
export interface CurveOptions {
  /** The arm whose curve is read; needed only when the trial has several arms with that metric. */
  armName?: string;
  /** The progression to read along; "step" when a row has it, else the first key seen. */
  progressionKey?: string;
}

/**
 * The progression key that orders a row among the rows of its (trial, arm, metric): "step" when the row
 * has it, else its first key; null for a final (non-progression) row.
 */
export function progressionKeyOf(row: DataRow): string | null {
  const p = row.progression;
  if (!p) return null;
  if (Object.hasOwn(p, DEFAULT_PROGRESSION_KEY)) return DEFAULT_PROGRESSION_KEY;
  for (const key in p) return key;
  return null;
}

/**
 * Whether `candidate`, which arrived after `current` for the same (trial, arm, metric), replaces it as
 * the latest value: a final row beats progression rows (the newest final row wins); among progression
 * rows the greatest progression value wins, and on a tie the newer row.
 * @internal
 */
export function supersedes(candidate: DataRow, current: DataRow): boolean {
  const newKey = progressionKeyOf(candidate);
  if (newKey === null) return true;
  const oldKey = progressionKeyOf(current);
  if (oldKey === null) return false;
  return candidate.progression![newKey]! >= current.progression![oldKey]!;
}

/**
 * The default progression key of some rows: "step" when any row has it, else the first key seen;
 * null when no row has a progression.
 * @internal
 */
export function defaultProgressionKey(rows: readonly DataRow[]): string | null {
  let first: string | null = null;
  for (const row of rows) {
    const p = row.progression;
    if (!p) continue;
    if (Object.hasOwn(p, DEFAULT_PROGRESSION_KEY)) return DEFAULT_PROGRESSION_KEY;
    if (first === null) first = Object.keys(p)[0] ?? null;
  }
  return first;
}

/**
 * The curve of rows of one (trial, arm, metric), given in arrival order: the rows carrying `key` (the
 * default key of the rows when absent), sorted by its value; a repeated value keeps the later row.
 * Final rows are not part of a curve. Costs O(n log n) in the number of rows.
 * @internal
 */
export function curveOfRows(rows: readonly DataRow[], key?: string): CurvePoint[] {
  const k = key ?? defaultProgressionKey(rows);
  if (k === null) return [];
  const points: CurvePoint[] = [];
  for (const row of rows) {
    const p = row.progression;
    if (!p || !Object.hasOwn(p, k)) continue;
    points.push({ progression: p[k]!, mean: row.mean, sem: row.sem });
  }
  // A stable sort keeps rows of equal progression in arrival order, so the last of a run is the newest.
  points.sort((a, b) => a.progression - b.progression);
  const out: CurvePoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const next = points[i + 1];
    if (next !== undefined && next.progression === points[i]!.progression) continue;
    out.push(Object.freeze(points[i]!));
  }
  return out;
}

/**
 * The arm whose curve is read among the arms that have rows of a trial's metric: `armName` when given,
 * else the only one (null when there is none).
 * @throws DataError when no arm is named and the trial has several arms with that metric.
 * @internal
 */
export function pickCurveArm(
  trialIndex: number,
  metricName: string,
  armNames: ReadonlySet<string>,
  armName: string | undefined,
): string | null {
  if (armName !== undefined) return armName;
  if (armNames.size > 1) {
    throw new DataError(
      `Trial ${trialIndex} has several arms with metric "${metricName}" (${[...armNames].join(", ")}); ` +
        "pass options.armName to say whose curve to read.",
      { trialIndex, metricName },
    );
  }
  for (const name of armNames) return name;
  return null;
}

/**
 * A checked, frozen copy of a row's progression: null when absent; otherwise a plain object with at
 * least one non-empty key, each value a finite number.
 * @throws DataError naming the trial and metric otherwise.
 * @internal
 */
export function checkProgression(
  value: unknown,
  trialIndex: number,
  metricName: string,
  where: string,
): Progression | null {
  if (value === undefined || value === null) return null;
  const fail = (what: string) =>
    new DataError(
      `Invalid progression for ${where}: ${what}. Give a plain object of named progressions with finite ` +
        "values, such as { step: 20 } or { epoch: 3, samples: 96000 }, or leave it out for a final row.",
      { trialIndex, metricName },
    );
  if (typeof value !== "object" || Array.isArray(value))
    throw fail(`expected an object, got ${String(value)}`);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw fail("expected a plain object");
  const out: Record<string, number> = {};
  const keys = Object.keys(value);
  if (keys.length === 0) throw fail("it has no keys");
  for (const key of keys) {
    if (key === "") throw fail("a key is empty");
    const v = (value as Record<string, unknown>)[key];
    if (typeof v !== "number" || !Number.isFinite(v))
      throw fail(`"${key}" is ${String(v)}, not a finite number`);
    out[key] = v;
  }
  return Object.freeze(out);
}
