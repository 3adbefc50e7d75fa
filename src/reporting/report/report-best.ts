import type { Experiment } from "../../core/experiment.js";
import { type BestPoint, bestPoint } from "../best-point.js";
import { type BestPointDecision, decideBestPoint, objectiveNoise } from "../best-point-rule.js";
import type { ModelViews } from "../model-views/model-views.js";
import { type ViewsBestPoint, viewsBestPoint } from "../model-views/views-best-point.js";
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
      readonly model: ViewsBestPoint | null;
      /** The best raw observation; null until a COMPLETED trial has a feasible one. */
      readonly observed: BestPoint | null;
      /** Which of the two the summary shows (the rule "auto" of `getBestParameters`), and why. */
      readonly decision: BestPointDecision;
    }
  | {
      readonly kind: "pareto";
      readonly objectives: readonly ReportObjective[];
      /** The observed Pareto frontier. */
      readonly points: readonly ParetoFrontierPoint[];
      readonly hypervolume: number;
    };

/**
 * The best point of the experiment: for one objective the model's pick from the model views' fits
 * (`viewsBestPoint`: the charts and the summary share one fit per metric) next to the best observation
 * (`bestPoint`), and which of them the rule "auto" of `getBestParameters` chooses (`decideBestPoint`);
 * for several, the observed Pareto frontier. `views` is null when models are off.
 * Never throws for an experiment without an optimization config.
 */
export function reportBest(experiment: Experiment, views: ModelViews | null): ReportBest {
  const config = experiment.optimizationConfig;
  if (config === null) return { kind: "none", message: "The experiment has no optimization config." };
  const objectives = config.objectives.map((o) => ({ metric: o.metric.name, minimize: o.minimize }));
  if (config.isMultiObjective) {
    const frontier = paretoFrontier(experiment);
    return { kind: "pareto", objectives, points: frontier.points, hypervolume: frontier.hypervolume };
  }
  const objective = objectives[0]!;
  const model = views ? viewsBestPoint(views) : null;
  const observed = bestPoint(experiment);
  const fitted = views?.fitted(objective.metric) ?? null;
  const decision: BestPointDecision =
    model === null || fitted === null
      ? { rule: "observed", reason: "no model judged the arms: the best observation" }
      : decideBestPoint({ ...objective, model, observed, noise: objectiveNoise(fitted) });
  return { kind: "single", objective, model, observed, decision };
}
