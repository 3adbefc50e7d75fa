import { beforeAll, describe, expect, it } from "vitest";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { ExperimentLockedError, UnsavedChangesError, UserCodeError } from "../../src/errors.js";
import { type IdleCallback, SchedulerOptions } from "../../src/scheduler/index.js";
import { FakeClock } from "../../src/util/clock.js";
import {
  completeAfterPolls,
  type Fixture,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";
import { REAL_STORES, registerFixtureClasses, statusesOf, withOutage } from "./stored-fixtures.js";

beforeAll(registerFixtureClasses);

/** Polls every 5 s of fake time; each job completes at its 2nd poll. */
const SLOW_POLLS = {
  initSecondsBetweenPolls: 5,
  minSecondsBeforePoll: 1,
  secondsBetweenPollsBackoffFactor: 1,
  maxPendingTrials: 2,
  suppressStorageErrors: true,
} as const;

const OTHER_OWNER = "another-host:4242:feedbeef";

/** A Scheduler on `f` saving to `store`, with SLOW_POLLS and `overrides`. */
function schedulerOn(f: Fixture, store: ExperimentStore, overrides: Record<string, unknown> = {}) {
  f.queue.policy = completeAfterPolls(2);
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ ...SLOW_POLLS, ...overrides }),
    store,
    logger: f.logger,
  });
}

/** The store is down from `fromS` to `toS` seconds of fake time after the test starts. */
function outageBetween(clock: FakeClock, fromS: number, toS: number): () => boolean {
  const t0 = clock.now();
  return () => clock.now() >= t0 + fromS * 1000 && clock.now() < t0 + toS * 1000;
}

