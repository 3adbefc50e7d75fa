import { tryEncodeArm } from "../adapter/metric-datasets.js";
import type { OutcomeTransformOptions } from "../adapter/outcome-transforms/index.js";
import { SearchSpaceEncoding } from "../adapter/search-space-encoding.js";
import type { Arm } from "../core/arm.js";
import type { Experiment } from "../core/experiment.js";
import type { Objective } from "../core/objective.js";
import type { OptimizationConfig } from "../core/optimization-config.js";
import type { OutcomeConstraint } from "../core/outcome-constraint.js";
import { relativeBoundsOf } from "../core/relative-bounds.js";
import {
  fitMetricModels,
  isModelFailure,
  type MetricModel,
  MetricModelFitter,
  warpableColumns,
} from "../generation/bo/metric-models.js";
import type { GpHyperparameters } from "../numerics/gp/index.js";
import { type BestPoint, bestCompletedArm, requireSingleObjective, toBestPoint } from "./best-point.js";
import { type ObjectiveNoise, objectiveNoise } from "./best-point-rule.js";

/** A model's prediction of one metric at one arm, in the metric's own units. */
export interface MetricPrediction {
  mean: number;
  /** Standard error of the predicted mean (the model's uncertainty about the arm's true value). */
  sem: number;
}

/** The best arm by model predictions, as {@link modelBestPoint} finds it. */
export interface ModelBestPoint extends BestPoint {
  /** Predicted mean and sem of the objective and of every judged constraint's metric, by metric name. */
  predictions: Record<string, MetricPrediction>;
}

/** Observations a metric needs before a GP of it is trusted to judge arms. */
const MIN_OBSERVATIONS = 2;

/** Options of {@link modelBestPoint}. */
export interface ModelBestPointOptions {
  /**
   * Hyperparameters of earlier fits by metric name (e.g. the BoTorch generator's, from
   * `boTorchHyperparameters`): each metric's fit starts from them. Without them every fit is cold.
   */
  warmStart?: ReadonlyMap<string, GpHyperparameters>;
  /**
   * The outcome transforms of the models (default: the generator's defaults); pass the BoTorch step's
   * `winsorize`, `bilog` and `powerTransform` to judge arms with the models it used. Predictions are
   * always in the metric's own units.
   */
  outcomeTransforms?: OutcomeTransformOptions;
  /**
   * Fit the models with input warping of every FLOAT, INT and ordered-choice column (default false), as
   * a BoTorch step with `inputWarping: true` fits its own (see `warpableColumns`).
   */
  inputWarping?: boolean;
}

/**
 * The best arm of a single-objective experiment by the model's predictions (Ax's
 * `get_best_parameters(use_model_predictions=True)`): a GP is fitted to the objective and to every
 * judged constraint's metric by the same path as Bayesian optimization (`fitMetricModels`: data of
 * COMPLETED trials, noise as reported with sem null inferred, the outlier guard), and among the arms
 * observed in COMPLETED trials the one with the best predicted objective mean whose predicted
 * constraint means satisfy their bounds wins. Ties go to the earliest trial, then the earliest arm.
 * With noisy observations this prefers an arm whose neighbourhood confirms it over a lucky draw; with
 * noise-free ones the GP interpolates, so it agrees with {@link bestPoint} up to rounding.
 *
 * `values` are the arm's latest observed means, as in `bestPoint`; `predictions` the model's (always
 * finite). Relative constraints are judged against the status quo's observed value once it has one
 * (as in `bestPoint`), and skipped before.
 *
 * @returns the best predicted-feasible arm; null when no arm is predicted feasible, or when the model
 * cannot judge: fewer than 2 observations of the objective or of a constraint metric, a model that
 * cannot be fitted or predicts a non-finite value, or none of the arms can be encoded in the current
 * search space (use `bestPoint` then).
 * @throws OptimizationConfigError when the experiment has no optimization config or several objectives.
 * @example
 * const best = modelBestPoint(experiment);
 * if (best) console.log(best.parameters, best.predictions.loss?.mean, "±", best.predictions.loss?.sem);
 */
export function modelBestPoint(
  experiment: Experiment,
  options: ModelBestPointOptions = {},
): ModelBestPoint | null {
  return modelJudgement(experiment, options)?.best ?? null;
}

/** What a fitted model says about the observed arms: its pick, the objective's noise, any arm's predictions. */
export interface ModelJudgement {
  /** The model's pick, as {@link modelBestPoint} returns it; null when no arm is predicted feasible. */
  readonly best: ModelBestPoint | null;
  /** The objective's observation noise as its model sees it. */
  readonly noise: ObjectiveNoise;
  /** The model's predictions at an arm, or null when it cannot be encoded or a prediction is not finite. */
  predictAt(arm: Arm): Record<string, MetricPrediction> | null;
}

