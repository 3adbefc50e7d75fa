import type { Experiment } from "../core/experiment.js";
import { boTorchModelOptions, type GenerationStrategy, Generators } from "../generation/index.js";
import { type BestPoint, bestPoint, requireSingleObjective } from "./best-point.js";
import { type BestPointRule, decideBestPoint } from "./best-point-rule.js";
import { type MetricPrediction, modelJudgement } from "./model-best-point.js";

/**
 * Who chooses the best point: "auto" (the default) lets the data decide between the model's pick and
 * the best observation (see {@link recommendedBestPoint}); true always takes the model's pick once it
 * can judge; false always the best observation.
 */
export type UseModelPredictions = boolean | "auto";

/** The best point of a single-objective experiment, with which rule chose it and why. */
export interface RecommendedBestPoint extends BestPoint {
  /** "model": the model's pick (best predicted mean); "observed": the best raw observation. */
  rule: BestPointRule;
  /** Why that rule chose the arm, in one short sentence (noise level, gap between the candidates). */
  reason: string;
  /**
   * The model's predicted mean and sem at the chosen arm of the objective and of every judged
   * constraint's metric, whenever a model judged the arms (whichever rule chose); absent otherwise.
   */
  predictions?: Record<string, MetricPrediction>;
}

/** Options of {@link recommendedBestPoint}. */
export interface RecommendedBestPointOptions {
  /** Default "auto". */
  useModelPredictions?: UseModelPredictions;
}

/**
 * The best arm among COMPLETED trials, as `Client.getBestParameters` answers. A model judges only
 * once `strategy`'s current step is the BoTorch generator (its hyperparameters start the fit, so the
 * answer matches the model that proposes trials) and the model can judge (see `modelJudgement`);
 * before that, or with `useModelPredictions: false`, the best feasible observation (`bestPoint`).
 *
 * With "auto", between the model's pick (`modelBestPoint`) and the best observation: the best
 * observation when the data are noise-free, or when the model's pick trails it in observed means by
 * more than `NOISE_GAP_FACTOR` (2) noise standard deviations (known sems, else the GP's inferred
 * noise); the model's pick otherwise (see `decideBestPoint`). `values` are always the chosen arm's
 * observed means.
 *
 * @returns null when no COMPLETED trial has a feasible observation (and the model predicts none).
 * @throws OptimizationConfigError when the experiment has no optimization config or several objectives.
 * @example
 * const best = recommendedBestPoint(experiment, strategy);
 * if (best) console.log(best.parameters, best.rule, best.reason);
 */
export function recommendedBestPoint(
  experiment: Experiment,
  strategy: GenerationStrategy | null,
  options: RecommendedBestPointOptions = {},
): RecommendedBestPoint | null {
  const { objective } = requireSingleObjective(experiment);
  const use = options.useModelPredictions ?? "auto";
  const observed = bestPoint(experiment);
  const asObserved = (reason: string) => observed && { ...observed, rule: "observed" as const, reason };
  if (use === false) return asObserved("useModelPredictions is false: the best observation");
  if (strategy?.currentGeneratorName !== Generators.BOTORCH.name) {
    return asObserved(
      "no model yet (the strategy has not reached Bayesian optimization): the best observation",
    );
  }
  const judgement = modelJudgement(experiment, boTorchModelOptions(strategy));
  if (judgement === null) {
    return asObserved("the model cannot judge (too few observations or a failed fit): the best observation");
  }
  const model = judgement.best;
  if (model === null) {
    return asObserved("the model predicts no arm feasible: the best observation");
  }
  const decision =
    use === true
      ? { rule: "model" as const, reason: "useModelPredictions is true: the model's pick" }
      : decideBestPoint({
          metric: objective.metric.name,
          minimize: objective.minimize,
          model,
          observed,
          noise: judgement.noise,
        });
  if (decision.rule === "model" || observed === null) return { ...model, ...decision };
  const arm = experiment.getTrial(observed.trialIndex).arms.find((a) => a.name === observed.armName);
  const predictions = arm ? judgement.predictAt(arm) : null;
  return { ...observed, ...decision, ...(predictions ? { predictions } : {}) };
}
