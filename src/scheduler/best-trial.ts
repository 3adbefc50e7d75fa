import type { BaseTrial } from "../core/base-trial.js";
import type { Experiment } from "../core/experiment.js";
import { Objective } from "../core/objective.js";
import { observedArms, satisfiesOutcomeConstraints } from "../core/observed-arms.js";
import type { OutcomeConstraint } from "../core/outcome-constraint.js";
import type { Parameterization } from "../core/parameter-type.js";
import { relativeBoundsOf } from "../core/relative-bounds.js";
import { TrialStatus } from "../core/trial-status.js";

/** The best observed arm of a single-objective experiment. */
export interface BestObservedArm {
  readonly trialIndex: number;
  readonly armName: string;
  readonly parameters: Parameterization;
  /** Observed mean of the objective metric. */
  readonly value: number;
}

/**
 * Keeps the best observed arm among COMPLETED trials of a single-objective experiment whose outcome
 * constraints are satisfied by the observed means (an arm missing a constraint's data is not counted).
 * Relative constraints are judged against the status quo's observed value once it has one, as
 * `bestPoint` does. The experiment is scanned once, on first use; afterwards each newly completed trial
 * costs O(its rows) — except with relative constraints, whose bounds move as the status quo is observed
 * again, so every call rescans.
 * @internal
 */
export class BestTrialTracker {
  private readonly experiment: Experiment;
  private initialized = false;
  private current: BestObservedArm | null = null;

  constructor(experiment: Experiment) {
    this.experiment = experiment;
  }

  /** Name of the single objective's metric, or null for none or several objectives. */
  get objectiveName(): string | null {
    const objective = this.experiment.optimizationConfig?.objective;
    return objective instanceof Objective ? objective.metric.name : null;
  }

  /** The best arm so far, or null when none qualifies or the problem is not single-objective. */
  best(): BestObservedArm | null {
    if (!this.initialized || this.hasRelativeConstraints()) {
      this.initialized = true;
      this.current = null;
      const boundOf = relativeBoundsOf(this.experiment);
      for (const i of this.experiment.trialIndicesWithStatus(TrialStatus.COMPLETED)) {
        this.consider(this.experiment.getTrial(i), boundOf);
      }
    }
    return this.current;
  }

  /** Takes a newly COMPLETED trial into account (no-op until first used: the initial scan sees it). */
  onTrialCompleted(trial: BaseTrial): void {
    if (this.initialized && !this.hasRelativeConstraints())
      this.consider(trial, relativeBoundsOf(this.experiment));
  }

  private hasRelativeConstraints(): boolean {
    return this.experiment.optimizationConfig?.outcomeConstraints.some((c) => c.relative) ?? false;
  }

  /** `boundOf` gives the constraints' bounds (one per scan, so the status quo is looked up once). */
  private consider(trial: BaseTrial, boundOf: (constraint: OutcomeConstraint) => number | null): void {
    const config = this.experiment.optimizationConfig;
    const objective = config?.objective;
    if (!config || !(objective instanceof Objective)) return;
    for (const { arm, values } of observedArms(this.experiment, trial)) {
      const value = values[objective.metric.name];
      if (value === undefined || !satisfiesOutcomeConstraints(config, values, boundOf)) continue;
      const better =
        this.current === null ||
        (objective.minimize ? value < this.current.value : value > this.current.value);
      if (better) {
        this.current = { trialIndex: trial.index, armName: arm.name, parameters: arm.parameters, value };
      }
    }
  }
}