/**
 * The models {@link modelBestPoint} fits, with its pick, the objective's noise and a way to predict
 * any arm (to set the model's pick beside the best observation).
 * @returns null when the model cannot judge (see {@link modelBestPoint}).
 * @throws OptimizationConfigError when the experiment has no optimization config or several objectives.
 */
export function modelJudgement(
  experiment: Experiment,
  options: ModelBestPointOptions = {},
): ModelJudgement | null {
  const { config, objective } = requireSingleObjective(experiment);
  const { constraints, names } = judgedMetrics(experiment, config, objective);
  const encoding = new SearchSpaceEncoding(experiment.searchSpace);
  const models = fitModels(experiment, names, encoding, options);
  if (models === null) return null;

  const predictAt = (arm: Arm): Record<string, MetricPrediction> | null => {
    const x = tryEncodeArm(encoding, arm);
    return x === null ? null : predictAll(models, x);
  };
  const best = bestCompletedArm(experiment, objective.minimize, (observed) => {
    if (observed.values[objective.metric.name] === undefined) return null;
    const predictions = predictAt(observed.arm);
    if (predictions === null || !constraints.every((c) => predictedFeasible(c, predictions))) return null;
    return predictions[objective.metric.name]!.mean;
  });
  // Measured on first use: the noise test fits one more GP, which `modelBestPoint` never needs.
  let noise: ObjectiveNoise | undefined;
  return {
    best: best && { ...toBestPoint(best), predictions: predictAt(best.arm)! },
    get noise() {
      noise ??= objectiveNoise(models.get(objective.metric.name)!);
      return noise;
    },
    predictAt,
  };
}

/** An outcome constraint with its bound in the metric's own units. */
export interface JudgedConstraint {
  readonly constraint: OutcomeConstraint;
  readonly bound: number;
}

/**
 * The constraints a model judges arms by (relative ones once the status quo is observed) and the
 * metrics it needs: the objective's first, then each judged constraint's, once.
 */
export function judgedMetrics(
  experiment: Experiment,
  config: OptimizationConfig,
  objective: Objective,
): { constraints: JudgedConstraint[]; names: string[] } {
  const boundOf = relativeBoundsOf(experiment);
  const constraints = config.outcomeConstraints.flatMap((constraint) => {
    const bound = boundOf(constraint);
    return bound === null ? [] : [{ constraint, bound }];
  });
  const names = [objective.metric.name, ...new Set(constraints.map((c) => c.constraint.metric.name))];
  return { constraints, names };
}

/** Every metric's model, or null when one of them has too few observations or cannot be fitted. */
function fitModels(
  experiment: Experiment,
  names: readonly string[],
  encoding: SearchSpaceEncoding,
  options: ModelBestPointOptions,
): ReadonlyMap<string, MetricModel> | null {
  // A copy: judging the best arm must not change the hyperparameters the caller keeps.
  const fitter = new MetricModelFitter({
    hyperparameters: new Map(options.warmStart ?? []),
    warpedDimensions: options.inputWarping ? warpableColumns(encoding) : [],
  });
  try {
    return fitMetricModels(experiment, {
      metricNames: names,
      encoding,
      ...options.outcomeTransforms,
      fitter,
      beforeFit: (datasets) => {
        if (names.some((name) => datasets.get(name)!.dataset.n < MIN_OBSERVATIONS)) {
          throw new TooFewObservations();
        }
      },
    });
  } catch (error) {
    if (error instanceof TooFewObservations || isModelFailure(error)) return null;
    throw error;
  }
}

/** Stops {@link fitMetricModels} before any fit when a metric has too few observations. */
class TooFewObservations extends Error {}

/**
 * Predictions of every model at x in the metric's own units (through the inverse of its outcome
 * transforms), or null when one is not a finite number (the model cannot judge).
 */
function predictAll(
  models: ReadonlyMap<string, MetricModel>,
  x: Float64Array,
): Record<string, MetricPrediction> | null {
  const out: Record<string, MetricPrediction> = {};
  for (const [name, { model, transforms }] of models) {
    const p = model.predict(x, 1);
    const { mean, variance } = transforms.untransformPrediction(p.mean[0]!, p.variance[0]!);
    const sem = Math.sqrt(Math.max(variance, 0));
    if (!Number.isFinite(mean) || !Number.isFinite(sem)) return null;
    out[name] = { mean, sem };
  }
  return out;
}

/** Whether the predicted mean satisfies the constraint's bound in the metric's own units. */
function predictedFeasible(
  { constraint, bound }: JudgedConstraint,
  predictions: Record<string, MetricPrediction>,
): boolean {
  return constraint.isSatisfiedBy(predictions[constraint.metric.name]!.mean, bound);
}
