import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { BaseTrial } from "../../src/core/base-trial.js";
import type { Data } from "../../src/core/data.js";
import type { Experiment } from "../../src/core/experiment.js";
import type { JsonValue } from "../../src/core/json.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { SchedulerError, StorageError, UnregisteredClassError } from "../../src/errors.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { registerRunner } from "../../src/storage/codec/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { JobRunner, MockJobQueueScheduler, makeFixture, messages, sobolStrategy } from "./fixtures.js";
import { registerFixtureClasses } from "./stored-fixtures.js";

// Stores keep experiments through the codec, memory included: the fixtures' classes must be registered.
beforeAll(registerFixtureClasses);

/** A MemoryStore whose saves fail on demand. */
class FlakyStore extends MemoryStore {
  /** Number of next saveTrials calls that throw. */
  failTrialSaves = 0;
  /** saveTrials throws from this call on (1-based), forever. */
  breakTrialSavesAt = Number.POSITIVE_INFINITY;
  failDataSaves = 0;
  failExperimentSave = false;
  private trialSaves = 0;

  override async saveExperiment(experiment: Experiment): Promise<void> {
    if (this.failExperimentSave) throw new Error("database is read-only");
    return super.saveExperiment(experiment);
  }

  override async createExperiment(experiment: Experiment, generationState: JsonValue): Promise<void> {
    if (this.failExperimentSave) throw new Error("database is read-only");
    return super.createExperiment(experiment, generationState);
  }

  override async saveTrials(experiment: Experiment, trials: readonly BaseTrial[]): Promise<void> {
    this.trialSaves++;
    if (this.trialSaves >= this.breakTrialSavesAt) throw new Error("disk full");
    if (this.failTrialSaves > 0) {
      this.failTrialSaves--;
      throw new Error("connection reset");
    }
    return super.saveTrials(experiment, trials);
  }

  override async saveData(experiment: Experiment, data: Data): Promise<void> {
    if (this.failDataSaves > 0) {
      this.failDataSaves--;
      throw new Error("connection reset");
    }
    return super.saveData(experiment, data);
  }
}

const FAST = { initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 } as const;

