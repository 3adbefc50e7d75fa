import type { BaseTrial } from "./base-trial.js";
import type { Data } from "./data.js";
import type { Experiment } from "./experiment.js";
import type { JsonValue } from "./generator-run.js";

/**
 * Where experiments are kept. Every change the Scheduler or Client makes goes through this contract,
 * one small write per change: a trial's status change saves that trial, new observations save those
 * rows. Implementations: in memory (`MemoryStore`), and the SQL stores.
 *
 * Implementations must make each call atomic, and `withTransaction` must make all calls inside it
 * commit together (or not at all).
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
  /** Loads an experiment with its trials and data, or null when there is none of that name. */
  loadExperiment(name: string): Promise<Experiment | null>;
  /** The last saved generation state, or null. */
  loadGenerationState(experimentName: string): Promise<JsonValue | null>;
  /** Names of stored experiments. */
  listExperiments(): Promise<string[]>;
  /** Deletes an experiment with its trials, data and generation state. */
  deleteExperiment(name: string): Promise<void>;
  /** Runs `fn` so that the saves inside it commit together. */
  withTransaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