describe.each(REAL_STORES)(
  "suppressStorageErrors on %s: nothing is lost while the store is down",
  (_, openStore) => {
    it("a run ending during a 90 s outage retries until the store is back, then everything is stored", async () => {
      const f = makeFixture();
      const { store: inner, reopen } = await openStore();
      const store = withOutage(inner, outageBetween(f.clock, 20, 110));
      const s = schedulerOn(f, store);
      const result = await s.runNTrials({ maxTrials: 8 });
      expect(result.trialCountsByStatus.COMPLETED).toBe(8);
      expect(store.refused).toBeGreaterThan(0);
      // The outage outlived the lease's 60 s: renewals were retried, not fatal.
      const log = messages(f.lines);
      expect(log.filter((l) => l.startsWith("ERROR Renewing the lease"))).toHaveLength(1);
      expect(
        log.some((l) => /^INFO Renewed the lease of experiment .* after \d+ failed attempts?\.$/.test(l)),
      ).toBe(true);
      const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
      expect(statusesOf(loaded.trials.values())).toEqual(statusesOf(f.experiment.trials.values()));
      expect(loaded.lookupData().rows).toHaveLength(8);
      expect(await inner.loadGenerationState(f.experiment.name)).toEqual(s.generationStrategy.toState());
      // The lease was released at the end: another Scheduler may take the experiment at once.
      await inner.acquireLease(f.experiment.name, OTHER_OWNER, 60_000, f.clock.now());
    });

    it("a run that cannot save within storageRetrySeconds throws UnsavedChangesError saying what is not saved", async () => {
      const f = makeFixture();
      const { store: inner, reopen } = await openStore();
      let repaired = false;
      const t0 = f.clock.now();
      const store = withOutage(inner, () => !repaired && f.clock.now() >= t0 + 8_000);
      const s = schedulerOn(f, store, { storageRetrySeconds: 30 });
      const error = await s.runNTrials({ maxTrials: 6 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsavedChangesError);
      const unsaved = error as UnsavedChangesError;
      expect(unsaved.trialIndices.length).toBeGreaterThan(0);
      expect(unsaved.numDataRows).toBeGreaterThan(0);
      expect(unsaved.message).toMatch(
        /^Experiment "branin_test_experiment": changes could not be saved to .* within storageRetrySeconds \(30 s\): \d+ trials?, \d+ data rows?.* \(trials \[[\d, ]+\]\)\. Last error: .*ECONNREFUSED/,
      );
      // Memory is intact, and the next run saves what was queued first.
      expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
      repaired = true;
      const stillMissing = (await (await reopen()).loadExperiment(f.experiment.name))!;
      expect(stillMissing.countTrialsWithStatus(TrialStatus.COMPLETED)).toBeLessThan(6);
      await s.runNTrials({ maxTrials: 0 });
      const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
      expect(statusesOf(loaded.trials.values())).toEqual(statusesOf(f.experiment.trials.values()));
      expect(loaded.lookupData().rows).toHaveLength(6);
    });

    it("a run ended by an error during an outage still saves its changes once the store is back", async () => {
      const f = makeFixture();
      const { store: inner, reopen } = await openStore();
      const store = withOutage(inner, outageBetween(f.clock, 8, 60));
      const t0 = f.clock.now();
      class FailingCapacityScheduler extends MockJobQueueScheduler {
        override async pollAvailableCapacity(): Promise<number> {
          if (f.clock.now() >= t0 + 25_000) throw new Error("cluster API unreachable");
          return -1;
        }
      }
      f.queue.policy = completeAfterPolls(2);
      const s = new FailingCapacityScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(),
        options: new SchedulerOptions(SLOW_POLLS),
        store,
        logger: f.logger,
      });
      const error = await s.runNTrials({ maxTrials: 20 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserCodeError);
      expect(f.clock.now()).toBeGreaterThan(t0 + 60_000);
      const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
      expect(loaded.numTrials).toBeGreaterThan(2);
      expect(statusesOf(loaded.trials.values())).toEqual(statusesOf(f.experiment.trials.values()));
      expect(loaded.lookupData().rows).toEqual(f.experiment.lookupData().rows);
    });

    it("a lease taken over by another Scheduler during an outage still ends the run", async () => {
      const f = makeFixture();
      const { store: inner } = await openStore();
      const store = withOutage(inner, outageBetween(f.clock, 20, 110));
      const t0 = f.clock.now();
      let takenOver = false;
      const idleCallback: IdleCallback = async () => {
        // The lease (60 s) has expired while this process could not renew it; another one takes it.
        if (!takenOver && f.clock.now() >= t0 + 85_000) {
          await inner.acquireLease(f.experiment.name, OTHER_OWNER, 600_000, f.clock.now());
          takenOver = true;
        }
      };
      const s = schedulerOn(f, store, { idleCallback });
      const error = await s.runNTrials({ maxTrials: 30 }).catch((e: unknown) => e);
      expect(takenOver).toBe(true);
      expect(error).toBeInstanceOf(ExperimentLockedError);
      expect((error as ExperimentLockedError).owner).toBe(OTHER_OWNER);
    });

    it("a first save that failed is redone before anything else is saved", async () => {
      const f = makeFixture();
      const { store: inner, reopen } = await openStore();
      // Down while the Scheduler is built (its 3 quick attempts fail) and for a while after.
      const store = withOutage(inner, outageBetween(f.clock, 0, 5));
      const s = schedulerOn(f, store);
      await s.runNTrials({ maxTrials: 3 });
      const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
      expect(statusesOf(loaded.trials.values())).toEqual(statusesOf(f.experiment.trials.values()));
      expect(loaded.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(3);
      expect(messages(f.lines).some((l) => l.startsWith("ERROR Saving the experiment"))).toBe(true);
    });
  },
);

describe.each(REAL_STORES)("saves and the lease in a healthy run on %s", (_, openStore) => {
  it("saves every launched trial before the Scheduler waits", async () => {
    const { store, reopen } = await openStore();
    const reader = await reopen();
    const f = makeFixture();
    const unsavedAtWait: string[] = [];
    // A wait of the loop (not a short retry delay) is where a crash would lose unsaved launches.
    class CheckingClock extends FakeClock {
      override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        const running = f.experiment.runningTrials;
        if (ms >= 1000 && running.length > 0) {
          const stored = await reader.loadExperiment(f.experiment.name);
          for (const t of running) {
            const saved = stored?.trials.get(t.index);
            if (saved?.status !== TrialStatus.RUNNING || saved.runMetadata.jobId !== t.runMetadata.jobId) {
              unsavedAtWait.push(`trial ${t.index} at ${this.now()}`);
            }
          }
        }
        return super.sleep(ms, signal);
      }
    }
    const clock = new CheckingClock();
    f.queue.policy = completeAfterPolls(3);
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...SLOW_POLLS, suppressStorageErrors: false, maxPendingTrials: 3 }),
      store,
      clock,
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 9 });
    expect(clock.sleeps.filter((ms) => ms >= 1000).length).toBeGreaterThan(5);
    expect(unsavedAtWait).toEqual([]);
  });

  it("keeps renewing the lease as the run goes past its lifetime", async () => {
    const f = makeFixture();
    const { store } = await openStore();
    const t0 = f.clock.now();
    const refusals: string[] = [];
    const idleCallback: IdleCallback = async () => {
      // Long after the 2 s lease would have expired unrenewed, another Scheduler is still refused.
      if (f.clock.now() < t0 + 10_000) return;
      const error = await store
        .acquireLease(f.experiment.name, OTHER_OWNER, 60_000, f.clock.now())
        .catch((e: unknown) => e);
      refusals.push(error instanceof ExperimentLockedError ? "refused" : "taken");
    };
    const s = schedulerOn(f, store, { leaseTtlSeconds: 2, idleCallback });
    await s.runNTrials({ maxTrials: 8 });
    expect(f.clock.now() - t0).toBeGreaterThan(20_000);
    expect(refusals.length).toBeGreaterThan(3);
    expect(new Set(refusals)).toEqual(new Set(["refused"]));
  });
});
