import type { MetricDataset } from "../../adapter/metric-datasets.js";
import type {
  OutcomeTransformChain,
  OutcomeTransformOptions,
} from "../../adapter/outcome-transforms/index.js";
import { SearchSpaceEncoding } from "../../adapter/search-space-encoding.js";
import type { Experiment } from "../../core/experiment.js";
import {
  buildModelDatasets,
  isModelFailure,
  MetricModelFitter,
  warpableColumns,
} from "../../generation/bo/metric-models.js";
import type { GpHyperparameters, GpModel } from "../../numerics/gp/index.js";
import { Rng } from "../../util/rng.js";
import { type CrossValidation, crossValidateModel } from "./cross-validation.js";
import { type ModelAnchor, modelAnchor } from "./model-anchor.js";
import { type ObservedPoint, observedPoints } from "./observed-points.js";
import { type ParameterImportance, parameterImportance } from "./parameter-importance.js";

/** Observations a metric needs before its model views are drawn: fewer say nothing a table does not. */
export const MIN_MODEL_OBSERVATIONS = 3;

/**
 * Default cap on the observations a model view's GP is fitted to. A fit and its O(n³) factorizations
 * on 256 points take about 0.1 s; on 1,000 they take 2 s, beyond the budget of a report. Above the cap
 * a seeded random subset is fitted (the charts say so) and every observation is still drawn.
 */
export const DEFAULT_MAX_MODEL_OBSERVATIONS = 256;

/** Options of {@link ModelViews} (and of every model chart, which builds one when not given one). */
export interface ModelViewsOptions {
  /**
   * Hyperparameters of the generator's last fits by metric name (`boTorchHyperparameters(strategy)`):
   * each metric's fit starts from them, as the generator's next fit would. Without them fits are cold.
   */
  warmStart?: ReadonlyMap<string, GpHyperparameters>;
  /** Fit on a seeded random subset of at most this many observations (default 256). */
  maxObservations?: number;
  /**
   * The outcome transforms of the models (default: the generator's defaults), e.g. the BoTorch step's
   * `winsorize`, `bilog` and `powerTransform`. {@link ModelViews.predict} answers in the metric's own
   * units whatever they are.
   */
  outcomeTransforms?: OutcomeTransformOptions;
  /**
   * Fit with input warping of every FLOAT, INT and ordered-choice column (default false), as a BoTorch
   * step with `inputWarping: true` fits its models (see `boTorchModelOptions`). Ignored when a
   * `fitter` is given.
   */
  inputWarping?: boolean;
  /**
   * The fitter (default: a new `MetricModelFitter` starting from a copy of `warmStart`). One shared with
   * other code keeps its hyperparameters up to date with these fits.
   */
  fitter?: MetricModelFitter;
}

/** One metric's GP as the model views use it. */
export interface FittedMetric {
  readonly metricName: string;
  readonly model: GpModel;
  /** The rows the model was fitted to (a random subset when the metric has more than the cap), model scale. */
  readonly dataset: MetricDataset;
  /** The outcome transforms between the metric's units and the model's scale. */
  readonly transforms: OutcomeTransformChain;
  /** Observations of the metric in COMPLETED trials (the fitted rows when not capped). */
  readonly totalObservations: number;
  /** Observations the outlier guard clipped before fitting. */
  readonly numClipped: number;
}

/**
 * The Gaussian-process models behind the model views of one experiment, each fitted at most once and
 * shared by every chart drawn from this object (slices, contour, importance, cross-validation, Pareto
 * frontier), with the quantities several charts need (best point, importance, leave-one-out) computed
 * once too. The models are the Bayesian-optimization generator's: the same datasets
 * (`buildModelDatasets`: COMPLETED trials, unit-cube inputs, the outlier guard) and the same fit
 * (`MetricModelFitter`, warm-started from `warmStart`); predictions are in each metric's own units.
 *
 * Build one per experiment state: it does not notice trials completed after a model was fitted.
 * @example
 * const views = new ModelViews(experiment, { warmStart: boTorchHyperparameters(strategy) });
 * const charts = [plotSlices(experiment, { views }), plotCrossValidation(experiment, { views })];
 */
export class ModelViews {
  /** The search space's unit-cube encoding; null when every parameter is fixed (nothing to model). */
  readonly encoding: SearchSpaceEncoding | null;
  private readonly fitter: MetricModelFitter;
  private readonly maxObservations: number;
  private readonly outcomeTransforms: OutcomeTransformOptions;
  private readonly fits = new Map<string, FittedMetric | null>();
  private readonly importances = new Map<string, ParameterImportance[] | null>();
  private readonly validations = new Map<string, CrossValidation | null>();
  private anchorCache: ModelAnchor | null | undefined;
  private observed: ObservedPoint[] | undefined;

