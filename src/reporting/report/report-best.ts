import type { Experiment } from "../../core/experiment.js";
import { boTorchHyperparameters } from "../../generation/bo/warm-start.js";
import type { GenerationStrategy } from "../../generation/generation-strategy.js";
import { type BestPoint, bestPoint } from "../best-point.js";
import { type ModelBestPoint, modelBestPoint } from "../model-best-point.js";
import { type ParetoFrontierPoint, paretoFrontier } from "../pareto-frontier.js";

/** An objective: its metric and direction. */
export interface ReportObjective {
  readonly metric: string;
  readonly minimize: boolean;
}

/** The best point(s) the report's summary shows. */
export type ReportBest =
  | { readonly kind: "none"; readonly message: string }
  | {
      readonly kind: "single";
      readonly objective: ReportObjective;
      /** The model's best arm (with its predictions) when models are on and the model can judge. */
      readonly model: ModelBestPoint | null;
      /** The best raw observation; null until a COMPLETED trial has a feasible one. */
      readonly observed: BestPoint | null;
    }
  | {
      readonly kind: "pareto";
      readonly objectives: readonly ReportObjective[];
      /** The observed Pareto frontier. */
      readonly points: readonly ParetoFrontierPoint[];
      readonly hypervolume: number;
    };

/**
 * The best point of the experiment: for one objective the model's pick (`modelBestPoint`, warm-started
 * from the strategy's BoTorch state when there is one) next to the best observation (`bestPoint`); for
 * several, the observed Pareto frontier. Never throws for an experiment without an optimization config.
 */
export function reportBest(
  experiment: Experiment,
  options: { models: boolean; strategy: GenerationStrategy | null },
): ReportBest {
  const config = experiment.optimizationConfig;
  if (config === null) return { kind: "none", message: "The experiment has no optimization config." };
  const objectives = config.objectives.map((o) => ({ metric: o.metric.name, minimize: o.minimize }));
  if (config.isMultiObjective) {
    const frontier = paretoFrontier(experiment);
    return { kind: "pareto", objectives, points: frontier.points, hypervolume: frontier.hypervolume };
  }
  const warmStart = options.strategy ? boTorchHyperparameters(options.strategy) : undefined;
  const model = options.models ? modelBestPoint(experiment, warmStart ? { warmStart } : {}) : null;
  return { kind: "single", objective: objectives[0]!, model, observed: bestPoint(experiment) };
}
