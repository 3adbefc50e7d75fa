import { AsyncLocalStorage } from "node:async_hooks";
import type { BaseTrial, TrialSnapshot } from "../../core/base-trial.js";
import type { Data, DataRow } from "../../core/data.js";
import type { Experiment } from "../../core/experiment.js";
import type { ExperimentStore } from "../../core/experiment-store.js";
import type { JsonValue } from "../../core/json.js";
import { ExperimentExistsError, ExperimentLockedError, StorageError } from "../../errors.js";

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
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();
  private readonly locks = new Map<string, Promise<void>>();
  /** Undo steps of the transaction the current async context is in, if any. */
  private readonly undoLog = new AsyncLocalStorage<(() => void)[]>();

  /** @throws ExperimentExistsError when an experiment of that name was saved here already. */
  async createExperiment(experiment: Experiment, generationState: JsonValue): Promise<void> {
    if (this.entries.has(experiment.name)) {
      throw new ExperimentExistsError(
        `An experiment named "${experiment.name}" is already stored in this MemoryStore; nothing was ` +
          "written. Load it to resume it, delete it to start over, or choose another name.",
        { experimentName: experiment.name },
      );
    }
    await this.withTransaction(async () => {
      await this.saveExperiment(experiment);
      if (experiment.numTrials > 0) await this.saveTrials(experiment, [...experiment.trials.values()]);
      const data = experiment.lookupData();
      if (!data.isEmpty) await this.saveData(experiment, data);
      await this.saveGenerationState(experiment.name, generationState);
    });
  }

  async saveExperiment(experiment: Experiment): Promise<void> {
    const entry = this.entries.get(experiment.name);
    if (entry) {
      const previous = entry.experiment;
      this.onUndo(() => {
        entry.experiment = previous;
        entry.writes--;
      });
      entry.experiment = experiment;
      entry.writes++;
    } else {
      this.onUndo(() => this.entries.delete(experiment.name));
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
    for (const t of trials) {
      const previous = entry.trials.get(t.index);
      this.onUndo(() => (previous ? entry.trials.set(t.index, previous) : entry.trials.delete(t.index)));
      entry.trials.set(t.index, t.toJSON());
    }
    this.onUndo(() => {
      entry.writes -= trials.length;
    });
    entry.writes += trials.length;
  }

  async saveData(experiment: Experiment, data: Data): Promise<void> {
    const entry = this.require(experiment.name);
    this.onUndo(() => {
      // Remove exactly these rows: a concurrent caller may have appended its own since.
      const added = new Set(data.rows);
      entry.data = entry.data.filter((row) => !added.has(row));
      entry.writes -= data.rows.length;
    });
    entry.data.push(...data.rows);
    entry.writes += data.rows.length;
  }

  async saveGenerationState(experimentName: string, state: JsonValue): Promise<void> {
    const entry = this.require(experimentName);
    const previous = entry.generationState;
    this.onUndo(() => {
      entry.generationState = previous;
      entry.writes--;
    });
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
    const entry = this.entries.get(name);
    const lease = this.leases.get(name);
    this.onUndo(() => {
      if (entry) this.entries.set(name, entry);
      if (lease) this.leases.set(name, lease);
    });
    this.entries.delete(name);
    this.leases.delete(name);
  }

  /**
   * Runs `fn` so that its saves commit together: when it throws, every save made inside it (nested
   * transactions included) is undone. Saves of other callers running meanwhile are not affected.
   */
  async withTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.undoLog.getStore()) return fn(); // a nested transaction joins the outer one
    const undo: (() => void)[] = [];
    try {
      return await this.undoLog.run(undo, fn);
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
      throw error;
    }
  }

  async acquireLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void> {
    const lease = this.leases.get(experimentName);
    if (lease && lease.owner !== owner && lease.expiresAt > now) throw lockedError(experimentName, lease);
    this.leases.set(experimentName, { owner, expiresAt: now + ttlMs });
  }

  async renewLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void> {
    const lease = this.leases.get(experimentName);
    if (lease && lease.owner !== owner) throw lockedError(experimentName, lease);
    this.leases.set(experimentName, { owner, expiresAt: now + ttlMs });
  }

  async releaseLease(experimentName: string, owner: string): Promise<void> {
    if (this.leases.get(experimentName)?.owner === owner) this.leases.delete(experimentName);
  }

  /** Serializes callers within this process (the only one that can see this store); saves inside commit together. */
  async withExperimentLock<T>(experimentName: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(experimentName) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => current);
    this.locks.set(experimentName, chained);
    await previous;
    try {
      return await this.withTransaction(fn);
    } finally {
      release();
      if (this.locks.get(experimentName) === chained) this.locks.delete(experimentName);
    }
  }

  /** Nothing to do: every user of a MemoryStore shares the same live experiment object. */
  async refreshExperiment(_experiment: Experiment): Promise<void> {}

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

  /** Records how to undo a save, when inside a transaction. */
  private onUndo(step: () => void): void {
    this.undoLog.getStore()?.push(step);
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

function lockedError(
  experimentName: string,
  lease: { owner: string; expiresAt: number },
): ExperimentLockedError {
  return new ExperimentLockedError(
    `Experiment "${experimentName}" is being run by another Scheduler (${lease.owner}) until ` +
      `${new Date(lease.expiresAt).toISOString()}. Stop that Scheduler first, or wait for its lease to expire.`,
    { experimentName, owner: lease.owner, expiresAt: lease.expiresAt },
  );
}
