import type { BaseTrial, TrialSnapshot } from "../../core/base-trial.js";
import { Data, type DataRow } from "../../core/data.js";
import type { Experiment } from "../../core/experiment.js";
import type { ExperimentStore } from "../../core/experiment-store.js";
import type { JsonValue } from "../../core/json.js";
import { StorageError } from "../../errors.js";
import { type Clock, systemClock } from "../../util/clock.js";
import { ChangeTracker } from "../change-tracker.js";
import { checkStoredTrialFits } from "../codec/experiment-codec.js";
import { decodeExperiment, decodeTrialSnapshot, encodeExperiment } from "../codec/index.js";
import { experimentExistsError, notSavedError } from "../store-errors.js";
import { MemoryLeases } from "./memory-leases.js";
import { MemoryTransactions } from "./memory-transactions.js";

/** What is kept of an experiment: JSON text, as a SQL store keeps it, never a live object. */
interface Entry {
  /** Distinguishes an experiment from a later one of the same name (after a delete). */
  readonly id: number;
  definition: string;
  trials: Map<number, { snapshot: string; seq: number }>;
  data: { row: DataRow; seq: number }[];
  generationState: string | null;
  /** The last change number: every saveTrials/saveData takes the next one, as in SQL. */
  changeSeq: number;
  writes: number;
}

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock of the experiments it loads. The system clock by default. */
  clock?: Clock;
}

/**
 * Keeps experiments in this process's memory: the default store of the Client and Scheduler when no
 * database is configured. It behaves like the SQL stores: what is saved goes through the same codec
 * (so Metric and Runner classes must be registered), `loadExperiment` rebuilds a new experiment from
 * what was saved (a change never saved is never seen), and `refreshExperiment` applies what other
 * users of the store saved since. It counts writes, which tests use to check that saves are incremental.
 */
export class MemoryStore implements ExperimentStore {
  private readonly entries = new Map<string, Entry>();
  private readonly leases = new MemoryLeases();
  private readonly tx = new MemoryTransactions();
  private readonly tracker = new ChangeTracker();
  private readonly clock: Clock;
  private nextId = 1;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** @throws ExperimentExistsError when an experiment of that name is stored here already. */
  async createExperiment(experiment: Experiment, generationState: JsonValue): Promise<void> {
    const definition = JSON.stringify(encodeExperiment(experiment)); // may throw before anything changes
    const state = JSON.stringify(generationState);
    const name = experiment.name;
    if (this.entries.has(name)) throw experimentExistsError(name);
    const seq = experiment.numTrials > 0 || !experiment.lookupData().isEmpty ? 1 : 0;
    const entry = this.newEntry(definition, seq);
    for (const t of experiment.trials.values()) entry.trials.set(t.index, { snapshot: snapshotOf(t), seq });
    // Every row, progression rows included, as saveData would have appended them.
    for (const row of experiment.lookupCurveData().rows) entry.data.push({ row: { ...row }, seq });
    entry.generationState = state;
    entry.writes = 2 + entry.trials.size + entry.data.length;
    this.tx.apply(
      () => this.entries.set(name, entry),
      () => this.entries.delete(name),
      () => this.tracker.reset(experiment, entry.id, seq),
    );
  }

  /** @throws StorageError when a Metric or Runner class of the experiment is not registered. */
  async saveExperiment(experiment: Experiment): Promise<void> {
    const definition = JSON.stringify(encodeExperiment(experiment));
    const entry = this.entries.get(experiment.name);
    if (entry) {
      const previous = entry.definition;
      this.tx.apply(
        () => {
          entry.definition = definition;
          entry.writes++;
        },
        () => {
          entry.definition = previous;
          entry.writes--;
        },
        () => this.tracker.adopt(experiment, entry.id, entry.changeSeq),
      );
      return;
    }
    const created = this.newEntry(definition, 0);
    this.tx.apply(
      () => this.entries.set(experiment.name, created),
      () => this.entries.delete(experiment.name),
      () => this.tracker.adopt(experiment, created.id, 0),
    );
  }

  /** @throws StorageError when the experiment was never saved to this store. */
  async saveTrials(experiment: Experiment, trials: readonly BaseTrial[]): Promise<void> {
    const entry = this.require(experiment.name);
    const snapshots = trials.map((t) => [t.index, snapshotOf(t)] as const);
    const seq = this.nextChange(entry);
    const previous = snapshots.map(([index]) => [index, entry.trials.get(index)] as const);
    this.tx.apply(
      () => {
        for (const [index, snapshot] of snapshots) entry.trials.set(index, { snapshot, seq });
        entry.writes += trials.length;
      },
      () => {
        for (const [index, old] of previous.reverse()) {
          if (old) entry.trials.set(index, old);
          else entry.trials.delete(index);
        }
        entry.writes -= trials.length;
        this.undoChange(entry, seq);
      },
      () => this.tracker.recordOwn(experiment, entry.id, seq),
    );
  }

  /** @throws StorageError when the experiment was never saved to this store. */
  async saveData(experiment: Experiment, data: Data): Promise<void> {
    const entry = this.require(experiment.name);
    const seq = this.nextChange(entry);
    const added = data.rows.map((row) => ({ row: { ...row }, seq }));
    this.tx.apply(
      () => {
        entry.data.push(...added);
        entry.writes += added.length;
      },
      () => {
        // Remove exactly these rows: a concurrent caller may have appended its own since.
        const mine = new Set(added);
        entry.data = entry.data.filter((d) => !mine.has(d));
        entry.writes -= added.length;
        this.undoChange(entry, seq);
      },
      () => this.tracker.recordOwn(experiment, entry.id, seq),
    );
  }

