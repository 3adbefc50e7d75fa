import type { Arm } from "../core/arm.js";
import type { Experiment } from "../core/experiment.js";
import { TrialStatus } from "../core/trial-status.js";
import type { SearchSpaceEncoding } from "./search-space-encoding.js";

/**
 * Observations of one metric as a GP needs them: X in the unit cube, Y on the maximization scale
 * (negated for a minimized objective), Yvar = sem² or null when some sem is unknown.
 */
export interface MetricDataset {
  readonly metricName: string;
  /** n×d, row-major, unit cube. */
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Length n; multiplied by `sign`. */
  readonly Y: Float64Array;
  /** Length n (original scale), or null when at least one observation has an unknown sem. */
  readonly Yvar: Float64Array | null;
  /** +1, or −1 when the values were negated (a minimized objective). */
  readonly sign: 1 | -1;
  /** Whether every sem is known and 0. */
  readonly noiseless: boolean;
  /** `${trialIndex}:${armName}` of each row, to join metrics of the same observation. */
  readonly keys: readonly string[];
}

/** Trials whose observations a model learns from: finished ones, a trial stopped early included. */
const OBSERVED_STATUSES = [TrialStatus.COMPLETED, TrialStatus.EARLY_STOPPED] as const;

/**
 * One dataset per requested metric from the data of COMPLETED and EARLY_STOPPED trials, one row per
 * (trial, arm) and metric: the latest value, so a trial stopped early counts with its last observed
 * value (as in Ax). Intermediate results of RUNNING trials are left out: those trials are pending
 * points, not observations. Rows whose arm cannot be encoded in the current search space (a choice value
 * that no longer exists) are left out.
 *
 * @param signs metric name → −1 to negate its values (minimized objective); +1 when absent.
 */
export function buildMetricDatasets(
  experiment: Experiment,
  encoding: SearchSpaceEncoding,
  metricNames: readonly string[],
  signs: ReadonlyMap<string, 1 | -1>,
): Map<string, MetricDataset> {
  const observed = OBSERVED_STATUSES.flatMap((s) => [...experiment.trialIndicesWithStatus(s)]);
  const rows = experiment.lookupData({ trialIndices: observed, metricNames }).rows;
  const d = encoding.dimension;
  const encoded = new Map<string, Float64Array | null>();
  const out = new Map<string, MetricDataset>();
  for (const metricName of metricNames) {
    const sign = signs.get(metricName) ?? 1;
    const xs: Float64Array[] = [];
    const ys: number[] = [];
    const vars: (number | null)[] = [];
    const keys: string[] = [];
    for (const row of rows) {
      if (row.metricName !== metricName) continue;
      const x = encodeArm(encoding, experiment.getArm(row.armName), encoded, row.armName);
      if (x === null) continue;
      xs.push(x);
      ys.push(sign * row.mean);
      vars.push(row.sem === null ? null : row.sem * row.sem);
      keys.push(`${row.trialIndex}:${row.armName}`);
    }
    const X = stackRows(xs, d);
    const known = vars.every((v) => v !== null);
    out.set(metricName, {
      metricName,
      X,
      n: xs.length,
      d,
      Y: Float64Array.from(ys),
      Yvar: known ? Float64Array.from(vars as number[]) : null,
      sign,
      noiseless: known && vars.every((v) => v === 0),
      keys,
    });
  }
  return out;
}

/**
 * The unit-cube points of arms (k×d, row-major), skipping arms that do not belong to the current search
 * space's encoding.
 */
export function encodeArms(encoding: SearchSpaceEncoding, arms: readonly Arm[]): Float64Array {
  const rows: Float64Array[] = [];
  for (const arm of arms) {
    const x = tryEncodeArm(encoding, arm);
    if (x !== null) rows.push(x);
  }
  return stackRows(rows, encoding.dimension);
}

/** Rows of length d stacked into one k×d row-major array. */
export function stackRows(rows: readonly Float64Array[], d: number): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(rows[i]!, i * d);
  return out;
}

function encodeArm(
  encoding: SearchSpaceEncoding,
  arm: Arm | undefined,
  cache: Map<string, Float64Array | null>,
  name: string,
): Float64Array | null {
  if (arm === undefined) return null;
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const x = tryEncodeArm(encoding, arm);
  cache.set(name, x);
  return x;
}

/** The unit-cube point of an arm, or null when the arm does not fit the current search space's encoding. */
export function tryEncodeArm(encoding: SearchSpaceEncoding, arm: Arm): Float64Array | null {
  try {
    const x = encoding.encode(arm.parameters);
    return x.every(Number.isFinite) ? x : null;
  } catch {
    // An arm from an earlier version of the search space: it cannot inform the model of this one.
    return null;
  }
}
