import type { ArmRegistration } from "./arm-registry.js";
import type { BaseTrial, TrialState } from "./base-trial.js";
import type { DataUndo } from "./data-index.js";

/**
 * A point to return to: everything an experiment changes in memory after {@link Experiment.savepoint}
 * can be taken back with {@link ExperimentSavepoint.rollback}, e.g. when the store refused to save it.
 */
export interface ExperimentSavepoint {
  /** Puts the experiment back as it was at the savepoint, and ends the savepoint. */
  rollback(): void;
  /** Keeps the changes and ends the savepoint. */
  release(): void;
}

/** How a journal undoes changes on the experiment that keeps it. @internal */
export interface JournalTarget {
  restoreTrialState(trial: BaseTrial, state: TrialState): void;
  /** Removes the newest trial, which was added after the savepoint. */
  removeTrial(index: number): void;
  unregisterArm(added: ArmRegistration): void;
  undoData(entries: readonly DataUndo[]): void;
}

/**
 * The undo log of one savepoint: trials added, the state of older trials before their first change,
 * arms registered, and observations replaced. Its size is that of the changes, not of the experiment.
 * @internal
 */
export class ExperimentJournal {
  private readonly firstNewIndex: number;
  private readonly addedTrials: number[] = [];
  private readonly trialStates = new Map<number, { trial: BaseTrial; state: TrialState }>();
  private readonly arms: ArmRegistration[] = [];
  private readonly data: DataUndo[][] = [];

  /** @param numTrials how many trials the experiment had at the savepoint. */
  constructor(numTrials: number) {
    this.firstNewIndex = numTrials;
  }

  trialAdded(index: number): void {
    this.addedTrials.push(index);
  }

  /** Records a trial's state before its first change since the savepoint (trials added since excepted). */
  trialChanging(trial: BaseTrial): void {
    if (trial.index >= this.firstNewIndex || this.trialStates.has(trial.index)) return;
    this.trialStates.set(trial.index, { trial, state: trial.captureState() });
  }

  armRegistered(added: ArmRegistration): void {
    if (added.name !== null || added.signature !== null) this.arms.push(added);
  }

  dataAttached(entries: DataUndo[]): void {
    this.data.push(entries);
  }

  /** Undoes every recorded change, newest kind of change first. */
  undo(target: JournalTarget): void {
    for (let k = this.data.length - 1; k >= 0; k--) target.undoData(this.data[k]!);
    for (const { trial, state } of this.trialStates.values()) target.restoreTrialState(trial, state);
    for (let k = this.addedTrials.length - 1; k >= 0; k--) target.removeTrial(this.addedTrials[k]!);
    for (let k = this.arms.length - 1; k >= 0; k--) target.unregisterArm(this.arms[k]!);
  }
}
