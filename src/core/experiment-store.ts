import type { BaseTrial } from "./base-trial.js";
import type { Data } from "./data.js";
import type { Experiment } from "./experiment.js";
import type { JsonValue } from "./json.js";

/**
 * Where experiments are kept. Every change the Scheduler or Client makes goes through this contract,
 * one small write per change: a trial's status change saves that trial, new observations save those
 * rows. Implementations: in memory (`MemoryStore`), SQLite and PostgreSQL (`SqlStore`).
 *
 * Each call is atomic; `withTransaction` makes all calls inside it commit together (or not at all).
 */
export interface ExperimentStore {
  /** Saves the experiment's definition (search space, config, metrics, runner, properties). */
  saveExperiment(experiment: Experiment): Promise<void>;
  /** Saves these trials (new or changed) and nothing else. */
  saveTrials(experiment: Experiment, trials: readonly BaseTrial[]): Promise<void>;
  /** Saves these observations and nothing else. */
  saveData(experiment: Experiment, data: Data): Promise<void>;
  /** Saves the generation strategy's state (current step, generator positions) for resuming. */
  saveGenerationState(experimentName: string, state: JsonValue): Promise<void>;
  /**
   * Loads an experiment with its trials and data, or null when there is none of that name.
   * @throws StorageError when the stored experiment names a Metric or Runner class that is not
   * registered (nothing is changed in the store).
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

  /**
   * Takes the experiment's lease for `owner` for `ttlMs`: one Scheduler drives an experiment at a time.
   * A lease held by another owner and not yet expired at `now` is refused; an expired (stale) one is
   * taken over. Re-acquiring one's own lease renews it.
   * @throws ExperimentLockedError when another owner holds a live lease.
   */
  acquireLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void>;
  /** Extends `owner`'s lease (the heartbeat). @throws ExperimentLockedError when it was taken over. */
  renewLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void>;
  /** Gives the lease up, if `owner` holds it. */
  releaseLease(experimentName: string, owner: string): Promise<void>;

  /**
   * Runs `fn` holding the experiment's write lock, so that several processes (e.g. ask/tell Clients
   * sharing an experiment on PostgreSQL) change it one at a time; saves inside `fn` commit together.
   * Call {@link ExperimentStore.refreshExperiment} first thing inside `fn` to see the others' changes.
   */
  withExperimentLock<T>(experimentName: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Brings an experiment loaded from this store up to date with what other processes saved since:
   * new trials, changed trials and new data. Costs O(the changes), not O(the experiment).
   */
  refreshExperiment(experiment: Experiment): Promise<void>;

  /** Releases connections and files. */
  close(): Promise<void>;
}

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
