import type { BaseTrial } from "../core/base-trial.js";
import { Data } from "../core/data.js";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import type { JsonValue } from "../core/json.js";
import { ExperimentExistsError, StorageError } from "../errors.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { errorMessage } from "./format.js";
import { LeaseKeeper } from "./lease-keeper.js";

/** Attempts of a failed save when storage errors are suppressed. */
const SAVE_ATTEMPTS = 3;
const SAVE_RETRY_DELAY_MS = 200;

/** Options of {@link StoreSync}. */
export interface StoreSyncOptions {
  /** Where to save; opened on first use (database settings connect lazily). */
  store: StoreProvider | null;
  /** The experiment is new to the store: refuse to overwrite one of the same name already stored. */
  isNew: boolean;
  experiment: Experiment;
  /** Current generation state, read when it is marked changed. */
  generationState: () => JsonValue;
  logger: Logger;
  clock: Clock;
  /** Log and retry failed saves (true) or throw a StorageError (false). */
  suppressErrors: boolean;
}

/**
 * Collects what changed during one step of the loop (trials, new observations, generation state) and
 * saves exactly that in one transaction, so each save costs O(changes), never O(experiment).
 * When a save fails, the changes stay queued (nothing in memory is lost or half-applied): either the
 * error is thrown as a StorageError, or (suppressed) it is logged, retried, and left for the next save.
 * @internal
 */
export class StoreSync {
  private readonly options: StoreSyncOptions;
  private readonly trials = new Map<number, BaseTrial>();
  private data: Data[] = [];
  private stateDirty = false;
  private experimentSave: Promise<void> | null = null;
  private experimentSaveFailed = false;
  private opening: Promise<ExperimentStore> | null = null;
  private opened: ExperimentStore | null = null;
  private readonly lease: LeaseKeeper;
  private mustBeNew: boolean;

  constructor(options: StoreSyncOptions) {
    this.options = options;
    this.lease = new LeaseKeeper(options.experiment.name, options.clock, options.logger);
    this.mustBeNew = options.isNew;
  }

  /** Whether there is a store at all. */
  get enabled(): boolean {
    return this.options.store !== null;
  }

  /** The store once opened, else null. */
  get store(): ExperimentStore | null {
    return this.opened;
  }

