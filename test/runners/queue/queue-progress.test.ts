/**
 * QueueRunner progress with real worker processes and the machine's Redis: each `ctx.report` of a
 * worker's evaluation reaches the Scheduler as a stored curve point, a strategy stops the hopeless trial,
 * and it ends EARLY_STOPPED with its reason and its last value as result.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QueueRunner, RESULT_KEY, Scheduler, SchedulerOptions, TrialStatus } from "../../../src/index.js";
import { experimentFromOptions } from "../../../src/service/experiment-from-options.js";
import { LogLevel } from "../../../src/util/logger.js";
import { StopAbove } from "../../support/stop-above.js";
import { lossAt } from "./fixtures/curve-evaluate.js";
import { captureLogger, REDIS_URL, sobolOnly, startWorkerProcess, testQueue } from "./support.js";

const MODULE = "test/runners/queue/fixtures/curve-evaluate.ts";

describe("QueueRunner progress", () => {
  it("delivers every reported step from worker processes, and a strategy stops the hopeless trial", async () => {
    const queueName = testQueue();
    const marks = mkdtempSync(join(tmpdir(), "ascent-queue-progress-"));
    await startWorkerProcess(REDIS_URL, queueName, marks, ["--module", MODULE, "--concurrency", "3"]);
    const runner = new QueueRunner({
      connection: { url: REDIS_URL },
      queueName,
      logger: captureLogger("QueueRunner").logger,
    });
    try {
      const experiment = experimentFromOptions({
        name: "queue_progress",
        parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
        objectives: { loss: { minimize: true } },
      });
      experiment.runner = runner;
      const scheduler = new Scheduler({
        experiment,
        generationStrategy: sobolOnly(),
        options: new SchedulerOptions({
          totalTrials: 3,
          maxPendingTrials: 3,
          initSecondsBetweenPolls: 0.05,
          minSecondsBeforePoll: 0,
          loggingLevel: LogLevel.ERROR,
          earlyStoppingStrategy: new StopAbove(5, 3),
        }),
      });
      await scheduler.runAllTrials();

      const hopeless = experiment.getTrial(1);
      expect(hopeless.status).toBe(TrialStatus.EARLY_STOPPED);
      expect(hopeless.failureReason).toMatch(/^loss 10\.\d+ at step \d+ is above 5$/);
      const curve = experiment.curve(1, "loss");
      const last = curve.at(-1)!;
      expect(last.progression).toBeGreaterThanOrEqual(3);
      expect(curve.map((p) => p.progression)).toEqual(Array.from({ length: curve.length }, (_, i) => i + 1));
      expect(curve.map((p) => p.mean)).toEqual(curve.map((p) => lossAt(1, p.progression)));
      expect(hopeless.runMetadata[RESULT_KEY]).toEqual({ loss: [last.mean, null] });
      for (const index of [0, 2]) {
        expect(experiment.getTrial(index).status).toBe(TrialStatus.COMPLETED);
        expect(experiment.curve(index, "loss").map((p) => [p.progression, p.mean])).toEqual(
          [1, 2, 3, 4, 5].map((s) => [s, lossAt(index, s)]),
        );
        expect(experiment.lookupData({ trialIndices: [index] }).rows.map((r) => r.mean)).toEqual([
          lossAt(index, 5),
        ]);
      }

      // Every step stays in Redis: a new runner (a resumed Scheduler's) reads them all again, once.
      const again = new QueueRunner({ connection: { url: REDIS_URL }, queueName });
      try {
        const records = await again.takeProgress(experiment.getTrial(0));
        expect(records.map((r) => r.progression.step)).toEqual([1, 2, 3, 4, 5]);
        expect(await again.takeProgress(experiment.getTrial(0))).toEqual([]);
      } finally {
        await again.close();
      }
    } finally {
      await runner.close();
    }
  });
});
