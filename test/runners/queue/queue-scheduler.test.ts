import { afterEach, describe, expect, it } from "vitest";
import { QueueRunner, QueueWorker, Scheduler, SchedulerOptions, TrialStatus } from "../../../src/index.js";
import { LogLevel } from "../../../src/util/logger.js";
import { evaluate } from "./fixtures/evaluate.js";
import { captureLogger, fixtureExperiment, REDIS_URL, sobolOnly, testQueue } from "./support.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setUp(
  name: string,
  workers: number[],
  options: Partial<ConstructorParameters<typeof SchedulerOptions>[0]> = {},
) {
  const queueName = testQueue();
  for (const concurrency of workers) {
    const w = new QueueWorker({
      connection: { url: REDIS_URL },
      queueName,
      evaluate,
      concurrency,
      logger: captureLogger("w").logger,
    });
    open.push(w);
    await w.start();
  }
  const { logger, lines } = captureLogger("QueueRunner");
  const runner = new QueueRunner({ connection: { url: REDIS_URL }, queueName, logger, backoffSeconds: 0.05 });
  open.push(runner);
  const experiment = fixtureExperiment(name, 0.1);
  experiment.runner = runner;
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: sobolOnly(),
    options: new SchedulerOptions({
      initSecondsBetweenPolls: 1,
      minSecondsBeforePoll: 0,
      loggingLevel: LogLevel.ERROR,
      ...options,
    }),
  });
  return { scheduler, experiment, runner, lines };
}

describe("QueueRunner through the Scheduler", () => {
  it("runs every trial on the workers and keeps each result with its trial", async () => {
    const { scheduler, experiment } = await setUp("queue_e2e", [2, 2], { maxPendingTrials: 4 });
    await scheduler.runNTrials({ maxTrials: 10 });
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(10);
    for (const trial of experiment.trials.values()) {
      const result = trial.runMetadata.result as { value: number; pid: number };
      expect(result.value).toBeCloseTo(Number(trial.arms[0]!.parameters.x1) * 2);
      expect(result.pid).toBe(process.pid);
      expect(trial.runMetadata.jobId).toMatch(/^queue_e2e-[0-9a-f]{12}-t\d+$/);
    }
    // Result keys the experiment did not declare are tracked, not dropped.
    expect(experiment.metrics.map((m) => m.name).sort()).toEqual(["pid", "value"]);
  });

  it("with runTrialsInBatches, deploys as many trials at once as the workers have free slots", async () => {
    const { scheduler, experiment, runner } = await setUp("queue_batches", [3], {
      runTrialsInBatches: true,
      maxPendingTrials: 10,
    });
    const batchSizes: number[] = [];
    const runMultiple = runner.runMultiple.bind(runner);
    runner.runMultiple = (trials) => {
      batchSizes.push(trials.length);
      return runMultiple(trials);
    };
    await scheduler.runNTrials({ maxTrials: 6 });
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
    // The first batch fills the one worker's 3 slots; none ever exceeds them.
    expect(batchSizes[0]).toBe(3);
    expect(Math.max(...batchSizes)).toBe(3);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(6);
  });
});
