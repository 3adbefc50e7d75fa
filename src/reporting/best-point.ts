import type { Experiment } from "../core/experiment.js";
import type { Objective } from "../core/objective.js";
import { type ObservedArm, observedArms, satisfiesOutcomeConstraints } from "../core/observed-arms.js";
import type { OptimizationConfig } from "../core/optimization-config.js";
import type { Parameterization } from "../core/parameter-type.js";
import { relativeBoundsOf } from "../core/relative-bounds.js";
import { TrialStatus } from "../core/trial-status.js";
import { OptimizationConfigError } from "../errors.js";

/** The best observed arm of an experiment, as {@link bestPoint} finds it. */
export interface BestPoint {
  /** Index of the trial in which the arm was observed. */
  trialIndex: number;
  /** Name of the arm, e.g. `"3_0"`. */
  armName: string;
  /** The arm's parameter values. */
  parameters: Parameterization;
  /** Latest observed mean of every metric reported for this arm in this trial. */
  values: Record<string, number>;
}

/**
 * The best raw observation of a single-objective experiment: among the arms of COMPLETED trials (not
 * EARLY_STOPPED, FAILED or ABANDONED ones), the arm with the lowest (minimize) or highest (maximize)
 * observed objective mean that satisfies every absolute outcome constraint. Ties go to the earliest
 * trial, then the earliest arm.
 *
 * This is the raw observed best, not a model prediction, so a noisy lucky draw can win.
 *
 * Feasibility: an arm must have an observation of every absolute-constraint metric, and each must
 * satisfy its bound; an arm with no observation of a constraint metric cannot be shown feasible and is
 * skipped. Relative constraints (`"latency <= 5%"`) are judged against the status quo's observed value
 * (`relativeBoundsOf`: bound = (1 + sign(sq)·r/100)·sq, as Ax derelativizes); they are ignored while the
 * experiment has no status quo or no observation of it.
 *
 * @returns the best feasible arm, or null when no COMPLETED trial has a feasible observation.
 * @throws OptimizationConfigError when the experiment has no optimization config, or has several
 * objectives (their best points form a Pareto frontier: see `paretoFrontier`).
 * @example
 * const best = bestPoint(experiment);
 * if (best) console.log(best.parameters, best.values.branin);
 */
export function bestPoint(experiment: Experiment): BestPoint | null {
  const { config, objective } = requireSingleObjective(experiment);
  const boundOf = relativeBoundsOf(experiment);
  const best = bestCompletedArm(experiment, objective.minimize, ({ values }) => {
    const value = values[objective.metric.name];
    return value === undefined || !satisfiesOutcomeConstraints(config, values, boundOf) ? null : value;
  });
  return best && toBestPoint(best);
}

/**
 * Among the arms observed in COMPLETED trials, the one with the lowest (`minimize`) or highest score;
 * `score` returns null to skip an arm. Ties go to the earliest trial, then the earliest arm.
 */
export function bestCompletedArm(
  experiment: Experiment,
  minimize: boolean,
  score: (observed: ObservedArm) => number | null,
): ObservedArm | null {
  let best: ObservedArm | null = null;
  let bestValue = 0;
  for (const trialIndex of experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)) {
    for (const observed of observedArms(experiment, experiment.getTrial(trialIndex))) {
      const value = score(observed);
      if (value === null) continue;
      const better =
        best === null ||
        (minimize ? value < bestValue : value > bestValue) ||
        (value === bestValue && trialIndex < best.trialIndex);
      if (better) {
        best = observed;
        bestValue = value;
      }
    }
  }
  return best;
}

/** The {@link BestPoint} of an observed arm (its values copied). */
export function toBestPoint({ trialIndex, arm, values }: ObservedArm): BestPoint {
  return { trialIndex, armName: arm.name, parameters: arm.parameters, values: { ...values } };
}

/**
 * The optimization config and its single objective.
 * @throws OptimizationConfigError when there is no optimization config, or several objectives.
 */
export function requireSingleObjective(experiment: Experiment): {
  config: OptimizationConfig;
  objective: Objective;
} {
  const config = experiment.requireOptimizationConfig();
  if (config.isMultiObjective) {
    throw new OptimizationConfigError(
      `Experiment "${experiment.name}" has ${config.objectives.length} objectives (${config.objective.toString()}); ` +
        "there is no single best point but a Pareto frontier of trade-offs. " +
        "Use paretoFrontier(experiment) (Client.getParetoOptimalParameters) for the Pareto frontier, or " +
        "pick the metric that matters most for a single-objective best point.",
    );
  }
  const objective = config.objectives[0]!;
  return { config, objective };
}
