import { ExperimentError } from "../errors.js";
import type { NamedArm } from "./arm.js";
import { BaseTrial, type TrialOwner, TrialType } from "./base-trial.js";
import type { GeneratorRun } from "./generator-run.js";
import { TrialStatus } from "./trial-status.js";

/** A trial with exactly one arm: the unit the Scheduler deploys by default. */
export class Trial extends BaseTrial {
  readonly trialType = TrialType.TRIAL;

  /** @internal Made by `Experiment.newTrial`. */
  constructor(owner: TrialOwner, index: number, ttlSeconds: number | null, generatorRun?: GeneratorRun) {
    super(owner, index, ttlSeconds);
    if (generatorRun) this.addGeneratorRun(generatorRun);
  }

  /** The trial's arm. @throws ExperimentError when no arm was added yet. */
  get arm(): NamedArm {
    const arm = this.runs[0]?.arms[0];
    if (!arm) throw new ExperimentError(`Trial ${this.index} has no arm yet.`, { trialIndex: this.index });
    // Arms are named when their generator run joins the trial.
    return arm as NamedArm;
  }

  get arms(): readonly NamedArm[] {
    const arm = this.runs[0]?.arms[0];
    return arm ? [arm as NamedArm] : [];
  }

  /** The generator run that produced the arm. */
  get generatorRun(): GeneratorRun | null {
    return this.runs[0] ?? null;
  }

  /**
   * Sets the trial's single arm from a generator run with one arm.
   * @throws ExperimentError when the trial already has an arm or the run has more than one.
   */
  addGeneratorRun(run: GeneratorRun): this {
    if (this.status !== TrialStatus.CANDIDATE) {
      throw new ExperimentError(
        `Cannot set the arm of trial ${this.index}: it is ${this.status}, not CANDIDATE.`,
        {
          trialIndex: this.index,
        },
      );
    }
    if (this.runs.length > 0) {
      throw new ExperimentError(`Trial ${this.index} already has an arm; a Trial holds exactly one.`, {
        trialIndex: this.index,
      });
    }
    if (run.arms.length !== 1) {
      throw new ExperimentError(
        `Trial ${this.index} takes a generator run with one arm, got ${run.arms.length}; use a BatchTrial for several.`,
        { trialIndex: this.index },
      );
    }
    this.adoptGeneratorRun(run, 0);
    return this;
  }
}
