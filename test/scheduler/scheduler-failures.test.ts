import { describe, expect, it } from "vitest";
import type { BaseTrial } from "../../src/core/base-trial.js";
import type { TrialStatusMap } from "../../src/core/runner.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { FailureRateExceededError } from "../../src/errors.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import {
  BrokenMetric,
  type CapableJobRunner,
  completeAfterPolls,
  indicesWith,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
  statusMapOf,
} from "./fixtures.js";

function scheduler(
  f: ReturnType<typeof makeFixture>,
  options = new SchedulerOptions(),
): MockJobQueueScheduler {
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options,
    logger: f.logger,
  });
}

describe("Scheduler: failures of user code", () => {
  it("retries run: a run that succeeds on the 3rd attempt deploys the trial", async () => {
    const f = makeFixture();
    f.runner.failNext = 2;
    const result = await scheduler(f).runNTrials({ maxTrials: 1 });
    expect(f.runner.runCalls).toEqual([0, 0, 0]);
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(result.trialCountsByStatus.FAILED).toBe(0);
    // Short backoff between attempts, through the clock.
    expect(f.clock.sleeps.slice(0, 2)).toEqual([100, 200]);
    expect(messages(f.lines).filter((l) => l.startsWith("WARNING Failed to run trial 0"))).toHaveLength(2);
  });

  it("gives up after 3 attempts and marks the trial FAILED with the error as reason", async () => {
    const f = makeFixture();
    f.runner.alwaysFail.add(1);
    const result = await scheduler(f).runNTrials({ maxTrials: 3 });
    expect(f.runner.runCalls.filter((i) => i === 1)).toHaveLength(3);
    const t1 = f.experiment.getTrial(1);
    expect(t1.status).toBe(TrialStatus.FAILED);
    expect(t1.failureReason).toBe("cluster rejected trial 1");
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 2]);
    expect(result.trialCountsByStatus.FAILED).toBe(1);
  });

  it("stops launching once the failure rate is exceeded by run failures, drains, then throws", async () => {
    const f = makeFixture();
    // Trials 0 and 1 run for a while; every later run fails.
    f.queue.policy = completeAfterPolls(3);
    for (let i = 2; i < 50; i++) f.runner.alwaysFail.add(i);
    const s = scheduler(f, new SchedulerOptions({ maxPendingTrials: 3 }));
    const error = await s.runNTrials({ maxTrials: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureRateExceededError);
    const e = error as FailureRateExceededError;
    expect(e.failureKind).toBe("run");
    expect(e.numFailed).toBe(5);
    expect(e.numRan).toBe(7);
    expect(e.message).toContain("running them failed");
    expect(e.message).toContain("trial 2 (run): cluster rejected trial 2");
    expect(e.message).toContain("trial 4 (run): cluster rejected trial 4");
    // No trial started after the 5th failure, and the running ones were drained.
    expect(f.experiment.numTrials).toBe(7);
    expect(Math.max(...f.runner.runCalls)).toBe(6);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1]);
    expect(s.summarizeFinalResult().failureRateExceeded).toBe(true);
  });

  it("fetch failures of the objective abandon trials and exceed the failure rate with kind 'fetch'", async () => {
    const f = makeFixture();
    for (let i = 0; i < 50; i++) if (i % 4 !== 0) f.metric.failFor.set(i, "fatal");
    const s = scheduler(f, new SchedulerOptions({ maxPendingTrials: 2 }));
    const error = (await s
      .runNTrials({ maxTrials: 20 })
      .catch((e: unknown) => e)) as FailureRateExceededError;
    expect(error).toBeInstanceOf(FailureRateExceededError);
    expect(error.failureKind).toBe("fetch");
    expect(error.message).toContain("fetching their objective or constraint data failed");
    expect(error.message).toContain(
      "trial 1 (fetch): Failed to fetch branin: results of trial 1 are corrupt",
    );
    const t1 = f.experiment.getTrial(1);
    expect(t1.status).toBe(TrialStatus.ABANDONED);
    expect(t1.failureReason).toBe("Failed to fetch branin: results of trial 1 are corrupt");
    expect(f.experiment.hasDataFor(1, "branin")).toBe(false);
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    // The 5th failure is trial 6; after it no trial was created, the 2 in flight were drained.
    expect(error.numFailed).toBe(f.experiment.countTrialsWithStatus(TrialStatus.ABANDONED));
    expect(error.numFailed).toBeGreaterThanOrEqual(5);
    expect(f.experiment.numTrials).toBeLessThanOrEqual(8);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.RUNNING)).toBe(0);
  });

  it("quotes both kinds when runs and fetches fail", async () => {
    const f = makeFixture();
    for (const i of [0, 2, 4]) f.runner.alwaysFail.add(i);
    for (const i of [1, 3, 5]) f.metric.failFor.set(i, "fatal");
    const error = (await scheduler(f, new SchedulerOptions({ maxPendingTrials: 1 }))
      .runNTrials({ maxTrials: 10 })
      .catch((e: unknown) => e)) as FailureRateExceededError;
    expect(error.failureKind).toBe("mixed");
    expect(error.message).toMatch(
      /running failed for \d and fetching objective or constraint data failed for \d/,
    );
  });

  it("checks the failure rate at the end of a run, as Ax does", async () => {
    const f = makeFixture();
    f.runner.alwaysFail.add(0);
    f.runner.alwaysFail.add(1);
    // 2 of 3 failed: above 0.5, although fewer than minFailedTrialsForFailureRateCheck (5).
    const error = (await scheduler(f)
      .runNTrials({ maxTrials: 3 })
      .catch((e: unknown) => e)) as FailureRateExceededError;
    expect(error).toBeInstanceOf(FailureRateExceededError);
    expect([error.numFailed, error.numRan]).toEqual([2, 3]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([2]);
    // 1 of 3 failed: within the tolerated rate, the run ends normally.
    const g = makeFixture();
    g.runner.alwaysFail.add(0);
    const result = await scheduler(g).runNTrials({ maxTrials: 3 });
    expect(result.failureRateExceeded).toBe(false);
    expect(result.trialCountsByStatus.FAILED).toBe(1);
    expect(result.trialCountsByStatus.COMPLETED).toBe(2);
  });

  it("treats NaN data as a fetch error (Data.fromRows refuses it)", async () => {
    const f = makeFixture();
    f.metric.failFor.set(0, "nan");
    await scheduler(f).runNTrials({ maxTrials: 3 });
    const t0 = f.experiment.getTrial(0);
    expect(t0.status).toBe(TrialStatus.ABANDONED);
    expect(t0.failureReason).toMatch(/^Failed to fetch branin: Invalid mean NaN/);
  });

  it("keeps a trial RUNNING on a recoverable fetch error and fetches it again at the next poll", async () => {
    const f = makeFixture();
    f.metric.failFor.set(0, "transient");
    const statusAtIdle: TrialStatus[] = [];
    const options = new SchedulerOptions({
      idleCallback: (s) => {
        statusAtIdle.push(s.experiment.getTrial(0).status);
        f.metric.failFor.delete(0); // the results arrive
      },
    });
    await scheduler(f, options).runNTrials({ maxTrials: 1 });
    expect(statusAtIdle[0]).toBe(TrialStatus.RUNNING);
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(f.metric.fetched).toEqual([0, 0]);
    expect(f.experiment.hasDataFor(0, "branin")).toBe(true);
    const warnings = messages(f.lines).filter((l) => l.startsWith("WARNING"));
    expect(warnings).toEqual([
      "WARNING Failed to fetch branin for trial 0 (recoverable): results not uploaded yet; keeping it RUNNING and fetching again at the next poll.",
    ]);
  });

  it("only warns when a tracking metric cannot be fetched", async () => {
    const f = makeFixture({ trackingMetrics: [new BrokenMetric({ name: "gpu_hours" })] });
    await scheduler(f).runNTrials({ maxTrials: 2 });
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1]);
    expect(messages(f.lines)).toContain(
      "WARNING Failed to fetch tracking metric gpu_hours for trial 0: tracking backend down; continuing without it.",
    );
  });

  it("abandons a trial whose constraint metric cannot be fetched", async () => {
    const f = makeFixture({ constraint: true });
    const cost = f.experiment.optimizationConfig!.outcomeConstraints[0]!.metric as typeof f.metric;
    cost.failFor.set(1, "fatal");
    await scheduler(f).runNTrials({ maxTrials: 3 });
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.ABANDONED);
    expect(f.experiment.getTrial(1).failureReason).toMatch(/^Failed to fetch cost:/);
  });

  it("marks RUNNING trials past their TTL FAILED and asks the runner to stop them", async () => {
    const f = makeFixture({ runner: "capable" });
    f.queue.policy = (job) => (job.trialIndex === 0 ? TrialStatus.RUNNING : TrialStatus.COMPLETED);
    const s = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ttlSecondsForTrials: 10 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 3 });
    const t0 = f.experiment.getTrial(0);
    expect(t0.ttlSeconds).toBe(10);
    expect(t0.status).toBe(TrialStatus.FAILED);
    expect(t0.failureReason).toBe("Trial exceeded its TTL of 10 seconds.");
    expect((f.runner as CapableJobRunner).stopped).toEqual([0]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([1, 2]);
  });

  it("when polling all trials keeps failing, polls each alone and abandons the one that still fails", async () => {
    const f = makeFixture({ runner: "capable" });
    const runner = f.runner as CapableJobRunner;
    runner.unpollable.add(1);
    const s = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ waitForRunningTrials: true }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 3 });
    // 3 attempts with all trials, then each trial alone (the bad one 3 times).
    expect(runner.polled.slice(0, 3)).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(runner.polled.slice(3)).toEqual([[0], [1], [1], [1], [2]]);
    const t1 = f.experiment.getTrial(1);
    expect(t1.status).toBe(TrialStatus.ABANDONED);
    expect(t1.failureReason).toBe("Polling trial status failed: lost track of trial 1");
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 2]);
  });

  it("narrows runningTrials for a subclass's pollTrialStatus during the per-trial fallback", async () => {
    const f = makeFixture();
    const seen: number[][] = [];
    class FlakyPoller extends MockJobQueueScheduler {
      override async pollTrialStatus(): Promise<TrialStatusMap> {
        const trials: BaseTrial[] = this.runningTrials;
        seen.push(trials.map((t) => t.index));
        if (trials.some((t) => t.index === 0)) throw new Error("job 0 vanished");
        return statusMapOf(trials, () => TrialStatus.COMPLETED);
      }
    }
    const s = new FlakyPoller({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 2 });
    expect(seen).toEqual([[0, 1], [0, 1], [0, 1], [0], [0], [0], [1]]);
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.ABANDONED);
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.COMPLETED);
    expect(s.runningTrials).toEqual([]);
  });
});
