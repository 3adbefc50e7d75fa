import { describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import { BatchTrial } from "../../src/core/batch-trial.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { SchedulerOptions } from "../../src/scheduler/index.js";
import {
  completeAfterPolls,
  indicesWith,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";

describe("Scheduler: deployment", () => {
  it("limits concurrent trials to pollAvailableCapacity() and waits while there is none", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(2);
    let maxRunning = 0;
    let capacityCalls = 0;
    class LimitedCluster extends MockJobQueueScheduler {
      override async pollAvailableCapacity(): Promise<number> {
        capacityCalls++;
        const running = this.runningTrials.length;
        maxRunning = Math.max(maxRunning, running);
        // No capacity at all for the first two asks, then 2 slots.
        return capacityCalls <= 2 ? 0 : 2 - running;
      }
    }
    const s = new LimitedCluster({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ minSecondsBeforePoll: 0 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 5 });
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);
    // While there was no capacity and nothing running, it waited with backoff before asking again.
    expect(f.clock.sleeps.slice(0, 2)).toEqual([1000, 1500]);
    expect(messages(f.lines).find((l) => l.startsWith("INFO Waiting"))).toBe(
      "INFO Waiting for completed trials (for 1 sec, currently running trials: 0).",
    );
  });

  it("runTrialsInBatches deploys groups of min(capacity, ready) through runTrials", async () => {
    const f = makeFixture();
    const groups: number[][] = [];
    class BatchDeployer extends MockJobQueueScheduler {
      override async pollAvailableCapacity(): Promise<number> {
        return 3 - this.runningTrials.length;
      }
      override async runTrials(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>> {
        groups.push(trials.map((t) => t.index));
        return super.runTrials(trials);
      }
    }
    const s = new BatchDeployer({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ runTrialsInBatches: true }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 7 });
    expect(groups).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(messages(f.lines)).toContain("INFO Running trials [0, 1, 2]...");
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(7);
  });

  it("trials left out of runTrials' result stay CANDIDATE and are deployed first next time", async () => {
    const f = makeFixture();
    const groups: number[][] = [];
    class PartialDeployer extends MockJobQueueScheduler {
      override async runTrials(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>> {
        groups.push(trials.map((t) => t.index));
        const all = await super.runTrials(trials.filter((t) => t.index !== 1 || groups.length > 1));
        return all;
      }
    }
    const s = new PartialDeployer({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ runTrialsInBatches: true, maxPendingTrials: 3 }),
      logger: f.logger,
    });
    const result = await s.runNTrials({ maxTrials: 4 });
    expect(groups[0]).toEqual([0, 1, 2]);
    expect(groups[1]?.[0]).toBe(1);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2, 3]);
    expect(result.trialIndicesRun).toEqual([0, 1, 2, 3]);
  });

  it("deploys BatchTrials of batchSize arms", async () => {
    const f = makeFixture();
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ trialType: "BatchTrial", batchSize: 3 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 2 });
    expect(f.experiment.numTrials).toBe(2);
    for (const i of [0, 1]) {
      const trial = f.experiment.getTrial(i);
      expect(trial).toBeInstanceOf(BatchTrial);
      expect(trial.arms.map((a) => a.name)).toEqual([`${i}_0`, `${i}_1`, `${i}_2`]);
      expect(trial.status).toBe(TrialStatus.COMPLETED);
      expect(f.experiment.lookupTrialData(i).rows).toHaveLength(3);
    }
    expect(new Set(f.experiment.pendingArms)).toEqual(new Set());
  });

  it("backs off 1, 1.5, 2.25 s between polls that change nothing, and resets after a status change", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(4);
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(1),
      options: new SchedulerOptions({ minSecondsBeforePoll: 0 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 2 });
    expect(f.clock.sleeps).toEqual([1000, 1500, 2250, 1000, 1500, 2250]);
    const waits = messages(f.lines).filter((l) => l.startsWith("INFO Waiting"));
    expect(waits.slice(0, 3)).toEqual([
      "INFO Waiting for completed trials (for 1 sec, currently running trials: 1).",
      "INFO Waiting for completed trials (for 1.5 sec, currently running trials: 1).",
      "INFO Waiting for completed trials (for 2 sec, currently running trials: 1).",
    ]);
  });

  it("waits minSecondsBeforePoll after the last deployment before polling", async () => {
    const f = makeFixture();
    let deployedAt = 0;
    const polledAt: number[] = [];
    class Timed extends MockJobQueueScheduler {
      override async runTrial(trial: BaseTrial): Promise<RunMetadata> {
        const metadata = await super.runTrial(trial);
        deployedAt = f.clock.now();
        return metadata;
      }
      override async pollTrialStatus() {
        polledAt.push(f.clock.now());
        return super.pollTrialStatus();
      }
    }
    const s = new Timed({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ minSecondsBeforePoll: 5 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 1 });
    expect(f.clock.sleeps).toEqual([5000]);
    expect(polledAt).toEqual([deployedAt + 5000]);
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
  });

  it("initSecondsBetweenPolls 0 polls without waiting", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(3);
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 }),
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 2 });
    expect(f.clock.sleeps.every((ms) => ms === 0)).toBe(true);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(2);
  });

  it("keeps every step's cost flat: 500 instant trials poll only running trials", async () => {
    const f = makeFixture();
    const pollSizes: number[] = [];
    class Counting extends MockJobQueueScheduler {
      override async pollTrialStatus() {
        pollSizes.push(this.runningTrials.length);
        return super.pollTrialStatus();
      }
    }
    const s = new Counting({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 }),
      logger: f.logger,
    });
    const result = await s.runNTrials({ maxTrials: 500 });
    expect(result.trialCountsByStatus.COMPLETED).toBe(500);
    expect(Math.max(...pollSizes)).toBeLessThanOrEqual(10);
    expect(result.bestTrialIndex).not.toBeNull();
  });
});