  constructor(
    readonly experiment: Experiment,
    options: ModelViewsOptions = {},
  ) {
    const encoding = new SearchSpaceEncoding(experiment.searchSpace);
    this.encoding = encoding.dimension > 0 ? encoding : null;
    // A copy: drawing charts must not change the hyperparameters the caller keeps.
    this.fitter =
      options.fitter ??
      new MetricModelFitter({
        hyperparameters: new Map(options.warmStart ?? []),
        warpedDimensions: options.inputWarping ? warpableColumns(encoding) : [],
      });
    this.outcomeTransforms = options.outcomeTransforms ?? {};
    this.maxObservations = Math.max(
      MIN_MODEL_OBSERVATIONS,
      options.maxObservations ?? DEFAULT_MAX_MODEL_OBSERVATIONS,
    );
  }

  /** The metric charts show by default: the objective (the first one of several); null without a config. */
  defaultMetric(): string | null {
    return this.experiment.optimizationConfig?.objectives[0]?.metric.name ?? null;
  }

  /**
   * The metric's fitted model, or null when it cannot be drawn: fewer than
   * {@link MIN_MODEL_OBSERVATIONS} observations, nothing to model (every parameter fixed), or a fit
   * that failed or predicts non-finite values.
   */
  fitted(metricName: string): FittedMetric | null {
    if (!this.fits.has(metricName)) this.fits.set(metricName, this.fit(metricName));
    return this.fits.get(metricName)!;
  }

  /** Every arm observed in a COMPLETED trial, with its latest means and unit-cube point (computed once). */
  observations(): readonly ObservedPoint[] {
    this.observed ??= observedPoints(this.experiment, this.encoding);
    return this.observed;
  }

  /** The point slices and contours go through (see `modelAnchor`); null without observations. */
  anchor(): ModelAnchor | null {
    if (this.anchorCache === undefined) this.anchorCache = modelAnchor(this);
    return this.anchorCache;
  }

  /** Sobol indices of the metric's posterior mean by parameter, most important first; null without a model. */
  importance(metricName: string): ParameterImportance[] | null {
    if (!this.importances.has(metricName)) {
      const fitted = this.fitted(metricName);
      this.importances.set(metricName, fitted && this.encoding && parameterImportance(fitted, this.encoding));
    }
    return this.importances.get(metricName)!;
  }

  /** Leave-one-out cross-validation of the metric's model; null without a model. */
  crossValidation(metricName: string): CrossValidation | null {
    if (!this.validations.has(metricName)) {
      const fitted = this.fitted(metricName);
      this.validations.set(metricName, fitted && crossValidateModel(fitted));
    }
    return this.validations.get(metricName)!;
  }

  /**
   * Predicted means and standard errors of the metric at unit-cube points (m×d), or null without a
   * model. The standard error is that of the mean (the latent function), without observation noise.
   * Both are in the metric's own units: the model's posterior through the inverse of its outcome
   * transforms.
   */
  predict(metricName: string, X: Float64Array, m: number): { mean: Float64Array; sem: Float64Array } | null {
    const fitted = this.fitted(metricName);
    if (!fitted) return null;
    const posterior = fitted.model.predictValues(X, m);
    const { mean, variance } = fitted.transforms.untransformPredictions(posterior.mean, posterior.variance);
    return { mean, sem: variance.map((v) => Math.sqrt(Math.max(v, 0))) };
  }

  private fit(metricName: string): FittedMetric | null {
    if (!this.encoding) return null;
    const entry = buildModelDatasets(this.experiment, [metricName], {
      encoding: this.encoding,
      ...this.outcomeTransforms,
    }).get(metricName);
    if (!entry || entry.dataset.n < MIN_MODEL_OBSERVATIONS) return null;
    const dataset = subsample(entry.dataset, this.maxObservations);
    try {
      const model = this.fitter.fit(dataset);
      // Outputs near the float range fit "successfully" but predict NaN: such a model cannot judge.
      const probe = model.predictValue(dataset.X.subarray(0, dataset.d));
      if (!Number.isFinite(probe.mean) || !Number.isFinite(probe.variance)) return null;
      return {
        metricName,
        model,
        dataset,
        transforms: entry.transforms,
        totalObservations: entry.dataset.n,
        numClipped: entry.numClipped,
      };
    } catch (error) {
      if (isModelFailure(error)) return null;
      throw error;
    }
  }
}

/** The dataset itself, or a seeded random subset of `cap` of its rows (in their original order). */
function subsample(dataset: MetricDataset, cap: number): MetricDataset {
  const { n, d } = dataset;
  if (n <= cap) return dataset;
  const rng = new Rng(0);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < cap; i++) {
    const j = i + rng.int(n - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows = order.slice(0, cap).sort((a, b) => a - b);
  const X = new Float64Array(cap * d);
  rows.forEach((r, k) => {
    X.set(dataset.X.subarray(r * d, (r + 1) * d), k * d);
  });
  return {
    ...dataset,
    X,
    n: cap,
    Y: Float64Array.from(rows, (r) => dataset.Y[r]!),
    Yvar: dataset.Yvar && Float64Array.from(rows, (r) => dataset.Yvar![r]!),
    keys: rows.map((r) => dataset.keys[r]!),
  };
}
