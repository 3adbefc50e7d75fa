import { ExperimentError } from "../errors.js";
import type { Arm, NamedArm } from "./arm.js";
import { BaseTrial, TrialType } from "./base-trial.js";
import { GeneratorRun } from "./generator-run.js";
import { STATUS_QUO_ARM_NAME, STATUS_QUO_GENERATOR_NAME } from "./status-quo.js";
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

  /** The trial's status-quo arm, set by {@link setStatusQuoWithWeight}, or null. */
  get statusQuo(): NamedArm | null {
    return (this.statusQuoRun()?.arms[0] as NamedArm | undefined) ?? null;
  }

  /** The status-quo arm's weight, or null without one. */
  get statusQuoWeight(): number | null {
    return this.statusQuoRun()?.weights[0] ?? null;
  }

  /**
   * Adds all arms of a generator run. A run of generator "StatusQuo" (as stores keep the status quo)
   * sets the status quo instead.
   * @throws ExperimentError once the trial has left CANDIDATE.
   */
  addGeneratorRun(run: GeneratorRun): this {
    this.assertCandidate("add arms to");
    if (run.generatorName === STATUS_QUO_GENERATOR_NAME) return this.adoptStatusQuoRun(run);
    // The status quo's run stays last, and out of the arm numbering ("<trial>_<k>").
    const sq = this.detachStatusQuoRun();
    this.adoptGeneratorRun(run, this.arms.length);
    if (sq) this.runs.push(sq);
    return this;
  }

  /**
   * Adds the status-quo arm with a weight (Ax's `set_status_quo_with_weight`), replacing an earlier
   * one; `null` removes it. The arm is named "status_quo" unless it has a name or the experiment
   * already knows these parameters. It is kept as a generator run of generator "StatusQuo", so stores
   * and reports see it as one of the trial's arms.
   * @throws ExperimentError once the trial has left CANDIDATE, or for a weight that is not a positive
   * finite number.
   */
  setStatusQuoWithWeight(arm: Arm | null, weight = 1): this {
    this.assertCandidate("set the status quo of");
    if (arm !== null && !(Number.isFinite(weight) && weight > 0)) {
      throw new ExperimentError(
        `The status-quo weight of batch trial ${this.index} must be a positive finite number, got ${weight}.`,
        { trialIndex: this.index },
      );
    }
    this.detachStatusQuoRun();
    if (arm === null) return this;
    const run = new GeneratorRun({
      arms: [arm],
      weights: [weight],
      generatorName: STATUS_QUO_GENERATOR_NAME,
      timeCreated: this.owner.clock.now(),
    });
    return this.adoptStatusQuoRun(run);
  }

  private adoptStatusQuoRun(run: GeneratorRun): this {
    if (run.arms.length !== 1) {
      throw new ExperimentError(
        `Batch trial ${this.index}: a status-quo run holds one arm, got ${run.arms.length}.`,
        { trialIndex: this.index },
      );
    }
    this.detachStatusQuoRun();
    this.owner.nameArm(run.arms[0]!, STATUS_QUO_ARM_NAME);
    this.adoptGeneratorRun(run, this.arms.length);
    return this;
  }

  private statusQuoRun(): GeneratorRun | undefined {
    const last = this.runs.at(-1);
    return last?.generatorName === STATUS_QUO_GENERATOR_NAME ? last : undefined;
  }

  private detachStatusQuoRun(): GeneratorRun | undefined {
    const run = this.statusQuoRun();
    if (run) this.runs.pop();
    return run;
  }

  private assertCandidate(action: string): void {
    if (this.status !== TrialStatus.CANDIDATE) {
      throw new ExperimentError(
        `Cannot ${action} batch trial ${this.index}: it is ${this.status}, not CANDIDATE.`,
        { trialIndex: this.index },
      );
    }
  }
}
