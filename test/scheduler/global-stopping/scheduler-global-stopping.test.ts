import { describe, expect, it } from "vitest";
import type { Experiment } from "../../../src/core/experiment.js";
import { TrialStatus } from "../../../src/core/trial-status.js";
import { SchedulerArgumentError, SchedulerError, UserHookError } from "../../../src/errors.js";
import {
  type GlobalStoppingStrategy,
  ImprovementGlobalStoppingStrategy,
  SchedulerOptions,
} from "../../../src/scheduler/index.js";
import {
  completeAfterPolls,
  type Fixture,
  indicesWith,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "../fixtures.js";

/** A Scheduler over the Branin fixture, one trial at a time unless told otherwise. */
function schedulerWith(f: Fixture, options: ConstructorParameters<typeof SchedulerOptions>[0]) {
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ maxPendingTrials: 1, initSecondsBetweenPolls: 0, ...options }),
    logger: f.logger,
  });
}

/** Stops once `n` trials are COMPLETED, and records what it was asked. */
class StopAfter implements GlobalStoppingStrategy {
  readonly asked: { completed: number; running: number }[] = [];
  constructor(private readonly n: number) {}
  async shouldStopOptimization(experiment: Experiment) {
    const completed = experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
    this.asked.push({ completed, running: experiment.countTrialsWithStatus(TrialStatus.RUNNING) });
    return completed >= this.n
      ? { stop: true, reason: `${completed} trials are enough.` }
      : { stop: false, reason: "not yet" };
  }
}

describe("Scheduler with a global stopping strategy", () => {
  it("ends the run when the improvement rule fires, with the reason in the result and the log", async () => {
    const f = makeFixture();
    // A bar no improvement can reach: the rule stops as soon as it may judge (5 completed trials).
    const strategy = new ImprovementGlobalStoppingStrategy({
      minTrials: 5,
      windowSize: 5,
      improvementBar: 1e9,
    });
    const scheduler = schedulerWith(f, { totalTrials: 20, globalStoppingStrategy: strategy });
    const result = await scheduler.runAllTrials();
    expect(result.trialIndicesAdded).toEqual([0, 1, 2, 3, 4]);
    expect(result.globalStoppingReason).toMatch(
      /^The best branin improved by .* less than improvementBar 1000000000\.$/,
    );
    expect(result.completionCriterionMet).toBe(false);
    expect(result.aborted).toBe(false);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2, 3, 4]);
    const logged = messages(f.lines).filter((l) => l.includes("Global stopping strategy"));
    expect(logged).toEqual([
      `INFO Global stopping strategy: ${result.globalStoppingReason} Not running more trials.`,
    ]);
  });

  it("goes on to totalTrials while the rule says the optimization still improves", async () => {
    const f = makeFixture();
    const strategy = new ImprovementGlobalStoppingStrategy({ improvementBar: 0 });
    const scheduler = schedulerWith(f, { totalTrials: 8, globalStoppingStrategy: strategy });
    const result = await scheduler.runAllTrials();
    // A bar of 0 is never undercut (improvement is never negative): the run reaches its total.
    expect(result.numTrials).toBe(8);
    expect(result.globalStoppingReason).toBeNull();
    expect(result.completionCriterionMet).toBe(true);
  });

  it("ignoreGlobalStoppingStrategy skips the strategy for one call only", async () => {
    const f = makeFixture();
    const strategy = new StopAfter(2);
    const scheduler = schedulerWith(f, { totalTrials: 10, globalStoppingStrategy: strategy });
    const ignored = await scheduler.runNTrials({ maxTrials: 4, ignoreGlobalStoppingStrategy: true });
    expect(ignored.trialIndicesAdded).toEqual([0, 1, 2, 3]);
    expect(ignored.globalStoppingReason).toBeNull();
    expect(strategy.asked).toEqual([]);
    // The next call asks it again: 4 trials are done, so nothing more is launched.
    const next = await scheduler.runNTrials({ maxTrials: 4 });
    expect(next.trialIndicesAdded).toEqual([]);
    expect(next.globalStoppingReason).toBe("4 trials are enough.");
    // runAllTrials takes the flag too.
    const all = await scheduler.runAllTrials({ ignoreGlobalStoppingStrategy: true });
    expect(all.trialIndicesAdded).toEqual([4, 5, 6, 7, 8, 9]);
    expect(all.globalStoppingReason).toBeNull();
  });

  it("lets running trials finish after a stop, as at a normal end", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(2);
    const strategy = new StopAfter(1);
    const scheduler = schedulerWith(f, {
      totalTrials: 20,
      maxPendingTrials: 3,
      globalStoppingStrategy: strategy,
    });
    const result = await scheduler.runAllTrials();
    // Three trials were launched at once; after the first round of completions the strategy said stop,
    // and the run waited for the others instead of launching more.
    expect(result.globalStoppingReason).toMatch(/trials are enough/);
    expect(result.trialIndicesAdded).toEqual([0, 1, 2]);
    expect(indicesWith(f.experiment, TrialStatus.RUNNING)).toEqual([]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2]);
    expect(strategy.asked.some((a) => a.running > 0)).toBe(true);
  });

  it("does not ask the strategy once the run has launched all it may", async () => {
    const f = makeFixture();
    const strategy = new StopAfter(1);
    const scheduler = schedulerWith(f, { globalStoppingStrategy: strategy });
    const result = await scheduler.runNTrials({ maxTrials: 1 });
    expect(result.trialIndicesAdded).toEqual([0]);
    // The run ended by its trial count, not by the strategy, though the strategy would have said stop.
    expect(result.globalStoppingReason).toBeNull();
    expect(strategy.asked.every((a) => a.completed === 0)).toBe(true);
  });

  it("ends the run with a UserHookError when the strategy throws, and with a SchedulerError for a malformed answer", async () => {
    const f = makeFixture();
    const broken: GlobalStoppingStrategy = {
      shouldStopOptimization: () => {
        throw new Error("metrics warehouse unreachable");
      },
    };
    const scheduler = schedulerWith(f, { totalTrials: 5, globalStoppingStrategy: broken });
    const error = await scheduler.runAllTrials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserHookError);
    expect((error as UserHookError).hook).toBe("globalStoppingStrategy");
    expect((error as Error).message).toContain("metrics warehouse unreachable");

    const g = makeFixture();
    const malformed = { shouldStopOptimization: () => true } as unknown as GlobalStoppingStrategy;
    const other = schedulerWith(g, { totalTrials: 5, globalStoppingStrategy: malformed });
    await expect(other.runAllTrials()).rejects.toThrow(
      /must return \{ stop: boolean, reason: string \}, got true/,
    );
  });

  it("refuses a strategy without shouldStopOptimization and a non-boolean ignoreGlobalStoppingStrategy", async () => {
    expect(() => new SchedulerOptions({ globalStoppingStrategy: {} as GlobalStoppingStrategy })).toThrow(
      SchedulerError,
    );
    const f = makeFixture();
    const scheduler = schedulerWith(f, {});
    await expect(
      scheduler.runNTrials({ maxTrials: 1, ignoreGlobalStoppingStrategy: "yes" as unknown as boolean }),
    ).rejects.toThrow(SchedulerArgumentError);
    await expect(
      scheduler.runNTrials({ maxTrials: 1, ignore_global_stopping_strategy: true } as never),
    ).rejects.toThrow('Did you mean "ignoreGlobalStoppingStrategy"?');
  });
});
