import { beforeAll, describe, expect, it } from "vitest";
import type { BaseTrial } from "../../src/core/base-trial.js";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { isTrialFailureReporter, type TrialFailureReporter } from "../../src/core/runner.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { RECOVERABLE_FETCH_ATTEMPTS } from "../../src/scheduler/poll-processor.js";
import { registerRunner } from "../../src/storage/codec/index.js";
import {
  CapableJobRunner,
  FakeJobQueue,
  type Fixture,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";
import { registerFixtureClasses, sqliteStore, statusesOf } from "./stored-fixtures.js";

const FAST = { initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 } as const;

/** A runner that knows why its jobs failed (Ax's `poll_exception`). */
class ExplainingRunner extends CapableJobRunner implements TrialFailureReporter {
  /** Throws instead of answering for these trials. */
  readonly mute = new Set<number>();
  /** Never answers for these trials. */
  readonly hang = new Set<number>();
  readonly asked: number[] = [];
  pollException(trial: BaseTrial): string | null | Promise<string | null> {
    this.asked.push(trial.index);
    if (this.mute.has(trial.index)) throw new Error("job log rotated away");
    if (this.hang.has(trial.index)) return new Promise(() => undefined);
    const job = this.queue.jobOf(trial);
    return `job ${job.id} ended ${job.status}: exit code 137 (out of memory)`;
  }
}

beforeAll(() => {
  registerFixtureClasses();
  registerRunner(ExplainingRunner, {
    encode: () => ({}),
    decode: () => new ExplainingRunner(new FakeJobQueue()),
  });
});

function schedulerOf(
  f: Fixture,
  init: ConstructorParameters<typeof SchedulerOptions>[0],
  store?: ExperimentStore,
) {
  return new Scheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ ...FAST, ...init }),
    ...(store ? { store } : {}),
    logger: f.logger,
  });
}

describe("a recoverable fetch error is waited for a bounded number of polls", () => {
  it(`completes the trial without the metric's data after ${RECOVERABLE_FETCH_ATTEMPTS} polls and goes on`, async () => {
    const f = makeFixture({ runner: "capable", constraint: true });
    f.metric.failFor.set(0, "transient"); // the objective's results never arrive for trial 0
    let idleRounds = 0;
    const s = schedulerOf(f, {
      maxPendingTrials: 1,
      // Ends a run that would otherwise wait for ever, so that the old behaviour fails instead of hanging.
      idleCallback: (sched) => {
        if (++idleRounds >= 20) sched.stop();
      },
    });
    await s.runNTrials({ maxTrials: 3 });
    const t0 = f.experiment.getTrial(0);
    expect(t0.status).toBe(TrialStatus.COMPLETED);
    expect(f.metric.fetched.filter((i) => i === 0)).toHaveLength(RECOVERABLE_FETCH_ATTEMPTS);
    // The constraint's value was fetched and kept; the objective is missing.
    expect(f.experiment.hasDataFor(0, "cost")).toBe(true);
    expect(f.experiment.hasDataFor(0, "branin")).toBe(false);
    expect(statusesOf(f.experiment.trials.values()).map(([i, st]) => [i, st])).toEqual([
      [0, "COMPLETED"],
      [1, "COMPLETED"],
      [2, "COMPLETED"],
    ]);
    expect(messages(f.lines)).toContain(
      `WARNING Failed to fetch branin for trial 0 (recoverable) at ${RECOVERABLE_FETCH_ATTEMPTS} polls: results not uploaded yet; ` +
        "marking it COMPLETED without branin data and continuing.",
    );
  });

  it("still completes with the data when it arrives within the bound", async () => {
    const f = makeFixture({ runner: "capable" });
    f.metric.failFor.set(0, "transient");
    let idleRounds = 0;
    const s = schedulerOf(f, {
      idleCallback: () => {
        if (++idleRounds === RECOVERABLE_FETCH_ATTEMPTS - 1) f.metric.failFor.delete(0);
      },
    });
    await s.runNTrials({ maxTrials: 1 });
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(f.experiment.hasDataFor(0, "branin")).toBe(true);
    expect(f.metric.fetched).toEqual(Array(RECOVERABLE_FETCH_ATTEMPTS).fill(0));
  });
});

describe("runners report why a polled trial failed (pollException)", () => {
  it("keeps the runner's reason with FAILED and ABANDONED trials, and stores it", async () => {
    const f = makeFixture();
    const runner = new ExplainingRunner(f.queue);
    f.experiment.runner = runner;
    expect(isTrialFailureReporter(runner)).toBe(true);
    expect(isTrialFailureReporter(new CapableJobRunner(f.queue))).toBe(false);
    f.queue.policy = (job) =>
      job.trialIndex === 1
        ? TrialStatus.FAILED
        : job.trialIndex === 2
          ? TrialStatus.ABANDONED
          : TrialStatus.COMPLETED;
    const { store, reopen } = await sqliteStore();
    await schedulerOf(f, { maxPendingTrials: 4 }, store).runNTrials({ maxTrials: 4 });
    const reasons = statusesOf(f.experiment.trials.values());
    expect(reasons).toEqual([
      [0, "COMPLETED", null],
      [1, "FAILED", "job 1001 ended FAILED: exit code 137 (out of memory)"],
      [2, "ABANDONED", "job 1002 ended ABANDONED: exit code 137 (out of memory)"],
      [3, "COMPLETED", null],
    ]);
    expect(runner.asked).toEqual([1, 2]);
    const loaded = await (await reopen()).loadExperiment(f.experiment.name);
    expect(statusesOf(loaded!.trials.values())).toEqual(reasons);
  });

  it("marks the trial without a reason when pollException throws, and says so", async () => {
    const f = makeFixture();
    const runner = new ExplainingRunner(f.queue);
    f.experiment.runner = runner;
    runner.mute.add(0);
    f.queue.policy = (job) => (job.trialIndex === 0 ? TrialStatus.FAILED : TrialStatus.COMPLETED);
    await schedulerOf(f, {}).runNTrials({ maxTrials: 3 });
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.FAILED);
    expect(f.experiment.getTrial(0).failureReason).toBeNull();
    expect(messages(f.lines)).toContain(
      "WARNING Could not get the reason why trial 0 is FAILED from the runner: job log rotated away.",
    );
  });

  it("does not wait for ever for a pollException that never answers", async () => {
    const f = makeFixture();
    const runner = new ExplainingRunner(f.queue);
    f.experiment.runner = runner;
    runner.hang.add(0);
    f.queue.policy = (job) => (job.trialIndex === 0 ? TrialStatus.FAILED : TrialStatus.COMPLETED);
    await schedulerOf(f, { userCallTimeoutSeconds: 30 }).runNTrials({ maxTrials: 3 });
    expect(statusesOf(f.experiment.trials.values()).map(([i, s, r]) => [i, s, r])).toEqual([
      [0, "FAILED", null],
      [1, "COMPLETED", null],
      [2, "COMPLETED", null],
    ]);
    expect(
      messages(f.lines).some((l) =>
        /^WARNING Could not get the reason why trial 0 is FAILED from the runner: pollException of trial 0 did not settle within 30 seconds/.test(
          l,
        ),
      ),
    ).toBe(true);
  });
});
