import type { Experiment } from "../core/experiment.js";
import { MultiObjective } from "../core/objective.js";
import type { Parameterization } from "../core/parameter-type.js";
import { boTorchHyperparameters, type GenerationStrategy, Generators } from "../generation/index.js";
import { bestPoint } from "../reporting/best-point.js";
import { type MetricPrediction, modelBestPoint } from "../reporting/model-best-point.js";
import { type ParetoFrontierPoint, paretoFrontier } from "../reporting/pareto-frontier.js";

/** The best of a finished optimization, as {@link optimize} reports it. */
export interface OptimizeBest {
  /** Single objective: the best arm's parameters; null when no COMPLETED trial is feasible, or multi-objective. */
  bestParameters: Parameterization | null;
  /** Index of the trial that evaluated them, or null. */
  bestTrialIndex: number | null;
  /**
   * Values of the best arm by metric name: the model's predicted means where a model judged the arm
   * (the objective and constraint metrics, once the strategy reached Bayesian optimization), observed
   * means for the others. Null with `bestParameters`.
   */
  values: Record<string, number> | null;
  /** The best arm's observed means of every metric (what its evaluation returned); null with `bestParameters`. */
  observedValues: Record<string, number> | null;
  /** The model's predicted mean and sem of each judged metric; null when the arm was chosen by observations. */
  predictions: Record<string, MetricPrediction> | null;
  /**
   * Multi-objective: the observed Pareto-optimal arms, best first in the first objective (see
   * `paretoFrontier`); null for a single objective.
   */
  paretoFrontier: ParetoFrontierPoint[] | null;
}

/**
 * The best point of `experiment`: by the model's predictions when the strategy's current step is the
 * BoTorch generator and the model can judge (as `Client.getBestParameters`), else the best feasible
 * observation; for several objectives, the observed Pareto frontier instead.
 */
export function optimizeBest(experiment: Experiment, strategy: GenerationStrategy): OptimizeBest {
  if (experiment.optimizationConfig?.objective instanceof MultiObjective) {
    const frontier = paretoFrontier(experiment).points;
    return { ...NONE, paretoFrontier: frontier };
  }
  if (strategy.currentGeneratorName === Generators.BOTORCH.name) {
    // The generator's hyperparameters start the fit, so the answer matches the model that proposed trials.
    const predicted = modelBestPoint(experiment, { warmStart: boTorchHyperparameters(strategy) });
    if (predicted !== null) {
      const values = { ...predicted.values };
      for (const [name, p] of Object.entries(predicted.predictions)) values[name] = p.mean;
      return {
        bestParameters: predicted.parameters,
        bestTrialIndex: predicted.trialIndex,
        values,
        observedValues: { ...predicted.values },
        predictions: predicted.predictions,
        paretoFrontier: null,
      };
    }
  }
  const observed = bestPoint(experiment);
  if (observed === null) return NONE;
  return {
    bestParameters: observed.parameters,
    bestTrialIndex: observed.trialIndex,
    values: { ...observed.values },
    observedValues: { ...observed.values },
    predictions: null,
    paretoFrontier: null,
  };
}

const NONE: OptimizeBest = Object.freeze({
  bestParameters: null,
  bestTrialIndex: null,
  values: null,
  observedValues: null,
  predictions: null,
  paretoFrontier: null,
});
