import { tryEncodeArm } from "../../adapter/metric-datasets.js";
import type { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import type { Experiment } from "../../core/experiment.js";
import { observedArms } from "../../core/observed-arms.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { TrialStatus } from "../../core/trial-status.js";

/** One arm observed in a COMPLETED trial, with its latest means and its unit-cube point. */
export interface ObservedPoint {
  readonly trialIndex: number;
  readonly armName: string;
  readonly parameters: Parameterization;
  /** Latest observed mean by metric name. */
  readonly values: Readonly<Record<string, number>>;
  /** The arm in the unit cube; null when it no longer fits the search space. */
  readonly x: Float64Array | null;
}

/** Every arm of every COMPLETED trial that has data, in trial then arm order. */
export function observedPoints(
  experiment: Experiment,
  encoding: SearchSpaceEncoding | null,
): ObservedPoint[] {
  const out: ObservedPoint[] = [];
  const completed = [...experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)].sort((a, b) => a - b);
  for (const trialIndex of completed) {
    for (const { arm, values } of observedArms(experiment, experiment.getTrial(trialIndex))) {
      const x = encoding && tryEncodeArm(encoding, arm);
      out.push({ trialIndex, armName: arm.name, parameters: arm.parameters, values, x });
    }
  }
  return out;
}

/** The unit-cube rows of the points that have one (m×d), with the points they belong to. */
export function stackPoints(
  points: readonly ObservedPoint[],
  d: number,
): { X: Float64Array; rows: ObservedPoint[] } {
  const rows = points.filter((p) => p.x !== null);
  const X = new Float64Array(rows.length * d);
  rows.forEach((p, k) => {
    X.set(p.x!, k * d);
  });
  return { X, rows };
}
