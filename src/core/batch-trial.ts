import { ExperimentError } from "../errors.js";
import type { NamedArm } from "./arm.js";
import { BaseTrial, TrialType } from "./base-trial.js";
import type { GeneratorRun } from "./generator-run.js";
import { TrialStatus } from "./trial-status.js";

/**
 * A trial of several arms with weights, deployed and evaluated together (e.g. the arms of one A/B test
 * that must share a period of traffic). Arms can be added while the trial is a CANDIDATE.
 */
export class BatchTrial extends BaseTrial {
  readonly trialType = TrialType.BATCH_TRIAL;

  get arms(): readonly NamedArm[] {
    // Arms are named when their generator run joins the trial.
    return this.runs.flatMap((r) => r.arms) as NamedArm[];
  }

  /** Weights aligned with `arms`. */
  get weights(): readonly number[] {
    return this.runs.flatMap((r) => r.weights);
  }

  /** Arms with their weights. */
  get armWeights(): { arm: NamedArm; weight: number }[] {
    const w = this.weights;
    return this.arms.map((arm, i) => ({ arm, weight: w[i] ?? 1 }));
  }

  /**
   * Adds all arms of a generator run.
   * @throws ExperimentError once the trial has left CANDIDATE.
   */
  addGeneratorRun(run: GeneratorRun): this {
    if (this.status !== TrialStatus.CANDIDATE) {
      throw new ExperimentError(
        `Cannot add arms to batch trial ${this.index}: it is ${this.status}, not CANDIDATE.`,
        {
          trialIndex: this.index,
        },
      );
    }
    this.adoptGeneratorRun(run, this.arms.length);
    return this;
  }
}
