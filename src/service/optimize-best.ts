import type { Experiment } from "../core/experiment.js";
import { MultiObjective } from "../core/objective.js";
import type { Parameterization } from "../core/parameter-type.js";
import type { GenerationStrategy } from "../generation/index.js";
import type { BestPointRule } from "../reporting/best-point-rule.js";
import type { MetricPrediction } from "../reporting/model-best-point.js";
import { type ParetoFrontierPoint, paretoFrontier } from "../reporting/pareto-frontier.js";
import { recommendedBestPoint } from "../reporting/recommended-best-point.js";

/** The best of a finished optimization, as {@link optimize} reports it. */
export interface OptimizeBest {
  /** Single objective: the best arm's parameters; null when no COMPLETED trial is feasible, or multi-objective. */
  bestParameters: Parameterization | null;
  /** Index of the trial that evaluated them, or null. */
  bestTrialIndex: number | null;
  /**
   * Values of the best arm by metric name: the model's predicted means when the model's pick was
   * chosen (`rule: "model"`; the objective and judged constraint metrics), observed means for the
   * others and whenever the best observation was chosen. Null with `bestParameters`.
   */
  values: Record<string, number> | null;
  /** The best arm's observed means of every metric (what its evaluation returned); null with `bestParameters`. */
  observedValues: Record<string, number> | null;
  /** The model's predicted mean and sem of each judged metric at the arm; null when no model judged. */
  predictions: Record<string, MetricPrediction> | null;
  /** Which rule chose the arm (see `Client.getBestParameters`); null with `bestParameters`. */
  rule: BestPointRule | null;
  /** Why that rule chose it, one short sentence; null with `bestParameters`. */
  reason: string | null;
  /**
   * Multi-objective: the observed Pareto-optimal arms, best first in the first objective (see
   * `paretoFrontier`); null for a single objective.
   */
  paretoFrontier: ParetoFrontierPoint[] | null;
}

/**
 * The best point of `experiment` as `Client.getBestParameters` answers with its default rule "auto"
 * (see `recommendedBestPoint`); for several objectives, the observed Pareto frontier instead.
 */
export function optimizeBest(experiment: Experiment, strategy: GenerationStrategy): OptimizeBest {
  if (experiment.optimizationConfig?.objective instanceof MultiObjective) {
    const frontier = paretoFrontier(experiment).points;
    return { ...NONE, paretoFrontier: frontier };
  }
  const best = recommendedBestPoint(experiment, strategy);
  if (best === null) return NONE;
  const values = { ...best.values };
  if (best.rule === "model") {
    for (const [name, p] of Object.entries(best.predictions ?? {})) values[name] = p.mean;
  }
  return {
    bestParameters: best.parameters,
    bestTrialIndex: best.trialIndex,
    values,
    observedValues: { ...best.values },
    predictions: best.predictions ?? null,
    rule: best.rule,
    reason: best.reason,
    paretoFrontier: null,
  };
}

const NONE: OptimizeBest = Object.freeze({
  bestParameters: null,
  bestTrialIndex: null,
  values: null,
  observedValues: null,
  predictions: null,
  rule: null,
  reason: null,
  paretoFrontier: null,
});
