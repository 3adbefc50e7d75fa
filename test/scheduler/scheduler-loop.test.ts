import { describe, expect, it } from "vitest";
import type { BaseTrial } from "../../src/core/base-trial.js";
import type { TrialStatusMap } from "../../src/core/runner.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { SchedulerError } from "../../src/errors.js";
import {
  chooseGenerationStrategy,
  GenerationStep,
  GenerationStrategy,
  type Generator,
  SobolGenerator,
} from "../../src/generation/index.js";
import { type ReportedResults, Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import {
  type CapableJobRunner,
  completeAfterPolls,
  indicesWith,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";

function tutorialScheduler(f = makeFixture(), options = new SchedulerOptions()): MockJobQueueScheduler {
  return new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(3),
    options,
    logger: f.logger,
  });
}

describe("Scheduler: the tutorial's loop", () => {
  it("freezes the experiment and logs it as Ax does, under the subclass's name", () => {
    const f = makeFixture();
    tutorialScheduler(f);
    expect(f.experiment.immutableSearchSpaceAndOptConfig).toBe(true);
    expect(f.lines[0]).toMatch(
      /^\[INFO [^\]]+\] MockJobQueueScheduler: `Scheduler` requires experiment to have immutable search space and optimization config\. Setting property immutableSearchSpaceAndOptConfig to `true` on experiment\.$/,
    );
  });

  it("runNTrials twice: 3 trials, then 3 more, all COMPLETED with data, logging the tutorial's lines", async () => {
    const f = makeFixture();
    f.queue.policy = (job) =>
      job.trialIndex === 1 || job.polls >= 2 ? TrialStatus.COMPLETED : TrialStatus.RUNNING;
    const scheduler = tutorialScheduler(f);
    f.lines.length = 0;
    const first = await scheduler.runNTrials({ maxTrials: 3 });
    expect(messages(f.lines)).toEqual([
      "INFO Running trials [0]...",
      "INFO Running trials [1]...",
      "INFO Running trials [2]...",
      "INFO Retrieved COMPLETED trials: {1}.",
      "INFO Done submitting trials, waiting for remaining 2 running trials...",
      "INFO Retrieved COMPLETED trials: {0, 2}.",
    ]);
    expect(first.trialIndicesAdded).toEqual([0, 1, 2]);
    expect(first.trialCountsByStatus.COMPLETED).toBe(3);

    const second = await scheduler.runNTrials({ maxTrials: 3 });
    expect(second.trialIndicesAdded).toEqual([3, 4, 5]);
    expect(f.experiment.numTrials).toBe(6);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2, 3, 4, 5]);
    for (let i = 0; i < 6; i++) expect(f.experiment.hasDataFor(i, "branin")).toBe(true);
    expect(f.experiment.getTrial(0).generatorName).toBe("Sobol");
    // Best point: the smallest observed Branin value.
    const values = f.experiment.lookupData().rows.map((r) => r.mean);
    expect(second.bestValue).toBe(Math.min(...values));
    expect(second.objectiveName).toBe("branin");
    expect(second.durationSeconds).toBeGreaterThan(0);
  });

  it("polls once on entry, picking up trials that finished while the process was down", async () => {
    const f = makeFixture();
    const scheduler = tutorialScheduler(f, new SchedulerOptions({ waitForRunningTrials: false }));
    f.queue.policy = () => TrialStatus.RUNNING;
    await scheduler.runNTrials({ maxTrials: 2 });
    expect(indicesWith(f.experiment, TrialStatus.RUNNING)).toEqual([0, 1]);
    // The jobs finish while nobody is watching.
    for (const job of f.queue.jobs.values()) job.status = TrialStatus.COMPLETED;
    f.lines.length = 0;
    const result = await scheduler.runNTrials({ maxTrials: 0 });
    expect(messages(f.lines)).toEqual(["INFO Retrieved COMPLETED trials: {0, 1}."]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1]);
    expect(f.experiment.hasDataFor(0, "branin")).toBe(true);
    expect(result.trialIndicesAdded).toEqual([]);
  });

  it("runAllTrials needs totalTrials, and runs until the experiment has that many", async () => {
    const f = makeFixture();
    await expect(tutorialScheduler(f).runAllTrials()).rejects.toThrow(
      /runAllTrials needs options.totalTrials/,
    );
    const scheduler = tutorialScheduler(f, new SchedulerOptions({ totalTrials: 7 }));
    const result = await scheduler.runAllTrials();
    expect(f.experiment.numTrials).toBe(7);
    expect(result.completionCriterionMet).toBe(true);
    expect(result.trialCountsByStatus.COMPLETED).toBe(7);
    // The criterion holds: another run adds nothing.
    const again = await scheduler.runAllTrials();
    expect(again.trialIndicesAdded).toEqual([]);
  });

  it("runTrialsAndYieldResults yields reportResults() after each round of completions, then the final report", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(1);
    class ResultReportingScheduler extends MockJobQueueScheduler {
      override reportResults(): unknown {
        return {
          trialsSoFar: this.experiment.numTrials,
          step: this.generationStrategy.currentGeneratorName,
          running: this.runningTrials.map((t) => t.index),
        };
      }
    }
    const scheduler = new ResultReportingScheduler({
      experiment: f.experiment,
      generationStrategy: chooseGenerationStrategy({
        searchSpace: f.experiment.searchSpace,
        maxParallelismCap: 3,
        logger: f.logger,
      }),
      options: new SchedulerOptions(),
      logger: f.logger,
    });
    const reported: unknown[] = [];
    const gen = scheduler.runTrialsAndYieldResults({ maxTrials: 6 });
    let step = await gen.next();
    while (!step.done) {
      reported.push(step.value);
      step = await gen.next();
    }
    // As in the tutorial: the default strategy moves from Sobol to Bayesian optimization at trial 5.
    expect(reported).toEqual([
      { trialsSoFar: 3, step: "Sobol", running: [] },
      { trialsSoFar: 6, step: "BoTorch", running: [] },
      // The completion report, always yielded last (as in Ax).
      { trialsSoFar: 6, step: "BoTorch", running: [] },
    ]);
    expect(step.value.trialIndicesAdded).toEqual([0, 1, 2, 3, 4, 5]);
    expect(f.experiment.getTrial(4).generatorName).toBe("Sobol");
    expect(f.experiment.getTrial(5).generatorName).toBe("BoTorch");
    expect(messages(f.lines)).toContain(
      "INFO Generated all trials that can be generated currently. Max parallelism currently reached.",
    );
  });

  it("default reportResults is Ax's (True, {})", () => {
    const result = tutorialScheduler().reportResults() as ReportedResults;
    expect(result).toEqual({ success: true, outputs: {} });
  });

  it("times out gracefully: logs the error once, launches nothing more, returns leaving the trial RUNNING", async () => {
    const f = makeFixture();
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(1),
      logger: f.logger,
    });
    f.queue.policy = completeAfterPolls(4);
    f.lines.length = 0;
    const result = await scheduler.runNTrials({ maxTrials: 3, timeoutHours: 0.00001 });
    expect(messages(f.lines)).toEqual([
      "INFO Running trials [0]...",
      "INFO Generated all trials that can be generated currently. Max parallelism currently reached.",
      "ERROR Optimization timed out (timeout hours: 1e-05)!",
      "INFO `shouldAbort` is `true`, not running more trials.",
    ]);
    expect(result.timedOut).toBe(true);
    expect(f.experiment.numTrials).toBe(1);
    // As Ax: the run returns at the timeout; the trial stays RUNNING for a later run to pick up.
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.RUNNING);
    await scheduler.runNTrials({ maxTrials: 0 });
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
  });

  it("deploys a trial whose generation outlasted the timeout instead of leaving it CANDIDATE (as Ax's run())", async () => {
    const f = makeFixture();
    const sobol = new SobolGenerator({ searchSpace: f.experiment.searchSpace, seed: 0 });
    // Model fitting can take longer than a short timeout: this generator takes a minute of fake time.
    const slow: Generator = {
      name: "Slow",
      gen: async (args) => {
        f.clock.advance(60_000);
        return sobol.gen(args);
      },
    };
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: new GenerationStrategy({
        steps: [new GenerationStep({ generator: slow, numTrials: -1, maxParallelism: 1 })],
      }),
      logger: f.logger,
    });
    f.queue.policy = completeAfterPolls(1);
    const result = await scheduler.runNTrials({ maxTrials: 3, timeoutHours: 0.00001 });
    expect(result.timedOut).toBe(true);
    expect(result.trialIndicesAdded).toEqual([0]);
    expect(f.experiment.getTrial(0).status).toBe(TrialStatus.RUNNING);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.CANDIDATE)).toBe(0);
  });

  it("logs 'Max parallelism currently reached' once per wait, not at every poll", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(4);
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(2),
      options: new SchedulerOptions({ initSecondsBetweenPolls: 0.1 }),
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 4 });
    const lines = messages(f.lines);
    const maxPar = lines.filter((l) => l.includes("Max parallelism currently reached"));
    // The wait for trials 0-1 spans several polls but logs the reason once; trials 2-3 fill maxTrials.
    expect(maxPar).toHaveLength(1);
    expect(
      lines.filter((l) => l.startsWith("INFO Waiting for completed trials")).length,
    ).toBeGreaterThanOrEqual(3);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2, 3]);
  });

  it("honours the generation step's maxParallelism: never more trials in flight", async () => {
    const f = makeFixture();
    let maxRunning = 0;
    f.queue.policy = (job) => {
      maxRunning = Math.max(maxRunning, f.experiment.countTrialsWithStatus(TrialStatus.RUNNING));
      return job.polls >= 2 ? TrialStatus.COMPLETED : TrialStatus.RUNNING;
    };
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(3),
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 10 });
    expect(maxRunning).toBe(3);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(10);
  });

  it("ends gracefully when the generation strategy is exhausted (a tiny discrete space)", async () => {
    const f = makeFixture({ discrete: true });
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    const result = await scheduler.runNTrials({ maxTrials: 10 });
    expect(f.experiment.numTrials).toBe(4);
    expect(result.generationExhausted).toBe(true);
    expect(result.trialCountsByStatus.COMPLETED).toBe(4);
    const complete = messages(f.lines).filter((l) => l.startsWith("INFO Optimization complete:"));
    expect(complete).toHaveLength(1);
  });

  it("ends when a finite generation strategy completes", async () => {
    const f = makeFixture();
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(null, 2),
      logger: f.logger,
    });
    const result = await scheduler.runNTrials({ maxTrials: 5 });
    expect(f.experiment.numTrials).toBe(2);
    expect(result.generationExhausted).toBe(true);
  });

  it("waitForRunningTrials false: deploys and returns without waiting", async () => {
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.RUNNING;
    const scheduler = tutorialScheduler(f, new SchedulerOptions({ waitForRunningTrials: false }));
    const result = await scheduler.runNTrials({ maxTrials: 3 });
    expect(indicesWith(f.experiment, TrialStatus.RUNNING)).toEqual([0, 1, 2]);
    expect(result.trialIndicesRun).toEqual([0, 1, 2]);
    expect(messages(f.lines).some((l) => l.includes("Done submitting"))).toBe(false);
    expect(f.clock.sleeps).toEqual([]);
  });

  it("generateCandidates adds CANDIDATE trials that the next run deploys first", async () => {
    const f = makeFixture();
    const scheduler = tutorialScheduler(f);
    const candidates = await scheduler.generateCandidates(2);
    expect(candidates.map((t) => t.index)).toEqual([0, 1]);
    expect(indicesWith(f.experiment, TrialStatus.CANDIDATE)).toEqual([0, 1]);
    expect(f.runner.runCalls).toEqual([]);
    const result = await scheduler.runNTrials({ maxTrials: 3 });
    expect(f.runner.runCalls).toEqual([0, 1, 2]);
    expect(result.trialIndicesRun).toEqual([0, 1, 2]);
    expect(result.trialIndicesAdded).toEqual([2]);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(3);
  });

  it("stops launching on AbortSignal, returns promptly and leaves running trials RUNNING", async () => {
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.RUNNING;
    const controller = new AbortController();
    const scheduler = tutorialScheduler(f, new SchedulerOptions({ idleCallback: () => controller.abort() }));
    const result = await scheduler.runNTrials({ maxTrials: 5, signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(indicesWith(f.experiment, TrialStatus.RUNNING)).toEqual([0, 1, 2]);
    expect(f.experiment.numTrials).toBe(3);
    // An already aborted signal deploys nothing.
    const again = await scheduler.runNTrials({ maxTrials: 5, signal: AbortSignal.abort() });
    expect(again.aborted).toBe(true);
    expect(f.experiment.numTrials).toBe(3);
  });

  it("stop() aborts the current run during a wait", async () => {
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.RUNNING;
    let polls = 0;
    const options = new SchedulerOptions({
      idleCallback: (s) => {
        polls++;
        if (polls === 3) s.stop();
      },
    });
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(3),
      options,
      logger: f.logger,
    });
    const result = await scheduler.runNTrials({ maxTrials: 3 });
    expect(result.aborted).toBe(true);
    expect(polls).toBe(3);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.RUNNING)).toBe(3);
    expect(scheduler.runningTrials.map((t) => t.index)).toEqual([0, 1, 2]);
  });

  it("refuses a second concurrent run and runs without a poller", async () => {
    const f = makeFixture();
    const plain = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    await expect(plain.runNTrials({ maxTrials: 1 })).rejects.toThrow(
      /override pollTrialStatus\(\) in a Scheduler subclass/,
    );
    expect(f.experiment.numTrials).toBe(0);
    const scheduler = tutorialScheduler(f);
    const a = scheduler.runNTrials({ maxTrials: 1 });
    await expect(scheduler.runNTrials({ maxTrials: 1 })).rejects.toThrow(/already in progress/);
    await a;
  });

  it("uses the runner's pollTrialStatus, capacity and stop when the runner has them", async () => {
    const f = makeFixture({ runner: "capable" });
    const runner = f.runner as CapableJobRunner;
    runner.capacity = 2;
    f.queue.policy = completeAfterPolls(2);
    let maxRunning = 0;
    const scheduler = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({
        idleCallback: (s) => {
          maxRunning = Math.max(maxRunning, s.runningTrials.length);
        },
      }),
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 5 });
    expect(maxRunning).toBe(2);
    expect(runner.polled.every((p) => p.length <= 2)).toBe(true);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);
  });

  it("caps pending trials at maxPendingTrials", async () => {
    const f = makeFixture();
    f.queue.policy = completeAfterPolls(3);
    let maxRunning = 0;
    const options = new SchedulerOptions({
      maxPendingTrials: 2,
      idleCallback: (s) => {
        maxRunning = Math.max(maxRunning, s.runningTrials.length);
      },
    });
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options,
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 6 });
    expect(maxRunning).toBe(2);
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
  });

  it("stopTrialRuns stops on the runner, fetches data and marks EARLY_STOPPED", async () => {
    const f = makeFixture({ runner: "capable" });
    f.queue.policy = () => TrialStatus.RUNNING;
    const scheduler = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ waitForRunningTrials: false }),
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 2 });
    const [t0, t1] = scheduler.runningTrials as [BaseTrial, BaseTrial];
    const stopped = await scheduler.stopTrialRuns([t0], ["not promising"]);
    expect(stopped).toEqual([t0]);
    expect((f.runner as CapableJobRunner).stopped).toEqual([0]);
    expect(t0.status).toBe(TrialStatus.EARLY_STOPPED);
    expect(t0.failureReason).toBe("not promising");
    expect(f.experiment.hasDataFor(0, "branin")).toBe(true);
    expect(t1.status).toBe(TrialStatus.RUNNING);
  });

  it("applies an early-stopping strategy to running trials at each poll", async () => {
    const f = makeFixture({ runner: "capable" });
    f.queue.policy = completeAfterPolls(3);
    f.metric.isAvailableWhileRunning = () => true;
    const scheduler = new Scheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({
        earlyStoppingStrategy: {
          secondsBetweenPolls: 2,
          shouldStopTrialsEarly: ({ trialIndices }) =>
            new Map([...trialIndices].filter((i) => i % 2 === 1).map((i) => [i, "odd"] as const)),
        },
      }),
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 4 });
    expect(indicesWith(f.experiment, TrialStatus.EARLY_STOPPED)).toEqual([1, 3]);
    expect(indicesWith(f.experiment, TrialStatus.COMPLETED)).toEqual([0, 2]);
    expect(f.clock.sleeps.filter((ms) => ms !== 1000).every((ms) => ms === 2000)).toBe(true);
  });
});

