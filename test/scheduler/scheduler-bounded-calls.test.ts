import { describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import type { Data } from "../../src/core/data.js";
import type { TrialStatusMap } from "../../src/core/runner.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { UserCallTimeoutError, UserCodeError } from "../../src/errors.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { SystemClock } from "../../src/util/clock.js";
import {
  BraninMetric,
  type CapableJobRunner,
  type Fixture,
  indicesWith,
  JobRunner,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";

/** A promise that never settles: user code that hangs. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** Runs `run` on trial `hangOn` forever. */
class HangingRunner extends JobRunner {
  hangOn = 0;
  override async run(trial: BaseTrial): Promise<RunMetadata> {
    if (trial.index === this.hangOn) {
      this.runCalls.push(trial.index);
      return never();
    }
    return super.run(trial);
  }
}

function scheduler(f: Fixture, options = new SchedulerOptions()): MockJobQueueScheduler {
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options,
    logger: f.logger,
  });
}

// Each of these runs would hang for good if a user call were not bounded; the test timeout catches it.
describe("Scheduler: every call into user code is bounded", { timeout: 10_000 }, () => {
  it("a Runner.run that never settles fails its trial after userCallTimeoutSeconds, without retrying", async () => {
    const f = makeFixture();
    const runner = new HangingRunner(f.queue);
    f.experiment.runner = runner;
    const result = await scheduler(f).runNTrials({ maxTrials: 3 });
    const t0 = f.experiment.getTrial(0);
    expect(t0.status).toBe(TrialStatus.FAILED);
    expect(t0.failureReason).toMatch(/^run of trial 0 did not settle within 600 seconds/);
    expect(runner.runCalls.filter((i) => i === 0)).toEqual([0]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([1, 2]);
    expect(result.trialCountsByStatus.FAILED).toBe(1);
    // The wait was measured on the scheduler's clock.
    expect(f.clock.sleeps).toContain(600_000);
  });

  it("a pollTrialStatus that hangs once times out, and the trials are polled one by one", async () => {
    const f = makeFixture();
    let hung = false;
    class HangOnce extends MockJobQueueScheduler {
      override async pollTrialStatus(): Promise<TrialStatusMap> {
        if (!hung && this.runningTrials.length > 1) {
          hung = true;
          return never();
        }
        return super.pollTrialStatus();
      }
    }
    const s = new HangOnce({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ userCallTimeoutSeconds: 30 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 2 });
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1]);
    expect(
      messages(f.lines).some((l) => l.includes("pollTrialStatus did not settle within 30 seconds")),
    ).toBe(true);
  });

  it("a fetchTrialData that hangs abandons that trial only", async () => {
    const f = makeFixture();
    class HangingMetric extends BraninMetric {
      override async fetchTrialData(trial: BaseTrial): Promise<Data> {
        if (trial.index === 1) return never();
        return super.fetchTrialData(trial);
      }
    }
    const metric = new HangingMetric({ name: "branin" });
    (f.experiment.optimizationConfig!.objective as { metric: unknown }).metric = metric;
    const s = scheduler(f);
    await s.runNTrials({ maxTrials: 3 });
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.ABANDONED);
    expect(f.experiment.getTrial(1).failureReason).toMatch(/fetchTrialData of trial 1 did not settle/);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 2]);
  });

  it("a pollAvailableCapacity that hangs ends the run with a UserCodeError caused by the timeout", async () => {
    const f = makeFixture({ runner: "capable" });
    (f.runner as CapableJobRunner).pollAvailableCapacity = () => never();
    const s = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    const error = await s.runNTrials({ maxTrials: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserCodeError);
    expect((error as Error).cause).toBeInstanceOf(UserCallTimeoutError);
    expect(((error as Error).cause as UserCallTimeoutError).operation).toBe("pollAvailableCapacity");
  });

  it("a runner's stop that hangs (at a TTL expiry) is given up on; the trial still fails", async () => {
    const f = makeFixture({ runner: "capable" });
    f.queue.policy = () => TrialStatus.RUNNING;
    (f.runner as CapableJobRunner).stop = () => never();
    const s = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ttlSecondsForTrials: 10 }),
      logger: f.logger,
    });
    // One trial of one failed: the end-of-run failure-rate check fails the run, after the TTL handling.
    await expect(s.runNTrials({ maxTrials: 1 })).rejects.toThrow("Trial exceeded its TTL of 10 seconds");
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.FAILED);
    expect(
      messages(f.lines).some((l) => l.includes("Could not stop trial 0 on the runner: stop of trial 0")),
    ).toBe(true);
  });

  it("hooks are bounded too: a hanging reportResults and idleCallback are logged, the run goes on", async () => {
    const f = makeFixture();
    f.queue.policy = (job) => (job.polls >= 2 ? TrialStatus.COMPLETED : TrialStatus.RUNNING);
    class HangingReport extends MockJobQueueScheduler {
      override reportResults(): unknown {
        return never();
      }
    }
    const s = new HangingReport({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ idleCallback: () => never() }),
      logger: f.logger,
    });
    const reports: unknown[] = [];
    for await (const r of s.runTrialsAndYieldResults({ maxTrials: 2 })) reports.push(r);
    expect(reports).toEqual([]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1]);
    const lines = messages(f.lines);
    expect(lines.some((l) => l.startsWith("ERROR reportResults threw: reportResults did not settle"))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith("WARNING idleCallback threw: idleCallback did not settle"))).toBe(
      true,
    );
  });

  it("an early-stopping strategy that hangs stops nothing that round; the trials finish normally", async () => {
    const f = makeFixture({ runner: "capable" });
    f.metric.isAvailableWhileRunning = () => true;
    f.queue.policy = (job) => (job.polls >= 3 ? TrialStatus.COMPLETED : TrialStatus.RUNNING);
    const s = scheduler(
      f,
      new SchedulerOptions({
        earlyStoppingStrategy: { shouldStopTrialsEarly: () => never<Map<number, string | null>>() },
      }),
    );
    await s.runNTrials({ maxTrials: 2 });
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1]);
    expect(
      messages(f.lines).some((l) =>
        l.startsWith("WARNING shouldStopTrialsEarly did not settle within 600 seconds"),
      ),
    ).toBe(true);
  });

  it("stop() ends a wait on a call that never settles even without a time limit", async () => {
    const f = makeFixture();
    let s: MockJobQueueScheduler | null = null;
    class StopWhileHanging extends JobRunner {
      override async run(trial: BaseTrial): Promise<RunMetadata> {
        if (trial.index === 1) {
          setImmediate(() => s?.stop());
          return never();
        }
        return super.run(trial);
      }
    }
    f.experiment.runner = new StopWhileHanging(f.queue);
    s = scheduler(f, new SchedulerOptions({ userCallTimeoutSeconds: null }));
    const result = await s.runNTrials({ maxTrials: 3 });
    expect(result.aborted).toBe(true);
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.FAILED);
    expect(f.experiment.getTrial(1).failureReason).toMatch(
      /^run of trial 1 was still pending when the run was aborted/,
    );
    expect(f.experiment.numTrials).toBe(2);
  });

  it("the run's AbortSignal ends a hanging poll: the run returns, trials stay RUNNING", async () => {
    const f = makeFixture({ runner: "capable" });
    const controller = new AbortController();
    (f.runner as CapableJobRunner).pollTrialStatus = () => {
      setImmediate(() => controller.abort());
      return never();
    };
    const s = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ userCallTimeoutSeconds: null }),
      logger: f.logger,
    });
    const result = await s.runNTrials({ maxTrials: 2, signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(indicesWith(f.experiment, TrialStatus.RUNNING)).toEqual([0, 1]);
  });

  it("times out on the system clock as well", async () => {
    const f = makeFixture();
    const runner = new HangingRunner(f.queue);
    f.experiment.runner = runner;
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({
        userCallTimeoutSeconds: 0.05,
        initSecondsBetweenPolls: 0,
        minSecondsBeforePoll: 0,
      }),
      clock: new SystemClock(),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 2 });
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.FAILED);
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.COMPLETED);
  });
});
