import { absoluteBound } from "../../adapter/derelativize.js";
import type { Experiment } from "../../core/experiment.js";
import type { OutcomeConstraint } from "../../core/outcome-constraint.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { GenerationStrategyError } from "../../errors.js";
import { boTorchLimitation } from "./limitations.js";
import type { MultiObjectiveProblem } from "./multi-objective.js";

/** An absolute outcome constraint as the generator uses it: `value op bound`. */
export interface ConstraintSpec {
  metricName: string;
  op: "LEQ" | "GEQ";
  bound: number;
}

/** The single-objective problem a gen call solves, read from the experiment's optimization config. */
export interface SingleObjectiveProblem {
  objectiveName: string;
  minimize: boolean;
  constraints: ConstraintSpec[];
}

/**
 * The problem of the experiment's optimization config: one objective, or several (ParEGO).
 * @throws OptimizationConfigError when the experiment has no optimization config.
 * Bounds relative to the status quo become absolute ones against its observed values (Ax's Derelativize,
 * see `absoluteBound`).
 * @throws GenerationStrategyError for relative outcome constraints or objective thresholds when the
 * experiment has no status quo; DataRequiredError when the status quo has no observation yet.
 */
export function readBoTorchProblem(experiment: Experiment): SingleObjectiveProblem | MultiObjectiveProblem {
  const config = experiment.requireOptimizationConfig();
  const limitation = boTorchLimitation(config, experiment.statusQuo !== null);
  if (limitation !== null) {
    throw new GenerationStrategyError(
      `The BoTorch generator cannot optimize this experiment: ${limitation}.`,
    );
  }
  const boundOf = relativeBoundsOf(experiment);
  const absolute = (c: OutcomeConstraint): ConstraintSpec => ({
    metricName: c.metric.name,
    op: c.op,
    bound: absoluteBound(experiment, c, boundOf),
  });
  const constraints = config.outcomeConstraints.map(absolute);
  if (config.isMultiObjective) {
    const thresholds = new Map(
      config.objectiveThresholds.map((t) => [t.metric.name, absoluteBound(experiment, t, boundOf)]),
    );
    const objectives = config.objectives.map((o) => ({
      metricName: o.metric.name,
      minimize: o.minimize,
      threshold: thresholds.get(o.metric.name) ?? null,
    }));
    return { objectives, constraints };
  }
  const objective = config.objectives[0]!;
  return { objectiveName: objective.metric.name, minimize: objective.minimize, constraints };
}