describe("Scheduler: storage", () => {
  it("saves the experiment at construction, then each change incrementally", async () => {
    const f = makeFixture();
    const store = new MemoryStore();
    const saveTrials = vi.spyOn(store, "saveTrials");
    const transactions = vi.spyOn(store, "withTransaction");
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...FAST, maxPendingTrials: 5 }),
      store,
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 0 });
    expect(await store.listExperiments()).toEqual(["branin_test_experiment"]);
    const w0 = store.writeCount(f.experiment.name);

    await s.runNTrials({ maxTrials: 50 });
    const w1 = store.writeCount(f.experiment.name);
    await s.runNTrials({ maxTrials: 50 });
    const w2 = store.writeCount(f.experiment.name);
    // Writes per trial are the same for the 2nd 50 trials as for the first: O(changes), not O(experiment).
    expect(w2 - w1).toBe(w1 - w0);
    // Each trial is saved when created+deployed and when completed, each row once, plus the state per round.
    expect(w1 - w0).toBeLessThanOrEqual(50 * 3 + 50);
    expect(Math.max(...saveTrials.mock.calls.map((c) => c[1].length))).toBeLessThanOrEqual(5);
    expect(transactions).toHaveBeenCalled();
    expect(store.savedTrial(f.experiment.name, 99)?.status).toBe(TrialStatus.COMPLETED);
    expect(store.savedTrial(f.experiment.name, 99)?.runMetadata).toEqual(
      f.experiment.getTrial(99).runMetadata,
    );
    expect(store.savedDataRowCount(f.experiment.name)).toBe(100);
    expect(await store.loadGenerationState(f.experiment.name)).toEqual(s.generationStrategy.toState());
  });

  it("fromStoredExperiment resumes a stored experiment with its generation state, as the subclass", async () => {
    const f = makeFixture();
    const store = new MemoryStore({ clock: f.clock });
    // The job queue is external, as a real one is: the runner rebuilt from the store talks to the same one.
    registerRunner(JobRunner, { encode: () => ({}), decode: () => new JobRunner(f.queue) });
    onTestFinished(registerFixtureClasses);
    f.queue.policy = () => TrialStatus.RUNNING;
    const first = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...FAST, waitForRunningTrials: false }),
      store,
      logger: f.logger,
    });
    await first.runNTrials({ maxTrials: 3 });
    // The process stops; the jobs finish meanwhile.
    for (const job of f.queue.jobs.values()) job.status = TrialStatus.COMPLETED;
    f.queue.policy = () => TrialStatus.COMPLETED;

    const resumed = await MockJobQueueScheduler.fromStoredExperiment({
      experimentName: "branin_test_experiment",
      store,
      options: new SchedulerOptions(FAST),
      logger: f.logger,
    });
    expect(resumed).toBeInstanceOf(MockJobQueueScheduler);
    expect(resumed.logger.name).toBe("MockJobQueueScheduler");
    expect(resumed.generationStrategy).not.toBe(first.generationStrategy);
    await resumed.runNTrials({ maxTrials: 2 });
    expect(resumed.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);

    // The resumed Sobol sequence continues exactly where the stored one stopped.
    const g = makeFixture({ name: "uninterrupted" });
    await new MockJobQueueScheduler({
      experiment: g.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions(FAST),
      logger: g.logger,
    }).runNTrials({ maxTrials: 5 });
    const params = (e: Experiment) => [...e.trials.values()].map((t) => t.arms[0]!.parameters);
    expect(params(resumed.experiment)).toEqual(params(g.experiment));
  });

  it("fromStoredExperiment refuses an unknown experiment", async () => {
    const store = new MemoryStore();
    await expect(Scheduler.fromStoredExperiment({ experimentName: "nope", store })).rejects.toThrow(
      SchedulerError,
    );
    await expect(Scheduler.fromStoredExperiment({ experimentName: "nope", store })).rejects.toThrow(
      'Experiment "nope" was not found in the store. The store is empty.',
    );
  });

  it("stops with a StorageError when a save fails, keeping what was saved and the experiment intact", async () => {
    const f = makeFixture();
    const store = new FlakyStore();
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...FAST, maxPendingTrials: 2 }),
      store,
      logger: f.logger,
    });
    store.breakTrialSavesAt = 4;
    const error = await s.runNTrials({ maxTrials: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(
      /^Saving .* of experiment "branin_test_experiment" failed: disk full/,
    );
    expect((error as StorageError).cause).toBeInstanceOf(Error);
    // The first saves are in the store; nothing after the failure was launched.
    expect(store.savedTrial(f.experiment.name, 0)).toBeDefined();
    expect(f.experiment.numTrials).toBeLessThan(10);
    for (const t of f.experiment.trials.values()) expect(t.status).not.toBe(TrialStatus.CANDIDATE);
    // Once the store works again, a new run saves the pending changes.
    store.breakTrialSavesAt = Number.POSITIVE_INFINITY;
    await s.runNTrials({ maxTrials: 1 });
    for (const t of f.experiment.trials.values()) {
      expect(store.savedTrial(f.experiment.name, t.index)?.status).toBe(t.status);
    }
  });

  it("with suppressStorageErrors, logs failed saves, retries them and goes on", async () => {
    const f = makeFixture();
    const store = new FlakyStore();
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...FAST, suppressStorageErrors: true }),
      store,
      logger: f.logger,
    });
    store.failTrialSaves = 4; // one save fails 3 times (given up), the next once
    store.failDataSaves = 1;
    const result = await s.runNTrials({ maxTrials: 4 });
    expect(result.trialCountsByStatus.COMPLETED).toBe(4);
    const errors = messages(f.lines).filter((l) => l.startsWith("ERROR Saving"));
    expect(errors.length).toBe(5);
    expect(errors[2]).toMatch(/\(attempt 3 of 3\); continuing, will save these changes later\.$/);
    for (const t of f.experiment.trials.values()) {
      expect(store.savedTrial(f.experiment.name, t.index)?.status).toBe(TrialStatus.COMPLETED);
    }
    expect(store.savedDataRowCount(f.experiment.name)).toBe(4);
  });

  it("reports a failed initial save when the run starts", async () => {
    const f = makeFixture();
    const store = new FlakyStore();
    store.failExperimentSave = true;
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      store,
      logger: f.logger,
    });
    await expect(s.runNTrials({ maxTrials: 1 })).rejects.toThrow(/database is read-only/);
    expect(f.experiment.numTrials).toBe(0);
    store.failExperimentSave = false;
    await s.runNTrials({ maxTrials: 1 });
    expect(await store.listExperiments()).toEqual(["branin_test_experiment"]);
  });
});

describe("a class the store cannot encode", () => {
  /** A runner class nobody registered. */
  class UnregisteredRunner extends JobRunner {}

  for (const suppressStorageErrors of [false, true]) {
    it(`ends the run at the first save with UnregisteredClassError, before any trial runs (suppressStorageErrors: ${suppressStorageErrors})`, async () => {
      const f = makeFixture();
      const runner = new UnregisteredRunner(f.queue);
      f.experiment.runner = runner;
      const s = new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(),
        options: new SchedulerOptions({ initSecondsBetweenPolls: 0, suppressStorageErrors }),
        store: new MemoryStore(),
        logger: f.logger,
      });
      const error = await s.runNTrials({ maxTrials: 3 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnregisteredClassError);
      expect((error as UnregisteredClassError).className).toBe("UnregisteredRunner");
      expect((error as Error).message).toContain("registerRunner(UnregisteredRunner)");
      expect(runner.runCalls).toEqual([]);
    });
  }
});
