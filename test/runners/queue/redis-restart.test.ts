/**
 * Redis dies while trials run and comes back empty (a restart without persistence): the Scheduler logs,
 * keeps its trials RUNNING while it cannot poll, and carries on; jobs Redis lost are queued again, so no
 * trial is lost, none is created twice and each completes once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { QueueRunner, Scheduler, SchedulerOptions, TrialStatus } from "../../../src/index.js";
import { LogLevel } from "../../../src/util/logger.js";
import { tempDir } from "../../support/temp-dir.js";
import {
  captureLogger,
  fixtureExperiment,
  marksOf,
  sobolOnly,
  startThrowawayRedis,
  startWorkerProcess,
  waitFor,
} from "./support.js";

const TOTAL = 12;
const runners: QueueRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close();
});

describe("QueueRunner when Redis restarts", () => {
  it("the run carries on after Redis comes back empty; every trial completes once", async () => {
    const redis = await startThrowawayRedis();
    const marks = tempDir();
    const fast = ["--heartbeat", "1", "--lock-duration", "2", "--stalled-interval", "0.5"];
    await Promise.all([0, 1, 2].map(() => startWorkerProcess(redis.url, "restart", marks, fast)));
    const { logger, lines } = captureLogger("QueueRunner");
    const runner = new QueueRunner({ connection: { url: redis.url }, queueName: "restart", logger });
    runners.push(runner);
    const experiment = fixtureExperiment("restart_test", 0.4);
    experiment.runner = runner;
    const schedulerLog = captureLogger("Scheduler");
    const scheduler = new Scheduler({
      experiment,
      generationStrategy: sobolOnly(),
      options: new SchedulerOptions({
        totalTrials: TOTAL,
        maxPendingTrials: 3,
        initSecondsBetweenPolls: 0.2,
        minSecondsBeforePoll: 0,
        loggingLevel: LogLevel.WARNING,
      }),
      logger: schedulerLog.logger,
    });
    const run = scheduler.runAllTrials();
    await waitFor(
      () => experiment.countTrialsWithStatus(TrialStatus.COMPLETED) >= 3,
      "3 completed trials",
      30_000,
    );
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.start();
    await run;

    expect(experiment.numTrials).toBe(TOTAL);
    const notCompleted = [...experiment.trials.values()]
      .filter((t) => t.status !== TrialStatus.COMPLETED)
      .map((t) => `${t.index} ${t.status} ${t.failureReason ?? ""}`);
    expect(notCompleted, schedulerLog.lines.join("\n")).toEqual([]);
    for (const trial of experiment.trials.values()) {
      expect(trial.runMetadata.result).toMatchObject({ value: Number(trial.arms[0]!.parameters.x1) * 2 });
    }
    const log = lines.join("\n");
    expect(log).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+: .*; reconnecting\./);
    expect(log).toContain("Redis lost the jobs of trials");
    // Each trial's evaluation was kept once; a job lost with Redis was evaluated again, never twice kept.
    const done = marksOf(marks, "restart_test", "done-").map((m) => Number(m.split("-")[1]));
    expect(new Set(done)).toEqual(new Set(experiment.trials.keys()));
  }, 60_000);
});