  /** Opens the store once; a failed open is tried again next time. */
  private async open(): Promise<ExperimentStore | null> {
    const provider = this.options.store;
    if (!provider) return null;
    if (this.opened) return this.opened;
    this.opening ??= provider.openStore();
    try {
      this.opened = await this.opening;
      return this.opened;
    } catch (error) {
      this.opening = null;
      throw new StorageError(`Could not open the store at ${provider.description}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * Takes the experiment's lease for a run (one Scheduler per experiment at a time).
   * @throws ExperimentLockedError when another live Scheduler holds it.
   */
  async acquireLease(): Promise<void> {
    const store = await this.open();
    if (store) await this.lease.acquire(store);
  }

  /** Renews the lease so that it outlives a wait of `aheadMs`. */
  async keepLease(aheadMs = 0): Promise<void> {
    if (this.opened) await this.lease.keep(this.opened, aheadMs);
  }

  /** Releases the lease at the end of a run. */
  async releaseLease(): Promise<void> {
    if (this.opened) await this.lease.release(this.opened);
  }

  /** Queues a new or changed trial. */
  trialChanged(trial: BaseTrial): void {
    if (this.enabled) this.trials.set(trial.index, trial);
  }

  /** Queues newly attached observations. */
  dataAdded(data: Data): void {
    if (this.enabled && !data.isEmpty) this.data.push(data);
  }

  /** Queues the generation strategy's state. */
  generationStateUpdated(): void {
    if (this.enabled) this.stateDirty = true;
  }

  /** Starts saving the experiment (when there is a store); {@link experimentSaved} reports the outcome. */
  startExperimentSave(): void {
    if (!this.enabled) return;
    const save = this.saveExperiment();
    save.catch(() => undefined); // reported by experimentSaved(), not as an unhandled rejection
    this.experimentSave = save;
  }

  /**
   * Waits for the save started by {@link startExperimentSave}; after a failure, the next call tries again.
   * @throws StorageError when the save failed (unless errors are suppressed).
   */
  async experimentSaved(): Promise<void> {
    if (this.experimentSaveFailed) {
      this.experimentSaveFailed = false;
      this.startExperimentSave();
    }
    const pending = this.experimentSave;
    if (!pending) return;
    this.experimentSave = null;
    try {
      await pending;
    } catch (error) {
      this.experimentSaveFailed = true;
      throw error;
    }
  }

  /**
   * Saves the experiment with its current trials and data (once, when the Scheduler is created).
   * @throws StorageError unless errors are suppressed.
   */
  async saveExperiment(): Promise<void> {
    const { experiment } = this.options;
    const store = await this.open();
    if (!store) return;
    if (this.mustBeNew) {
      // The experiment and its generation strategy in one insert-if-absent transaction: a crash cannot
      // leave one without the other, and of Schedulers racing to create one name exactly one wins.
      const created = await this.attempt("the experiment", () =>
        store.createExperiment(experiment, this.options.generationState()).catch((error: unknown) => {
          if (!(error instanceof ExperimentExistsError)) throw error;
          throw new ExperimentExistsError(
            `An experiment named "${experiment.name}" is already stored at ${this.options.store!.description}. ` +
              "Resume it with Scheduler.fromStoredExperiment({ experimentName, dbSettings }), or delete it " +
              "(store.deleteExperiment) or choose another name to start over.",
            { experimentName: experiment.name, cause: error },
          );
        }),
      );
      if (created) this.mustBeNew = false;
      return;
    }
    await this.attempt("the experiment", async () => {
      await store.withTransaction(async () => {
        await store.saveExperiment(experiment);
        if (experiment.numTrials > 0) await store.saveTrials(experiment, [...experiment.trials.values()]);
        const data = experiment.lookupData();
        if (!data.isEmpty) await store.saveData(experiment, data);
      });
    });
    this.mustBeNew = false;
  }

  /**
   * Saves the queued changes in one transaction.
   * @throws StorageError unless errors are suppressed (the changes then stay queued).
   */
  async flush(): Promise<void> {
    const { experiment } = this.options;
    if (!this.enabled) return;
    // Every loop step passes here: the cheap place to keep the lease alive (a no-op until it is half used).
    if (this.opened) await this.lease.keep(this.opened);
    if (this.trials.size === 0 && this.data.length === 0 && !this.stateDirty) return;
    const store = await this.open();
    if (!store) return;
    const trials = [...this.trials.values()];
    const numData = this.data.length;
    const data = numData === 1 ? this.data[0]! : Data.empty().concat(...this.data);
    const withState = this.stateDirty;
    const what = describe(trials.length, data.rows.length, withState);
    const saved = await this.attempt(what, () =>
      store.withTransaction(async () => {
        if (trials.length > 0) await store.saveTrials(experiment, trials);
        if (!data.isEmpty) await store.saveData(experiment, data);
        if (withState) await store.saveGenerationState(experiment.name, this.options.generationState());
      }),
    );
    if (!saved) return;
    for (const t of trials) if (this.trials.get(t.index) === t) this.trials.delete(t.index);
    this.data = this.data.slice(numData);
    if (withState) this.stateDirty = false;
  }

  /** Runs a save; false when it failed and errors are suppressed. */
  private async attempt(what: string, save: () => Promise<void>): Promise<boolean> {
    const { logger, clock, suppressErrors, experiment } = this.options;
    const attempts = suppressErrors ? SAVE_ATTEMPTS : 1;
    let delay = SAVE_RETRY_DELAY_MS;
    for (let i = 1; ; i++) {
      try {
        await save();
        return true;
      } catch (error) {
        if (error instanceof ExperimentExistsError) throw error; // not transient: retrying cannot help
        const message = `Saving ${what} of experiment "${experiment.name}" failed: ${errorMessage(error)}`;
        if (!suppressErrors) {
          throw new StorageError(
            `${message}. The run stopped; the experiment in memory is intact. Fix the store and resume ` +
              "(e.g. Scheduler.fromStoredExperiment), or set suppressStorageErrors to continue past failed saves.",
            { cause: error },
          );
        }
        if (i >= attempts) {
          logger.error(
            `${message} (attempt ${i} of ${attempts}); continuing, will save these changes later.`,
          );
          return false;
        }
        logger.error(`${message} (attempt ${i} of ${attempts}); retrying.`);
        await clock.sleep(delay);
        delay *= 2;
      }
    }
  }
}

function describe(numTrials: number, numRows: number, withState: boolean): string {
  const parts: string[] = [];
  if (numTrials > 0) parts.push(`${numTrials} trial${numTrials === 1 ? "" : "s"}`);
  if (numRows > 0) parts.push(`${numRows} data row${numRows === 1 ? "" : "s"}`);
  if (withState) parts.push("the generation state");
  return parts.join(", ");
}