describe("Scheduler: construction", () => {
  it("requires an optimization config and a runner unless runTrial is overridden", () => {
    const f = makeFixture();
    f.experiment.runner = null;
    expect(
      () => new MockJobQueueScheduler({ experiment: f.experiment, generationStrategy: sobolStrategy() }),
    ).toThrow(SchedulerError);
    class OwnDeployment extends MockJobQueueScheduler {
      override async runTrial(): Promise<Record<string, number>> {
        return { jobId: 1 };
      }
    }
    expect(
      () =>
        new OwnDeployment({
          experiment: f.experiment,
          generationStrategy: sobolStrategy(),
          logger: f.logger,
        }),
    ).not.toThrow();
    const g = makeFixture();
    g.experiment.optimizationConfig = null;
    expect(
      () => new MockJobQueueScheduler({ experiment: g.experiment, generationStrategy: sobolStrategy() }),
    ).toThrow(/optimization config/);
  });

  it("validates maxTrials", async () => {
    const scheduler = tutorialScheduler();
    await expect(scheduler.runNTrials({ maxTrials: -1 })).rejects.toThrow(
      /maxTrials must be an integer >= 0/,
    );
  });

  it("custom pollTrialStatus may return a plain object of arrays", async () => {
    const f = makeFixture();
    class LoosePoller extends Scheduler {
      override async pollTrialStatus(): Promise<TrialStatusMap> {
        const out = { COMPLETED: this.runningTrials.map((t) => t.index) };
        return out as unknown as TrialStatusMap;
      }
    }
    const scheduler = new LoosePoller({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      logger: f.logger,
    });
    await scheduler.runNTrials({ maxTrials: 2 });
    expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(2);
  });
});