  /** @throws StorageError when the experiment was never saved to this store. */
  async saveGenerationState(experimentName: string, state: JsonValue): Promise<void> {
    const entry = this.require(experimentName);
    const text = JSON.stringify(state);
    const previous = entry.generationState;
    this.tx.apply(
      () => {
        entry.generationState = text;
        entry.writes++;
      },
      () => {
        entry.generationState = previous;
        entry.writes--;
      },
    );
  }

  /**
   * Rebuilds the experiment from what was saved, through the codec, as a SQL store does.
   * @throws StorageError for an unregistered Metric or Runner class.
   */
  async loadExperiment(name: string): Promise<Experiment | null> {
    const entry = this.entries.get(name);
    if (!entry) return null;
    const trials = [...entry.trials.values()].map((t) => decodeTrialSnapshot(JSON.parse(t.snapshot)));
    const experiment = decodeExperiment(JSON.parse(entry.definition), {
      trials,
      data: entry.data.map((d) => d.row),
      clock: this.clock,
    });
    this.tracker.reset(experiment, entry.id, entry.changeSeq);
    return experiment;
  }

  async loadGenerationState(experimentName: string): Promise<JsonValue | null> {
    const text = this.entries.get(experimentName)?.generationState;
    return text === undefined || text === null ? null : (JSON.parse(text) as JsonValue);
  }

  async listExperiments(): Promise<string[]> {
    return [...this.entries.keys()];
  }

  async deleteExperiment(name: string): Promise<void> {
    const entry = this.entries.get(name);
    const lease = this.leases.take(name);
    this.tx.apply(
      () => this.entries.delete(name),
      () => {
        if (entry) this.entries.set(name, entry);
        if (lease) this.leases.put(name, lease);
      },
    );
  }

  /**
   * Runs `fn` so that its saves commit together: when it throws, every save made inside it (nested
   * transactions included) is undone. Saves of other callers running meanwhile are not affected.
   */
  withTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.tx.run(fn);
  }

  async acquireLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void> {
    this.leases.acquire(experimentName, owner, ttlMs, now);
  }

  async renewLease(experimentName: string, owner: string, ttlMs: number, now: number): Promise<void> {
    this.leases.renew(experimentName, owner, ttlMs, now);
  }

  async releaseLease(experimentName: string, owner: string): Promise<void> {
    this.leases.release(experimentName, owner);
  }

  /** Serializes callers within this process (the only one that can see this store); saves inside commit together. */
  withExperimentLock<T>(experimentName: string, fn: () => Promise<T>): Promise<T> {
    return this.tx.runLocked(experimentName, fn);
  }

  /**
   * Applies the trials and observations that others saved since this experiment object was loaded,
   * saved or last refreshed (its own saves are skipped).
   * @throws StorageError when the stored experiment was deleted (or replaced) since.
   */
  async refreshExperiment(experiment: Experiment): Promise<void> {
    const entry = this.entries.get(experiment.name);
    const seen = this.tracker.get(experiment);
    if (!entry || (seen && seen.experimentId !== entry.id)) {
      if (!seen) return; // never stored: nothing to catch up with
      throw new StorageError(
        `Experiment "${experiment.name}" was deleted from this MemoryStore${entry ? " and saved again" : ""} ` +
          "since it was loaded; load it again.",
      );
    }
    const from = seen?.seq ?? 0;
    const head = entry.changeSeq;
    if (head > from) {
      const changed = [...entry.trials.entries()]
        .filter(([, t]) => t.seq > from && !this.tracker.isOwn(experiment, t.seq))
        .sort(([a], [b]) => a - b);
      for (const [index, t] of changed) {
        const snapshot = decodeTrialSnapshot(JSON.parse(t.snapshot));
        checkStoredTrialFits(experiment, snapshot, `trials[${index}]`);
        experiment.restoreTrial(snapshot);
      }
      const rows = entry.data
        .filter((d) => d.seq > from && d.seq <= head && !this.tracker.isOwn(experiment, d.seq))
        .map((d) => d.row);
      if (rows.length > 0) experiment.attachData(Data.fromRows(rows));
    }
    this.tracker.reset(experiment, entry.id, Math.max(from, head));
  }

  async close(): Promise<void> {}

  /** The last saved snapshot of a trial, or undefined (for tests and debugging). */
  savedTrial(experimentName: string, trialIndex: number): TrialSnapshot | undefined {
    const saved = this.entries.get(experimentName)?.trials.get(trialIndex);
    return saved && decodeTrialSnapshot(JSON.parse(saved.snapshot));
  }

  /** Number of saved data rows of an experiment. */
  savedDataRowCount(experimentName: string): number {
    return this.entries.get(experimentName)?.data.length ?? 0;
  }

  /** Number of individual writes (experiment, trial, data row, state) made for an experiment. */
  writeCount(experimentName: string): number {
    return this.entries.get(experimentName)?.writes ?? 0;
  }

  private newEntry(definition: string, changeSeq: number): Entry {
    return {
      id: this.nextId++,
      definition,
      trials: new Map(),
      data: [],
      generationState: null,
      changeSeq,
      writes: 1,
    };
  }

  private nextChange(entry: Entry): number {
    return ++entry.changeSeq;
  }

  /** A rolled-back change gives its number back unless a later change took the next one already. */
  private undoChange(entry: Entry, seq: number): void {
    if (entry.changeSeq === seq) entry.changeSeq--;
  }

  private require(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw notSavedError(name);
    return entry;
  }
}

/** A trial as saved: its snapshot as JSON text, exactly what a SQL store writes. */
function snapshotOf(trial: BaseTrial): string {
  return JSON.stringify(trial.toJSON());
}
