import type { MetricDataset } from "../../adapter/metric-datasets.js";
import type { OutcomeTransformChain } from "../../adapter/outcome-transforms/index.js";
import type { JsonValue } from "../../core/json.js";
import { type AcquisitionFunction, EnsembleAcquisition } from "../../numerics/acquisition/index.js";
import type { GpModel } from "../../numerics/gp/index.js";
import { AcquisitionBuilder, type FittedConstraint } from "./acquisition-builder.js";
import { type CandidateProposer, finiteOrNull, type TransformsRan } from "./candidate-proposer.js";
import type { ThompsonSurrogate } from "./thompson-step.js";

/** The fitted models of a single-objective problem. */
export interface SingleObjectiveFit {
  /** Objective data on the maximization scale (after its outcome transforms), and its GP. */
  objective: MetricDataset;
  objectiveModel: GpModel;
  /** The objective's outcome transforms: predictions go back through them (default: none). */
  objectiveTransforms?: OutcomeTransformChain;
  /** Constraint models, with their bounds on the model's scale. */
  constraints: FittedConstraint[];
  /**
   * The same problem under posterior draws of every metric's hyperparameters (draw i of each metric in
   * fit i). When given, the acquisition is the log-scale average of one acquisition per fit (see
   * `EnsembleAcquisition`); Thompson steps, the predictions recorded and the mean gradient keep the MAP
   * models above.
   */
  sampledFits?: readonly SingleObjectiveFit[];
}

/**
 * Single-objective proposals: every arm of the batch uses the same {@link AcquisitionBuilder} (LogEI
 * with fantasies, or qLogNEI), and records the predicted mean and sem of the objective (original scale
 * and sign).
 */
export class SingleObjectiveProposer implements CandidateProposer {
  readonly observedX: Float64Array;
  readonly noiseless: boolean;
  private readonly builder: AcquisitionBuilder;
  /** One builder per hyperparameter draw, or null for the MAP acquisition alone. */
  private readonly sampledBuilders: AcquisitionBuilder[] | null;

  /**
   * @param seed seed of qLogNEI's base samples.
   * @param data `numClipped`: observations the outlier guard clipped (recorded when there are any);
   * `outcomeTransforms`: the steps each metric's data went through (recorded when given).
   */
  constructor(
    private readonly fit: SingleObjectiveFit,
    private readonly minimize: boolean,
    seed: number,
    private readonly data: { numClipped: number; outcomeTransforms?: TransformsRan } = { numClipped: 0 },
  ) {
    this.builder = new AcquisitionBuilder({ ...fit, seed });
    // Every member gets the same seed: common base samples make the qLogNEI members differ only by
    // their models, not by Monte Carlo noise.
    this.sampledBuilders = fit.sampledFits?.map((f) => new AcquisitionBuilder({ ...f, seed })) ?? null;
    this.observedX = fit.objective.X;
    this.noiseless = fit.objective.noiseless;
  }

  acquisition(_index: number, pending: Float64Array): AcquisitionFunction {
    if (this.sampledBuilders === null) return this.builder.build(pending);
    return new EnsembleAcquisition(this.sampledBuilders.map((b) => b.build(pending)));
  }

  /**
   * The objective GP for a Thompson step, conditioned on kriging-believer fantasies at the pending
   * points (so the draw does not favour them); null with outcome constraints, which a draw of the
   * objective alone would ignore.
   */
  thompsonSurrogate(pending: Float64Array): ThompsonSurrogate | null {
    if (this.fit.constraints.length > 0) return null;
    const { objective, objectiveModel } = this.fit;
    const k = pending.length / objective.d;
    const model = k > 0 ? objectiveModel.withFantasies(pending, k) : objectiveModel;
    return { model, X: objective.X, Y: objective.Y };
  }

  meanGradient(x: Float64Array): Float64Array {
    return Float64Array.from(this.fit.objectiveModel.predictWithGradient(x).dMean);
  }

  describe(_index: number, x: Float64Array, acquisition: AcquisitionFunction): Record<string, JsonValue> {
    const posterior = this.fit.objectiveModel.predict(x, 1);
    const { mean, variance } = this.fit.objectiveTransforms
      ? this.fit.objectiveTransforms.untransformPrediction(posterior.mean[0]!, posterior.variance[0]!)
      : { mean: posterior.mean[0]!, variance: posterior.variance[0]! };
    return {
      acquisitionFunction: this.builder.kind,
      acquisitionValue: finiteOrNull(acquisition.evaluate(x)),
      predictedMean: (this.minimize ? -1 : 1) * mean,
      predictedSem: Math.sqrt(Math.max(variance, 0)),
    };
  }

  runMetadata(): Record<string, JsonValue> {
    return {
      numObservations: this.fit.objective.n,
      acquisitionFunction: this.builder.kind,
      ...(this.sampledBuilders === null ? {} : { hyperparameterSamples: this.sampledBuilders.length }),
      ...(this.data.numClipped > 0 ? { numWinsorized: this.data.numClipped } : {}),
      ...(this.data.outcomeTransforms === undefined
        ? {}
        : { outcomeTransforms: this.data.outcomeTransforms }),
    };
  }
}
