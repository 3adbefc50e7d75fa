import type { BaseTrial, TrialSnapshot } from "../../core/base-trial.js";
import type { Data, DataRow } from "../../core/data.js";
import type { Experiment } from "../../core/experiment.js";
import type { ExperimentStore } from "../../core/experiment-store.js";
import type { JsonValue } from "../../core/generator-run.js";
import { StorageError } from "../../errors.js";

interface Entry {
  experiment: Experiment;
  trials: Map<number, TrialSnapshot>;
  data: DataRow[];
  generationState: JsonValue | null;
  writes: number;
}

/**
 * Keeps experiments in this process's memory: the default store of the Client and Scheduler when no
 * database is configured. It keeps snapshots of each saved trial (so what was saved can be compared
 * with the live experiment) and counts writes, which tests use to check that saves are incremental.
 */
export class MemoryStore implements ExperimentStore {
  private readonly entries = new Map<string, Entry>();

  async saveExperiment(experiment: Experiment): Promise<void> {
    const entry = this.entries.get(experiment.name);
    if (entry) {
      entry.experiment = experiment;
      entry.writes++;
    } else {
      this.entries.set(experiment.name, {
        experiment,
        trials: new Map(),
        data: [],
        generationState: null,
        writes: 1,
      });
    }
  }

  async saveTrials(experiment: Experiment, trials: readonly BaseTrial[]): Promise<void> {
    const entry = this.require(experiment.name);
    for (const t of trials) entry.trials.set(t.index, t.toJSON());
    entry.writes += trials.length;
  }

  async saveData(experiment: Experiment, data: Data): Promise<void> {
    const entry = this.require(experiment.name);
    entry.data.push(...data.rows);
    entry.writes += data.rows.length;
  }

  async saveGenerationState(experimentName: string, state: JsonValue): Promise<void> {
    const entry = this.require(experimentName);
    entry.generationState = structuredClone(state);
    entry.writes++;
  }

  async loadExperiment(name: string): Promise<Experiment | null> {
    return this.entries.get(name)?.experiment ?? null;
  }

  async loadGenerationState(experimentName: string): Promise<JsonValue | null> {
    const s = this.entries.get(experimentName)?.generationState;
    return s === undefined || s === null ? null : structuredClone(s);
  }

  async listExperiments(): Promise<string[]> {
    return [...this.entries.keys()];
  }

  async deleteExperiment(name: string): Promise<void> {
    this.entries.delete(name);
  }

  async withTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async close(): Promise<void> {}

  /** The last saved snapshot of a trial, or undefined (for tests and debugging). */
  savedTrial(experimentName: string, trialIndex: number): TrialSnapshot | undefined {
    return this.entries.get(experimentName)?.trials.get(trialIndex);
  }

  /** Number of saved data rows of an experiment. */
  savedDataRowCount(experimentName: string): number {
    return this.entries.get(experimentName)?.data.length ?? 0;
  }

  /** Number of individual writes (experiment, trial, data row, state) made for an experiment. */
  writeCount(experimentName: string): number {
    return this.entries.get(experimentName)?.writes ?? 0;
  }

  private require(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) {
      throw new StorageError(
        `Experiment "${name}" was never saved to this MemoryStore; call saveExperiment first.`,
      );
    }
    return entry;
  }
}
