import { describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import { TrialType } from "../../src/core/base-trial.js";
import { Metric } from "../../src/core/metric.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import {
  FailureRateExceededError,
  MetricWithoutFetchError,
  SchedulerArgumentError,
  SchedulerError,
} from "../../src/errors.js";
import { type RunArgs, Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import {
  type CapableJobRunner,
  completeAfterPolls,
  type Fixture,
  indicesWith,
  JobRunner,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";

function scheduler(f: Fixture, options = new SchedulerOptions()): MockJobQueueScheduler {
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options,
    logger: f.logger,
  });
}

/** Reports how many trials were COMPLETED when it was called, numbering its calls. */
class CountingReporter extends MockJobQueueScheduler {
  calls = 0;
  override reportResults(): unknown {
    this.calls++;
    return { call: this.calls, completed: this.experiment.countTrialsWithStatus(TrialStatus.COMPLETED) };
  }
}

async function collect(gen: AsyncGenerator<unknown, unknown, undefined>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of gen) out.push(value);
  return out;
}

describe("Scheduler: Ax's loop semantics", () => {
  it("runTrialsAndYieldResults yields the completion report last, after every trial finished", async () => {
    const f = makeFixture();
    const s = new CountingReporter({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    const reports = await collect(s.runTrialsAndYieldResults({ maxTrials: 2 }));
    // One report for the round in which both trials completed, then the completion report.
    expect(reports).toEqual([
      { call: 1, completed: 2 },
      { call: 2, completed: 2 },
    ]);
    expect(s.calls).toBe(2);
  });

  it("runTrialsAndYieldResults yields the abort report last when the run is stopped", async () => {
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.RUNNING;
    const s = new CountingReporter({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ idleCallback: (view) => view.stop() }),
      logger: f.logger,
    });
    const reports = await collect(s.runTrialsAndYieldResults({ maxTrials: 2 }));
    expect(reports).toEqual([{ call: 1, completed: 0 }]);
    expect(s.summarizeFinalResult().aborted).toBe(true);
  });

  it("forces the backoff factor to 1 with an early-stopping strategy, as Ax's options do", async () => {
    const ess = { shouldStopTrialsEarly: () => new Map<number, string | null>() };
    const options = new SchedulerOptions({
      earlyStoppingStrategy: ess,
      secondsBetweenPollsBackoffFactor: 2,
    });
    expect(options.secondsBetweenPollsBackoffFactor).toBe(1);
    const f = makeFixture({ runner: "capable" });
    f.metric.isAvailableWhileRunning = () => true;
    f.queue.policy = completeAfterPolls(6);
    await scheduler(f, options).runNTrials({ maxTrials: 1 });
    const waits = f.clock.sleeps.filter((ms) => ms >= 1000);
    expect(waits.length).toBeGreaterThanOrEqual(5);
    expect(new Set(waits)).toEqual(new Set([1000]));
  });

  it("refuses an early-stopping strategy when the runner cannot stop trials, naming the runner", () => {
    const ess = { shouldStopTrialsEarly: () => new Map<number, string | null>() };
    const options = new SchedulerOptions({ earlyStoppingStrategy: ess });
    const f = makeFixture();
    f.metric.isAvailableWhileRunning = () => true;
    expect(() => scheduler(f, options)).toThrow(/JobRunner\) has no stop\(trial, reason\) method/);
    expect(() => scheduler(f, options)).toThrow(SchedulerError);
    const capable = makeFixture({ runner: "capable" });
    capable.metric.isAvailableWhileRunning = () => true;
    expect(() => scheduler(capable, options)).not.toThrow();
  });

  it("refuses unknown run arguments, naming them", async () => {
    const f = makeFixture();
    const s = scheduler(f, new SchedulerOptions({ totalTrials: 3 }));
    const snake = { maxTrials: 1, timeout_hours: 1 } as unknown as RunArgs;
    const error = await s.runNTrials(snake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchedulerArgumentError);
    expect((error as SchedulerArgumentError).argument).toBe("timeout_hours");
    expect((error as Error).message).toContain('Did you mean "timeoutHours"?');
    await expect(s.runAllTrials({ maxTrials: 2 } as unknown as RunArgs)).rejects.toThrow(
      SchedulerArgumentError,
    );
    await expect(collect(s.runTrialsAndYieldResults(snake))).rejects.toThrow(SchedulerArgumentError);
    expect(f.experiment.numTrials).toBe(0);
  });

  it("accepts an idleCallback per run, called while waiting (before the options' one)", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(3);
    const fromOptions: number[] = [];
    const fromRun: number[] = [];
    const s = scheduler(
      f,
      new SchedulerOptions({ idleCallback: (view) => void fromOptions.push(view.runningTrials.length) }),
    );
    await s.runNTrials({
      maxTrials: 1,
      idleCallback: (view) => void fromRun.push(view.runningTrials.length),
    });
    expect(fromRun.length).toBeGreaterThanOrEqual(2);
    expect(fromRun[0]).toBe(1);
    expect(fromOptions).toEqual([]);
    await s.runNTrials({ maxTrials: 1 });
    expect(fromOptions.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses, when built, a metric without fetch logic (reachable from plain JavaScript)", () => {
    for (const metric of [
      Reflect.construct(Metric, [{ name: "gpu_hours" }]) as Metric,
      // A subclass without fetchTrialData, as plain JavaScript can write one.
      new (class PlainMetric extends (Metric as unknown as new (o: { name: string }) => object) {})({
        name: "gpu_hours",
      }) as Metric,
    ]) {
      const f = makeFixture({ trackingMetrics: [metric] });
      const error = (() => {
        try {
          scheduler(f);
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(MetricWithoutFetchError);
      expect((error as MetricWithoutFetchError).metricName).toBe("gpu_hours");
      expect((error as Error).message).toContain("fetchTrialData");
    }
  });

  it("logs the trials left non-terminal at the end of a run", async () => {
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.RUNNING;
    await scheduler(f, new SchedulerOptions({ waitForRunningTrials: false })).runNTrials({ maxTrials: 2 });
    expect(messages(f.lines)).toContain(
      "WARNING Found 2 non-terminal trials on branin_test_experiment: [0, 1].",
    );
  });

  it("checks a trial's TTL after polling it: a job that finished while others deployed is COMPLETED", async () => {
    const f = makeFixture();
    // Deploying trial 1 takes 30 s (longer than the 10 s TTL); trial 0 finished meanwhile.
    class SlowSecondRunner extends JobRunner {
      override async run(trial: BaseTrial): Promise<RunMetadata> {
        if (trial.index === 1) f.clock.advance(30_000);
        return super.run(trial);
      }
    }
    f.experiment.runner = new SlowSecondRunner(f.queue);
    const s = scheduler(f, new SchedulerOptions({ ttlSecondsForTrials: 10 }));
    await s.runNTrials({ maxTrials: 2 });
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(f.experiment.getTrial(0).failureReason).toBeNull();
  });
});

describe("Scheduler: failure rate and TTLs", () => {
  it("stops deploying within a round as soon as the failure rate is exceeded", async () => {
    const f = makeFixture();
    for (let i = 0; i < 40; i++) f.runner.alwaysFail.add(i);
    const s = scheduler(f, new SchedulerOptions({ maxPendingTrials: 40 }));
    const error = await s.runNTrials({ maxTrials: 40 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureRateExceededError);
    // The 5th failure (minFailedTrialsForFailureRateCheck) exceeds 0.5: nothing more is generated.
    expect(f.experiment.numTrials).toBe(5);
    expect((error as FailureRateExceededError).numFailed).toBe(5);
  });

  it("counts TTL expiries as failures of the trials", async () => {
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.RUNNING;
    const s = scheduler(f, new SchedulerOptions({ ttlSecondsForTrials: 10, maxPendingTrials: 1 }));
    const error = (await s
      .runNTrials({ maxTrials: 20 })
      .catch((e: unknown) => e)) as FailureRateExceededError;
    expect(error).toBeInstanceOf(FailureRateExceededError);
    expect(error.failureKind).toBe("run");
    expect(error.numFailed).toBe(5);
    expect(error.message).toContain("Trial exceeded its TTL of 10 seconds.");
    expect(indicesWith(f.experiment, TrialStatus.FAILED)).toEqual([0, 1, 2, 3, 4]);
  });

  it("gives BatchTrials the TTL and expires them", async () => {
    const f = makeFixture({ runner: "capable" });
    f.queue.policy = () => TrialStatus.RUNNING;
    const s = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({
        trialType: TrialType.BATCH_TRIAL,
        batchSize: 2,
        ttlSecondsForTrials: 10,
      }),
      logger: f.logger,
    });
    // One trial of one failed: the end-of-run check (as Ax's) fails the run.
    await expect(s.runNTrials({ maxTrials: 1 })).rejects.toThrow(FailureRateExceededError);
    const t0 = f.experiment.getTrial(0);
    expect(t0.arms).toHaveLength(2);
    expect(t0.ttlSeconds).toBe(10);
    expect(t0.status).toBe(TrialStatus.FAILED);
    expect(t0.failureReason).toBe("Trial exceeded its TTL of 10 seconds.");
    expect((f.runner as CapableJobRunner).stopped).toEqual([0]);
  });
});
