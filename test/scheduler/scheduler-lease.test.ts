import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { ExperimentLockedError, StorageError } from "../../src/errors.js";
import { SchedulerOptions } from "../../src/scheduler/scheduler-options.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { completeAfterPolls, MockJobQueueScheduler, makeFixture, sobolStrategy } from "./fixtures.js";
import { registerFixtureClasses } from "./stored-fixtures.js";

// Stores keep experiments through the codec, memory included: the fixtures' classes must be registered.
beforeAll(registerFixtureClasses);

function scheduler(f = makeFixture(), store = new MemoryStore()) {
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(3),
    options: new SchedulerOptions({}),
    store,
    logger: f.logger,
  });
}

describe("Scheduler: one Scheduler per experiment (lease)", () => {
  it("refuses a second Scheduler on the same stored experiment while the first one runs", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(3);
    const store = new MemoryStore({ clock: f.clock }); // the resumed Scheduler's clock: the test's fake one
    let secondError: unknown = null;
    // The running Scheduler's idle callback (called at each poll round) tries to start a second one.
    const first = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(3),
      options: new SchedulerOptions({
        idleCallback: async () => {
          if (secondError !== null) return;
          const second = await MockJobQueueScheduler.fromStoredExperiment({
            experimentName: f.experiment.name,
            store,
            logger: f.logger,
          });
          secondError = await second.runNTrials({ maxTrials: 1 }).then(
            () => "ran",
            (e: unknown) => e,
          );
        },
      }),
      store,
      logger: f.logger,
    });
    await first.runNTrials({ maxTrials: 2 });
    expect(secondError).toBeInstanceOf(ExperimentLockedError);
    expect((secondError as ExperimentLockedError).experimentName).toBe(f.experiment.name);
    expect((secondError as Error).message).toContain("another Scheduler");
  });

  it("releases the lease when a run ends, so the next run (or Scheduler) can take it", async () => {
    const f = makeFixture();
    const store = new MemoryStore({ clock: f.clock });
    await scheduler(f, store).runNTrials({ maxTrials: 2 });
    const resumed = await MockJobQueueScheduler.fromStoredExperiment({
      experimentName: f.experiment.name,
      store,
      logger: f.logger,
    });
    await resumed.runNTrials({ maxTrials: 2 });
    expect(resumed.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(4);
    const stored = await store.loadExperiment(f.experiment.name);
    expect(stored?.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(4);
  });

  it("takes over a stale lease, and at once one left by a dead process on this host", async () => {
    const f = makeFixture();
    const store = new MemoryStore();
    const s = scheduler(f, store);
    await s.generateCandidates(1); // saves the experiment
    const now = f.clock.now();
    await store.acquireLease(f.experiment.name, "elsewhere:1:abcd", 60_000, now);
    await expect(s.runNTrials({ maxTrials: 1 })).rejects.toBeInstanceOf(ExperimentLockedError);
    f.clock.advance(61_000);
    await s.runNTrials({ maxTrials: 1 });
    expect(f.experiment.numTrials).toBe(1);

    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    const deadPid = Number(dead.stdout.toString());
    await store.acquireLease(f.experiment.name, `${hostname()}:${deadPid}:beef`, 60_000, f.clock.now());
    await s.runNTrials({ maxTrials: 1 });
    expect(f.experiment.numTrials).toBe(2);
    expect(f.lines.some((l) => l.includes("no longer runs"))).toBe(true);
  });

  it("refuses to create a new experiment over a stored one of the same name", async () => {
    const store = new MemoryStore();
    await scheduler(makeFixture(), store).runNTrials({ maxTrials: 1 });
    const again = scheduler(makeFixture(), store);
    const error = await again.runNTrials({ maxTrials: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain("fromStoredExperiment");
    expect((await store.loadExperiment("branin_test_experiment"))?.numTrials).toBe(1);
  });
});
