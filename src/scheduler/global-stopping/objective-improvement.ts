import type { Experiment } from "../../core/experiment.js";
import type { Objective } from "../../core/objective.js";
import { observedArms, satisfiesOutcomeConstraints } from "../../core/observed-arms.js";
import type { OptimizationConfig } from "../../core/optimization-config.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { quantileOfSorted } from "../../numerics/stats/index.js";
import type { GlobalStoppingDecision } from "./global-stopping-strategy.js";

/** The rule's settings that the single-objective check reads. */
export interface ImprovementRule {
  readonly windowSize: number;
  readonly improvementBar: number;
}

/**
 * Ax's single-objective rule: the improvement of the best feasible value over the last `windowSize`
 * completed trials, as a fraction of the interquartile range (IQR) of the feasible values seen so far;
 * below `improvementBar`, stop.
 *
 * Each completed trial (ascending index, at least `windowSize` of them) contributes its best feasible arm
 * (one arm for a `Trial`), or nothing when none is feasible; an arm is feasible when the objective is
 * observed and the observed means satisfy the outcome constraints (relative ones judged against the
 * status quo, as `bestPoint` does). The IQR is taken over every feasible arm, with linear interpolation
 * between order statistics (numpy's default percentile). When the window starts before any feasible
 * value, or the IQR is 0, the improvement cannot be judged and the optimization goes on (as in Ax).
 * @param completed the COMPLETED trial indices, ascending.
 */
export function objectiveImprovementDecision(
  experiment: Experiment,
  config: OptimizationConfig,
  objective: Objective,
  completed: readonly number[],
  rule: ImprovementRule,
): GlobalStoppingDecision {
  const name = objective.metric.name;
  const better = objective.minimize ? Math.min : Math.max;
  const boundOf = relativeBoundsOf(experiment);
  const feasible: number[] = [];
  // Running best after each completed trial; ±Infinity until the first feasible value.
  const runningBest: number[] = [];
  let best = objective.minimize ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const index of completed) {
    for (const { values } of observedArms(experiment, experiment.getTrial(index))) {
      const value = values[name];
      if (value === undefined || !satisfiesOutcomeConstraints(config, values, boundOf)) continue;
      feasible.push(value);
      best = better(best, value);
    }
    runningBest.push(best);
  }
  if (feasible.length <= 1) {
    return {
      stop: false,
      reason: `Only ${feasible.length} completed trial${feasible.length === 1 ? " has" : "s have"} a feasible value of ${name}; at least 2 are needed to judge improvement.`,
    };
  }
  const n = runningBest.length;
  const start = runningBest[n - rule.windowSize]!;
  const end = runningBest[n - 1]!;
  if (!Number.isFinite(start)) {
    return {
      stop: false,
      reason: `No feasible value of ${name} was observed before the last ${rule.windowSize} completed trials, so every feasible value is new.`,
    };
  }
  const sorted = [...feasible].sort((a, b) => a - b);
  const iqr = quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25);
  if (iqr === 0) {
    return {
      stop: false,
      reason: `The interquartile range of the ${feasible.length} feasible values of ${name} is 0, so improvement relative to it cannot be judged.`,
    };
  }
  const relative = Math.abs(end - start) / iqr;
  const window = `over the last ${rule.windowSize} completed trials (from ${fmt(start)} to ${fmt(end)})`;
  const scale = `the interquartile range of the ${feasible.length} feasible values (IQR = ${fmt(iqr)})`;
  if (relative < rule.improvementBar) {
    return {
      stop: true,
      reason: `The best ${name} improved by ${fmt(relative)} times ${scale} ${window}, less than improvementBar ${rule.improvementBar}.`,
    };
  }
  return {
    stop: false,
    reason: `The best ${name} improved by ${fmt(relative)} times ${scale} ${window}, at least improvementBar ${rule.improvementBar}.`,
  };
}

/** A number for a reason: 4 significant digits, no exponent for ordinary magnitudes. */
export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
