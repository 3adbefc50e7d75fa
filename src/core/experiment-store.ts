import type { BaseTrial } from "./base-trial.js";
import type { Data } from "./data.js";
import type { Experiment } from "./experiment.js";
import type { JsonValue } from "./json.js";

/**
 * Keeping experiments: create, save incrementally, load, list, delete. Every change the Scheduler or
 * Client makes goes through here, one small write per change: a trial's status change saves that
 * trial, new observations save those rows.
 *
 * Each call is atomic; `withTransaction` makes all calls inside it commit together (or not at all).
 */
export interface ExperimentPersistence {
  /**
   * Stores a new experiment (definition, trials, data) together with its generation strategy's state,
   * in one transaction, only if no experiment of that name is stored: of several processes creating the
   * same experiment at once, exactly one succeeds, and an experiment is never stored without its
   * generation strategy.
   * @throws ExperimentExistsError when an experiment of that name is already stored (nothing is written).
   * @throws StorageError when a Metric or Runner class of the experiment is not registered.
   */
  createExperiment(experiment: Experiment, generationState: JsonValue): Promise<void>;
  /** Saves (creating or replacing) the experiment's definition (search space, config, metrics, runner, properties). */
  saveExperiment(experiment: Experiment): Promise<void>;
  /** Saves these trials (new or changed) and nothing else. */
  saveTrials(experiment: Experiment, trials: readonly BaseTrial[]): Promise<void>;
  /**
   * Saves these observations and nothing else, appended to those stored (progression rows with their
   * progression), so that loading attaches every row in the order it was saved.
   */
  saveData(experiment: Experiment, data: Data): Promise<void>;
  /** Saves the generation strategy's state (current step, generator positions) for resuming. */
  saveGenerationState(experimentName: string, state: JsonValue): Promise<void>;
  /**
   * Loads an experiment with its trials and data, or null when there is none of that name. The result
   * is rebuilt from what was stored: a new object on every call, never one that a caller changed.
   * @throws StorageError when the stored experiment names a Metric or Runner class that is not
   * registered (nothing is changed in the store); StoredTrialOutsideSearchSpaceError when a stored
   * trial's arm does not belong to the stored search space.
   */
  loadExperiment(name: string): Promise<Experiment | null>;
  /** The last saved generation state, or null. */
  loadGenerationState(experimentName: string): Promise<JsonValue | null>;
  /** Names of stored experiments. */
  listExperiments(): Promise<string[]>;
  /** Deletes an experiment with its trials, data, generation state and lease. */
  deleteExperiment(name: string): Promise<void>;
  /** Runs `fn` so that the saves inside it commit together. */
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Releases connections and files. */
  close(): Promise<void>;
}

/** One Scheduler drives an experiment at a time: a lease with an expiry, renewed as a heartbeat. */
export interface ExperimentLeases {
  /**
   * Takes the experiment's lease for `owner` for `ttlMs`. A lease held by another owner and not yet
   * expired at `now` is refused; an expired (stale) one is taken over. Re-acquiring one's own lease renews it.
   * @throws ExperimentLockedError when another owner holds a live lease.
   */
  acquireLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void>;
  /** Extends `owner`'s lease (the heartbeat). @throws ExperimentLockedError when it was taken over. */
  renewLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void>;
  /** Gives the lease up, if `owner` holds it. */
  releaseLease(experimentName: string, owner: string): Promise<void>;
}

/** Several processes (e.g. ask/tell Clients) changing one experiment, one at a time. */
export interface ExperimentLocking {
  /**
   * Runs `fn` holding the experiment's write lock, so that several processes (e.g. ask/tell Clients
   * sharing an experiment on PostgreSQL) change it one at a time; saves inside `fn` commit together.
   * Call {@link ExperimentLocking.refreshExperiment} first thing inside `fn` to see the others' changes.
   */
  withExperimentLock<T>(experimentName: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Brings an experiment loaded from this store up to date with what others saved since: new trials,
   * changed trials and new data. Costs O(the changes), not O(the experiment).
   */
  refreshExperiment(experiment: Experiment): Promise<void>;
}

/**
 * Where experiments are kept: persistence, leases and locking together. Implementations: in memory
 * (`MemoryStore`), SQLite and PostgreSQL (`SqlStore`); all pass the same contract suite unchanged.
 */
export interface ExperimentStore extends ExperimentPersistence, ExperimentLeases, ExperimentLocking {}

/**
 * Something that opens a store: `DBSettings` (in `storage/`) implements it, so the Scheduler and the
 * Client accept database settings without depending on any storage implementation.
 */
export interface StoreProvider {
  /** Opens (or returns the already open) store. */
  openStore(): Promise<ExperimentStore>;
  /** Where the store is, for messages (credentials hidden). */
  readonly description: string;
}
