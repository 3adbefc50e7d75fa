import type { BaseTrial } from "../core/base-trial.js";
import { Data } from "../core/data.js";
import type { Experiment } from "../core/experiment.js";
import type { ExperimentStore, StoreProvider } from "../core/experiment-store.js";
import type { JsonValue } from "../core/json.js";
import {
  ExperimentExistsError,
  ExperimentLockedError,
  StorageError,
  UnregisteredClassError,
  UnsavedChangesError,
} from "../errors.js";
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/logger.js";
import { errorMessage, formatIndexList } from "./format.js";
import { LeaseKeeper } from "./lease-keeper.js";
import { retryUntil } from "./retry.js";
import { makeTrialStorable, storableState } from "./trial-encoding.js";

/** Attempts of a save inside the loop when storage errors are suppressed; after that the changes stay queued. */
const SAVE_ATTEMPTS = 3;
const SAVE_RETRY_DELAY_MS = 200;
/** Longest wait between retries while the store is down. */
const MAX_RETRY_DELAY_MS = 10_000;

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
  /** With `suppressErrors`: how long the last save of a run (and taking the lease) is retried. */
  retrySeconds: number;
  /** Lifetime of the experiment's lease without renewal, in ms. */
  leaseTtlMs: number;
}

/**
 * Collects what changed during one step of the loop (trials, new observations, generation state) and
 * saves exactly that in one transaction, so each save costs O(changes), never O(experiment).
 * When a save fails, the changes stay queued (nothing in memory is lost or half-applied): either the
 * error is thrown as a StorageError, or (suppressed) it is logged, retried, and left for the next save;
 * the experiment itself, when its first save failed, is saved again before anything else. Suppressed
 * failures never drop changes: {@link StoreSync.flushAll} ends a run by retrying until everything is
 * written or by throwing an UnsavedChangesError that lists what is not.
 * @internal
 */
export class StoreSync {
  private readonly options: StoreSyncOptions;
  private readonly trials = new Map<number, BaseTrial>();
  private data: Data[] = [];
  private stateDirty = false;
  /** The experiment's definition changed (e.g. tracking metrics added from a result) since it was saved. */
  private definitionDirty = false;
  private experimentSave: Promise<void> | null = null;
  private experimentSaveFailed = false;
  /** Message of the last failed save, for the error that ends a run with unsaved changes. */
  private lastError: string | null = null;
  private opening: Promise<ExperimentStore> | null = null;
  private opened: ExperimentStore | null = null;
  private readonly lease: LeaseKeeper;
  private mustBeNew: boolean;
  /** Whether the experiment itself is in the store (false until a new experiment's first save succeeded). */
  private experimentStored: boolean;

  constructor(options: StoreSyncOptions) {
    this.options = options;
    this.lease = new LeaseKeeper(options.experiment.name, options.clock, options.logger, options.leaseTtlMs);
    this.mustBeNew = options.isNew;
    this.experimentStored = !options.isNew;
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
    if (!this.enabled) return;
    const take = async () => {
      const store = await this.open();
      if (store) await this.lease.acquire(store);
    };
    if (!this.options.suppressErrors) return take();
    // The store may be down for a while: wait for it as for a final save, but never for a held lease.
    const { clock, logger, experiment } = this.options;
    await retryUntil(take, {
      clock,
      deadlineMs: clock.now() + this.options.retrySeconds * 1000,
      initialDelayMs: SAVE_RETRY_DELAY_MS,
      maxDelayMs: MAX_RETRY_DELAY_MS,
      isRetryable: (error) => !(error instanceof ExperimentLockedError),
      onRetry: (error, attempt) =>
        logger.error(
          `Taking the lease of experiment "${experiment.name}" failed (attempt ${attempt}): ${errorMessage(error)}; retrying.`,
        ),
    });
  }

