import { describe, expect, it } from "vitest";
import type { BaseTrial } from "../../../src/core/base-trial.js";
import {
  Data,
  Experiment,
  Metric,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  SearchSpace,
  TrialStatus,
} from "../../../src/core/index.js";
import {
  CurvePredictionEarlyStoppingStrategy,
  type EarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
  Scheduler,
  SchedulerOptions,
} from "../../../src/scheduler/index.js";
import { FakeClock } from "../../../src/util/clock.js";
import {
  CapableJobRunner,
  captureLogger,
  completeAfterPolls,
  FakeJobQueue,
  indicesWith,
  sobolStrategy,
} from "../fixtures.js";

/** Steps of a whole training run. */
const STEPS = 10;

/** How far a trial's setting is from the best one: its final loss is about this plus 0.2. */
function quality(parameters: Readonly<Record<string, unknown>>): number {
  return Math.abs(Number(parameters.x) - 2);
}

/** The loss curve of a setting: falls as 2/step towards its quality. */
function lossAt(parameters: Readonly<Record<string, unknown>>, step: number): number {
  return quality(parameters) + 2 / step;
}

/**
 * Reads a trial's training curve from the fake queue: one step per poll of its job while it runs (the
 * shared progress table), every step once it completed, the steps it reached when it was stopped.
 */
class TrainingLossMetric extends Metric {
  constructor(private readonly queue: FakeJobQueue) {
    super({ name: "loss", lowerIsBetter: true });
  }

  override isAvailableWhileRunning(): boolean {
    return true;
  }

  override async fetchTrialData(trial: BaseTrial): Promise<Data> {
    const job = this.queue.jobOf(trial);
    const done = job.status === TrialStatus.COMPLETED ? STEPS : Math.min(job.polls, STEPS);
    const arm = trial.arms[0]!;
    const rows = [];
    for (let step = 1; step <= done; step++) {
      rows.push({
        trialIndex: trial.index,
        armName: arm.name!,
        metricName: this.name,
        mean: lossAt(arm.parameters, step),
        sem: null,
        progression: { step },
      });
    }
    return Data.fromRows(rows);
  }
}

function training(strategy: EarlyStoppingStrategy) {
  const clock = new FakeClock();
  const queue = new FakeJobQueue();
  queue.policy = completeAfterPolls(STEPS);
  const runner = new CapableJobRunner(queue);
  const experiment = new Experiment({
    name: "training",
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 10 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new TrainingLossMetric(queue), minimize: true }),
    }),
    runner,
    isTest: true,
    clock,
  });
  const { logger, lines } = captureLogger();
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ earlyStoppingStrategy: strategy, maxPendingTrials: 8 }),
    logger,
  });
  return { experiment, runner, scheduler, lines };
}

describe("early stopping in a Scheduler run", () => {
  it("stops the hopeless trials of a training run with the percentile rule, keeping the best", async () => {
    const strategy = new PercentileEarlyStoppingStrategy({ minCurves: 4, minProgression: 2 });
    const { experiment, runner, scheduler, lines } = training(strategy);
    await scheduler.runNTrials({ maxTrials: 8 });

    const stoppedEarly = indicesWith(experiment, TrialStatus.EARLY_STOPPED);
    const completed = indicesWith(experiment, TrialStatus.COMPLETED);
    expect(stoppedEarly.length).toBeGreaterThanOrEqual(4);
    expect(completed.length + stoppedEarly.length).toBe(8);
    expect([...runner.stopped].sort((a, b) => a - b)).toEqual(stoppedEarly);

    const q = (i: number) => quality(experiment.getTrial(i).arms[0]!.parameters);
    // Every completed trial is better than every stopped one, so the best setting ran to the end.
    const worstCompleted = Math.max(...completed.map(q));
    for (const i of stoppedEarly) {
      expect(q(i)).toBeGreaterThan(worstCompleted);
      const trial = experiment.getTrial(i);
      expect(trial.failureReason).toMatch(
        /^loss [\d.]+ at step \d+ is worse than the 50th percentile \([\d.]+\) of \d+ curves$/,
      );
      const curve = experiment.curve(i, "loss");
      expect(curve.length).toBeGreaterThanOrEqual(2);
      expect(curve.length).toBeLessThan(STEPS);
      // The reason names the step the trial was stopped at and its loss there.
      const last = curve[curve.length - 1]!;
      expect(trial.failureReason).toContain(`at step ${last.progression} `);
    }
    for (const i of completed) expect(experiment.curve(i, "loss")).toHaveLength(STEPS);
    expect(lines.some((l) => l.includes("Retrieved EARLY_STOPPED trials"))).toBe(true);
  });

  it("stops nothing with the curve-prediction rule until trials have completed", async () => {
    const { experiment, scheduler } = training(new CurvePredictionEarlyStoppingStrategy({ minCurves: 3 }));
    await scheduler.runNTrials({ maxTrials: 4 });
    // All four ran side by side: no completed curve existed while they ran.
    expect(indicesWith(experiment, TrialStatus.COMPLETED)).toEqual([0, 1, 2, 3]);
  });

  it("stops hopeless later trials with the curve-prediction rule once curves have completed", async () => {
    const { experiment, scheduler } = training(new CurvePredictionEarlyStoppingStrategy({ minCurves: 3 }));
    await scheduler.runNTrials({ maxTrials: 4 });
    await scheduler.runNTrials({ maxTrials: 8 });
    const q = (i: number) => quality(experiment.getTrial(i).arms[0]!.parameters);
    const bestFirst = Math.min(...[0, 1, 2, 3].map(q));
    const stoppedEarly = indicesWith(experiment, TrialStatus.EARLY_STOPPED);
    expect(stoppedEarly.length).toBeGreaterThanOrEqual(1);
    for (const i of stoppedEarly) {
      expect(i).toBeGreaterThanOrEqual(4);
      // Only settings clearly worse than the best one seen are stopped.
      expect(q(i)).toBeGreaterThan(bestFirst);
      expect(experiment.getTrial(i).failureReason).toMatch(
        /predicts [\d.]+ at step 10 .* worse than the best final value/,
      );
    }
  });
});
