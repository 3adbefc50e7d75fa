import type { NamedArm } from "./arm.js";
import type { BaseTrial } from "./base-trial.js";
import type { Experiment } from "./experiment.js";
import type { OptimizationConfig } from "./optimization-config.js";
import type { OutcomeConstraint } from "./outcome-constraint.js";

/** One arm of a trial with the latest observed mean of each of its metrics. */
export interface ObservedArm {
  readonly trialIndex: number;
  readonly arm: NamedArm;
  /** Latest observed mean by metric name. */
  readonly values: Readonly<Record<string, number>>;
}

/** The arms of `trial` that have observations, with their latest means. Costs O(the trial's rows). */
export function observedArms(experiment: Experiment, trial: BaseTrial): ObservedArm[] {
  const byArm = new Map<string, Record<string, number>>();
  for (const row of experiment.lookupTrialData(trial.index).rows) {
    let values = byArm.get(row.armName);
    if (!values) {
      values = {};
      byArm.set(row.armName, values);
    }
    values[row.metricName] = row.mean;
  }
  const out: ObservedArm[] = [];
  for (const arm of trial.arms) {
    const values = byArm.get(arm.name);
    if (values) out.push({ trialIndex: trial.index, arm, values });
  }
  return out;
}

/**
 * Whether observed means satisfy every outcome constraint of `config`. A constraint metric without an
 * observation cannot be shown satisfied, so it counts as violated. Relative constraints (bounds
 * relative to the status quo) are judged when `boundOf` gives their bound in the metric's units (see
 * `relativeBoundsOf`), and skipped when it gives null or is not passed (no status-quo value known).
 */
export function satisfiesOutcomeConstraints(
  config: OptimizationConfig,
  values: Readonly<Record<string, number>>,
  boundOf?: (constraint: OutcomeConstraint) => number | null,
): boolean {
  for (const c of config.outcomeConstraints) {
    const bound = c.relative ? (boundOf?.(c) ?? null) : c.bound;
    if (bound === null) continue;
    const v = values[c.metric.name];
    if (v === undefined || !c.isSatisfiedBy(v, bound)) return false;
  }
  return true;
}