  /**
   * Renews the lease so that it outlives a wait of `aheadMs`. With suppressed storage errors, a renewal
   * that fails because the store is down is logged and retried at the next step.
   * @throws ExperimentLockedError when another Scheduler took the lease over.
   */
  async keepLease(aheadMs = 0): Promise<void> {
    if (this.opened) await this.lease.keep(this.opened, aheadMs, this.options.suppressErrors);
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

  /** Queues the experiment's definition (its metrics changed during the run). */
  definitionChanged(): void {
    if (this.enabled) this.definitionDirty = true;
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
    if (!this.enabled) return;
    if (this.mustBeNew) {
      // The experiment and its generation strategy in one insert-if-absent transaction: a crash cannot
      // leave one without the other, and of Schedulers racing to create one name exactly one wins.
      const created = await this.attempt("the experiment", async () => {
        const store = (await this.open())!;
        await store.createExperiment(experiment, this.options.generationState()).catch((error: unknown) => {
          if (!(error instanceof ExperimentExistsError)) throw error;
          throw new ExperimentExistsError(
            `An experiment named "${experiment.name}" is already stored at ${this.options.store!.description}. ` +
              "Resume it with Scheduler.fromStoredExperiment({ experimentName, dbSettings }), or delete it " +
              "(store.deleteExperiment) or choose another name to start over.",
            { experimentName: experiment.name, cause: error },
          );
        });
      });
      if (!created) return;
      this.mustBeNew = false;
      this.experimentStored = true;
      return;
    }
    const saved = await this.attempt("the experiment", async () => {
      const store = (await this.open())!;
      await store.withTransaction(async () => {
        await store.saveExperiment(experiment);
        if (experiment.numTrials > 0) await store.saveTrials(experiment, [...experiment.trials.values()]);
        const data = experiment.lookupCurveData(); // curves too, not only the latest values
        if (!data.isEmpty) await store.saveData(experiment, data);
      });
    });
    if (saved) this.experimentStored = true;
  }

  /**
   * Saves the queued changes in one transaction.
   * @throws StorageError unless errors are suppressed (the changes then stay queued).
   */
  async flush(): Promise<void> {
    const { experiment } = this.options;
    if (!this.enabled) return;
    // Every loop step passes here: the cheap place to keep the lease alive (a no-op until it is half used).
    await this.keepLease();
    if (!this.hasUnsavedChanges) return;
    // A first save that failed (suppressed) is redone before any change: changes need their experiment.
    if (!this.experimentStored) {
      await this.saveExperiment();
      if (!this.experimentStored) return;
    }
    const trials = [...this.trials.values()];
    for (const trial of trials) makeTrialStorable(trial, this.options.logger);
    const numData = this.data.length;
    const data = numData === 1 ? this.data[0]! : Data.empty().concat(...this.data);
    const stateChanged = this.stateDirty;
    const definitionChanged = this.definitionDirty;
    const state = stateChanged
      ? storableState(this.options.generationState(), this.options.logger)
      : undefined;
    const withState = state !== undefined;
    const what = describe(trials.length, data.rows.length, withState);
    const saved = await this.attempt(what, async () => {
      const store = (await this.open())!;
      await store.withTransaction(async () => {
        if (definitionChanged) await store.saveExperiment(experiment);
        if (trials.length > 0) await store.saveTrials(experiment, trials);
        if (!data.isEmpty) await store.saveData(experiment, data);
        if (state !== undefined) await store.saveGenerationState(experiment.name, state);
      });
    });
    if (!saved) return;
    for (const t of trials) if (this.trials.get(t.index) === t) this.trials.delete(t.index);
    this.data = this.data.slice(numData);
    if (stateChanged) this.stateDirty = false;
    if (definitionChanged) this.definitionDirty = false;
  }

  /** Whether changes (or a new experiment) wait to be saved. */
  get hasUnsavedChanges(): boolean {
    return (
      this.trials.size > 0 ||
      this.data.length > 0 ||
      this.stateDirty ||
      this.definitionDirty ||
      !this.experimentStored
    );
  }

  /**
   * Saves everything still queued, as a run ends. With suppressed storage errors a failing store is
   * retried with backoff for `retrySeconds`, so that a run never returns with changes only in memory.
   * @throws UnsavedChangesError listing the trials, data and state not saved when the store stayed
   * unusable; StorageError when a save fails and errors are not suppressed.
   */
  async flushAll(): Promise<void> {
    if (!this.enabled) return;
    const { clock, logger, experiment } = this.options;
    const deadlineMs = clock.now() + this.options.retrySeconds * 1000;
    const flushEverything = async () => {
      await this.flush();
      if (this.hasUnsavedChanges) throw this.unsavedError();
    };
    await retryUntil(flushEverything, {
      clock,
      deadlineMs,
      initialDelayMs: SAVE_RETRY_DELAY_MS,
      maxDelayMs: MAX_RETRY_DELAY_MS,
      // Only "still unsaved" is worth waiting on; a failed save without suppressed errors throws at once.
      isRetryable: (error) => error instanceof UnsavedChangesError,
      onRetry: () =>
        logger.warn(
          `The run is ending with unsaved changes of experiment "${experiment.name}" (${this.describeQueued()}); ` +
            `retrying for up to ${Math.ceil((deadlineMs - clock.now()) / 1000)} more seconds.`,
        ),
    });
  }

  /**
   * For a run ending with an error while storage errors are suppressed: saves what is queued as
   * {@link flushAll} does, so the error does not also cost the changes. Never throws (the run's own
   * error is what the caller must see); what stays unsaved is logged.
   */
  async flushBeforeThrowing(): Promise<void> {
    if (!this.enabled || !this.options.suppressErrors || !this.hasUnsavedChanges) return;
    try {
      await this.flushAll();
    } catch (error) {
      this.options.logger.error(errorMessage(error));
    }
  }

  private describeQueued(): string {
    const rows = this.data.reduce((n, d) => n + d.rows.length, 0);
    const parts = [describe(this.trials.size, rows, this.stateDirty)];
    if (!this.experimentStored) parts.unshift("the experiment");
    else if (this.definitionDirty) parts.unshift("the experiment's metrics");
    return parts.filter((p) => p !== "").join(", ");
  }

  private unsavedError(): UnsavedChangesError {
    const { experiment, retrySeconds } = this.options;
    const trialIndices = [...this.trials.keys()].sort((a, b) => a - b);
    const numDataRows = this.data.reduce((n, d) => n + d.rows.length, 0);
    const where = this.options.store?.description ?? "the store";
    return new UnsavedChangesError(
      `Experiment "${experiment.name}": changes could not be saved to ${where} within storageRetrySeconds ` +
        `(${retrySeconds} s): ${this.describeQueued()}` +
        (trialIndices.length > 0 ? ` (trials ${formatIndexList(trialIndices)})` : "") +
        `. Last error: ${this.lastError ?? "unknown"}. They are still in memory: once the store works, ` +
        "run this Scheduler again (its first step saves them), or raise storageRetrySeconds; a new process " +
        "resuming from the store would not see them.",
      {
        experimentName: experiment.name,
        trialIndices,
        numDataRows,
        generationState: this.stateDirty,
      },
    );
  }

  /** Runs a save; false when it failed and errors are suppressed. */
  private async attempt(what: string, save: () => Promise<void>): Promise<boolean> {
    const { logger, clock, suppressErrors, experiment } = this.options;
    const attempts = suppressErrors ? SAVE_ATTEMPTS : 1;
    let delay = SAVE_RETRY_DELAY_MS;
    for (let i = 1; ; i++) {
      try {
        await save();
        this.lastError = null;
        return true;
      } catch (error) {
        // Not transient: retrying cannot help, and the error itself says what to do.
        if (error instanceof ExperimentExistsError || error instanceof UnregisteredClassError) throw error;
        this.lastError = errorMessage(error);
        // The cause's own closing period would double the one this message adds.
        const cause = errorMessage(error).replace(/\.$/, "");
        const message = `Saving ${what} of experiment "${experiment.name}" failed: ${cause}`;
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
