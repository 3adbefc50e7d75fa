import { buildMetricDatasets, type MetricDataset } from "../../adapter/metric-datasets.js";
import {
  DEFAULT_OUTCOME_TRANSFORMS,
  fitOutcomeTransforms,
  type OutcomeTransformChain,
  type OutcomeTransformOptions,
  outcomeTransformContext,
} from "../../adapter/outcome-transforms/index.js";
import { ColumnKind, SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import type { Experiment } from "../../core/experiment.js";
import { relativeBoundsOf } from "../../core/relative-bounds.js";
import { ModelFittingError, NumericalError } from "../../errors.js";
import {
  coldFitRestarts,
  fitGp,
  type GpHyperparameters,
  type GpModel,
  type GpPriorKind,
} from "../../numerics/gp/index.js";
import { Rng } from "../../util/rng.js";

/** Options of {@link MetricModelFitter}. */
export interface MetricModelFitterOptions {
  /**
   * Hyperparameters of earlier fits by metric name: each fit starts from its metric's entry (one local
   * run instead of cold restarts) and replaces it. The map is used, and updated, in place.
   */
  hyperparameters?: Map<string, GpHyperparameters>;
  /** The GPs' hyperparameter priors (default "lognormal"; see `GpPriorKind`). */
  prior?: GpPriorKind;
  /**
   * Random prior draws added to a cold fit's start (default null: {@link coldFitRestarts} of n) and to a
   * warm fit's start (default 0).
   */
  restarts?: { cold?: number | null; warm?: number };
  /** Seed of the fit's random starts for a purpose (`salt`); default 0 for every fit. */
  seedFor?: (salt: number) => number;
  /** Unit-cube columns whose input warping is fitted with each GP (see {@link warpableColumns}); none by default. */
  warpedDimensions?: readonly number[];
}

/**
 * The columns of an encoding that input warping may bend: FLOAT, INT and ordered-choice columns (a
 * position in [0, 1] that means something between its ends), not the one-hot columns of unordered
 * choices (only 0 or 1).
 */
export function warpableColumns(encoding: SearchSpaceEncoding): number[] {
  return encoding.columns.filter((c) => c.kind !== ColumnKind.ONE_HOT).map((c) => c.index);
}

/**
 * Fits GPs to metric datasets the way the Bayesian-optimization generator does: from the metric's
 * previous hyperparameters alone when there are any (warm start), cold otherwise (the prior mode plus
 * {@link coldFitRestarts} prior draws), seeded, so the same data and state give the same model.
 */
export class MetricModelFitter {
  readonly hyperparameters: Map<string, GpHyperparameters>;
  private readonly seedFor: (salt: number) => number;
  private readonly prior: GpPriorKind;
  private readonly restarts: { cold: number | null; warm: number };
  private readonly warpedDimensions: readonly number[];

  constructor(options: MetricModelFitterOptions = {}) {
    this.hyperparameters = options.hyperparameters ?? new Map();
    this.seedFor = options.seedFor ?? (() => 0);
    this.prior = options.prior ?? "lognormal";
    this.restarts = { cold: options.restarts?.cold ?? null, warm: options.restarts?.warm ?? 0 };
    this.warpedDimensions = options.warpedDimensions ?? [];
  }

  /**
   * A GP of one dataset, keeping its hyperparameters under the dataset's metric name.
   * @param salt distinguishes the fits of one call, so each draws its own random starts.
   * @throws ModelFittingError or NumericalError when no start gives a usable model.
   */
  fit(dataset: MetricDataset, salt = 0): GpModel {
    const warm = this.hyperparameters.get(dataset.metricName) ?? null;
    const model = fitGp({
      X: dataset.X,
      n: dataset.n,
      d: dataset.d,
      Y: dataset.Y,
      Yvar: dataset.Yvar,
      options: {
        // A warm start alone: one new observation rarely moves the optimum to another basin. In
        // running loops of 5-50 observations (2-6 inputs, noise inferred), an added random start beat
        // the warm start by more than 0.01 nat in 5 fits of 488 and never by 0.5, at twice the cost.
        restarts: warm ? this.restarts.warm : (this.restarts.cold ?? coldFitRestarts(dataset.n)),
        warmStart: warm,
        prior: this.prior,
        rng: new Rng(this.seedFor(salt)),
        ...(this.warpedDimensions.length > 0 && { warpedDimensions: this.warpedDimensions }),
      },
    });
    this.hyperparameters.set(dataset.metricName, model.hyperparameters);
    return model;
  }
}

/**
 * The data of one metric as its model sees them (on the model's scale), the outcome transforms that
 * put them there (bounds go through `transforms.transformBound`, predictions come back through
 * `transforms.untransformPrediction`), and the number of rows winsorization changed.
 */
export interface ModelDataset {
  dataset: MetricDataset;
  transforms: OutcomeTransformChain;
  numClipped: number;
}

/**
 * Options of {@link buildModelDatasets}: the outcome transforms (`winsorize`: the outlier guard by
 * default, false for the raw observations; `bilog`; `powerTransform`), and how to build the data.
 */
export interface ModelDatasetOptions extends OutcomeTransformOptions {
  /** Metric names → −1 for metrics whose values are negated (minimized objectives); +1 when absent. */
  signs?: ReadonlyMap<string, 1 | -1>;
  /** The encoding of the experiment's search space (built from it when absent). */
  encoding?: SearchSpaceEncoding;
}

/**
 * The datasets the models of these metrics are fitted to: observations of COMPLETED and EARLY_STOPPED
 * trials in the unit-cube encoding (see `buildMetricDatasets`), then the outcome transforms of
 * `fitOutcomeTransforms` (by default only the outlier guard of `winsorizeDataset`), whose tails and
 * bounds follow the experiment's optimization config.
 */
export function buildModelDatasets(
  experiment: Experiment,
  metricNames: readonly string[],
  options: ModelDatasetOptions = {},
): Map<string, ModelDataset> {
  const encoding = options.encoding ?? new SearchSpaceEncoding(experiment.searchSpace);
  const signs = options.signs ?? new Map<string, 1 | -1>();
  const raw = buildMetricDatasets(experiment, encoding, metricNames, signs);
  const config = experiment.optimizationConfig ?? null;
  // Relative bounds as the absolute ones they stand for, once the status quo is observed.
  const boundOf = relativeBoundsOf(experiment);
  const out = new Map<string, ModelDataset>();
  const transformOptions: OutcomeTransformOptions = {
    winsorize: options.winsorize ?? DEFAULT_OUTCOME_TRANSFORMS.winsorize,
    bilog: options.bilog ?? DEFAULT_OUTCOME_TRANSFORMS.bilog,
    powerTransform: options.powerTransform ?? DEFAULT_OUTCOME_TRANSFORMS.powerTransform,
  };
  for (const [name, dataset] of raw) {
    const context = outcomeTransformContext(config, name, dataset.sign, boundOf);
    out.set(name, fitOutcomeTransforms(dataset, context, transformOptions));
  }
  return out;
}

/**
 * One metric's fitted model, the data it was fitted to (model scale) and the outcome transforms between
 * the two scales: a prediction of `model` is in the dataset's units after
 * `transforms.untransformPrediction` (see {@link predictMetric}).
 */
export interface MetricModel {
  readonly dataset: MetricDataset;
  readonly model: GpModel;
  readonly transforms: OutcomeTransformChain;
  /** Observations winsorization clipped before fitting. */
  readonly numClipped: number;
}

/**
 * Predicted means and variances of a metric model at m unit-cube points (m×d), back on the dataset's
 * scale (the maximization scale: a minimized objective still negated): the model's posterior through
 * the inverse of its outcome transforms.
 */
export function predictMetric(
  metric: Pick<MetricModel, "model" | "transforms">,
  X: Float64Array,
  m: number,
): { mean: Float64Array; variance: Float64Array } {
  const p = metric.model.predict(X, m);
  return metric.transforms.untransformPredictions(p.mean, p.variance);
}

/** Options of {@link fitMetricModels}. */
export interface FitMetricModelsOptions extends ModelDatasetOptions {
  /** The metrics to model, in fitting order (default: every objective, then every constraint metric). */
  metricNames?: readonly string[];
  /** Warm starts and seeds (default: cold fits seeded 0, as reports need a stable answer). */
  fitter?: MetricModelFitter;
  /** Called with every dataset before anything is fitted; throw to refuse the data (nothing is fitted). */
  beforeFit?: (datasets: ReadonlyMap<string, ModelDataset>) => void;
}

/**
 * The one path from an experiment to fitted metric models, shared by Bayesian optimization and reports:
 * the data of each metric (see {@link buildModelDatasets}) and a GP fitted to it by `fitter`, by
 * metric name. Fit i uses salt i (its position in `metricNames`), so a metric's model does not depend
 * on which other metrics are modeled. Metrics without observations are left out.
 *
 * @throws ModelFittingError or NumericalError when a model cannot be fitted.
 * @example
 * const models = fitMetricModels(experiment, { metricNames: ["latency"] });
 * const p = models.get("latency")?.model.predict(x, 1);
 */
export function fitMetricModels(
  experiment: Experiment,
  options: FitMetricModelsOptions = {},
): Map<string, MetricModel> {
  const names = options.metricNames ?? configMetricNames(experiment);
  const datasets = buildModelDatasets(experiment, names, options);
  options.beforeFit?.(datasets);
  const fitter = options.fitter ?? new MetricModelFitter();
  const out = new Map<string, MetricModel>();
  names.forEach((name, salt) => {
    const entry = datasets.get(name)!;
    if (entry.dataset.n === 0 || out.has(name)) return;
    out.set(name, { ...entry, model: fitter.fit(entry.dataset, salt) });
  });
  return out;
}

/** Objective metrics, then the metrics of absolute outcome constraints, each once. */
function configMetricNames(experiment: Experiment): string[] {
  const config = experiment.optimizationConfig;
  if (!config) return [];
  const names = [
    ...config.objectives.map((o) => o.metric.name),
    ...config.outcomeConstraints.filter((c) => !c.relative).map((c) => c.metric.name),
  ];
  return [...new Set(names)];
}

/**
 * Whether a model-based generation step failed in a way that one step of space-filling points gets
 * around: the models could not be fitted, or their numerics broke down. Such a failure depends on the
 * data of this step, so the next step (with more data) tries the model again.
 */
export function isModelFailure(error: unknown): error is ModelFittingError | NumericalError {
  return error instanceof ModelFittingError || error instanceof NumericalError;
}
