import type { Experiment } from "./experiment.js";
import type { OutcomeConstraint } from "./outcome-constraint.js";
import { TrialStatus } from "./trial-status.js";

/**
 * The absolute bound of a relative one, as Ax's Derelativize transform computes it: a bound of `r`
 * percent means `(1 + sign(sq) · r / 100) · sq`, so a positive `r` always lies above the status-quo
 * value `sq` and a negative one below it, whatever the sign of `sq` (r = 5, sq = −10 gives −9.5).
 */
export function derelativizeBound(relativeBound: number, statusQuoValue: number): number {
  return (1 + (Math.sign(statusQuoValue) * relativeBound) / 100) * statusQuoValue;
}

/**
 * The status quo's observed value of a metric: the mean of its observed means over COMPLETED trials
 * (the raw status quo, as Ax's Derelativize uses with `use_raw_status_quo`); null when the experiment
 * has no status quo or it has no such observation yet.
 */
export function observedStatusQuoMean(experiment: Experiment, metricName: string): number | null {
  const sq = experiment.statusQuo;
  if (!sq) return null;
  const completed = experiment.trialIndicesWithStatus(TrialStatus.COMPLETED);
  const means = experiment
    .lookupData({ trialIndices: completed, metricNames: [metricName] })
    .rows.filter((r) => r.armName === sq.name)
    .map((r) => r.mean);
  return means.length === 0 ? null : means.reduce((a, b) => a + b, 0) / means.length;
}

/**
 * The bounds of relative constraints in the metrics' own units, from the experiment's status quo,
 * computed once per metric: null for a metric whose status-quo value is not known yet.
 */
export function relativeBoundsOf(experiment: Experiment): (constraint: OutcomeConstraint) => number | null {
  const sqValues = new Map<string, number | null>();
  return (c) => {
    if (!c.relative) return c.bound;
    const name = c.metric.name;
    if (!sqValues.has(name)) sqValues.set(name, observedStatusQuoMean(experiment, name));
    const sq = sqValues.get(name)!;
    return sq === null ? null : derelativizeBound(c.bound, sq);
  };
}
