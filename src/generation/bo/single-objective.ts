import type { MetricDataset } from "../../adapter/metric-datasets.js";
import type { JsonValue } from "../../core/json.js";
import type { AcquisitionFunction } from "../../numerics/acquisition/index.js";
import type { GpModel } from "../../numerics/gp/index.js";
import { AcquisitionBuilder, type FittedConstraint } from "./acquisition-builder.js";
import { type CandidateProposer, finiteOrNull } from "./candidate-proposer.js";

/** The fitted models of a single-objective problem. */
export interface SingleObjectiveFit {
  /** Objective data on the maximization scale, and its GP. */
  objective: MetricDataset;
  objectiveModel: GpModel;
  constraints: FittedConstraint[];
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

  /**
   * @param seed seed of qLogNEI's base samples.
   * @param data `numClipped`: observations the outlier guard clipped (recorded when there are any).
   */
  constructor(
    private readonly fit: SingleObjectiveFit,
    private readonly minimize: boolean,
    seed: number,
    private readonly data: { numClipped: number } = { numClipped: 0 },
  ) {
    this.builder = new AcquisitionBuilder({ ...fit, seed });
    this.observedX = fit.objective.X;
    this.noiseless = fit.objective.noiseless;
  }

  acquisition(_index: number, pending: Float64Array): AcquisitionFunction {
    return this.builder.build(pending);
  }

  describe(_index: number, x: Float64Array, acquisition: AcquisitionFunction): Record<string, JsonValue> {
    const prediction = this.fit.objectiveModel.predict(x, 1);
    return {
      acquisitionFunction: this.builder.kind,
      acquisitionValue: finiteOrNull(acquisition.evaluate(x)),
      predictedMean: (this.minimize ? -1 : 1) * prediction.mean[0]!,
      predictedSem: Math.sqrt(Math.max(prediction.variance[0]!, 0)),
    };
  }

  runMetadata(): Record<string, JsonValue> {
    return {
      numObservations: this.fit.objective.n,
      acquisitionFunction: this.builder.kind,
      ...(this.data.numClipped > 0 ? { numWinsorized: this.data.numClipped } : {}),
    };
  }
}
