import { describe, expect, it } from "vitest";
import { TrialType } from "../../src/core/base-trial.js";
import { SchedulerError } from "../../src/errors.js";
import { Orchestrator, OrchestratorOptions, Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { LogLevel } from "../../src/util/logger.js";

describe("SchedulerOptions", () => {
  it("has Ax's defaults", () => {
    const o = new SchedulerOptions();
    expect(o).toMatchObject({
      trialType: "Trial",
      batchSize: null,
      totalTrials: null,
      toleratedTrialFailureRate: 0.5,
      minFailedTrialsForFailureRateCheck: 5,
      logFilepath: null,
      loggingLevel: LogLevel.INFO,
      ttlSecondsForTrials: null,
      initSecondsBetweenPolls: 1,
      minSecondsBeforePoll: 1,
      secondsBetweenPollsBackoffFactor: 1.5,
      timeoutHours: null,
      runTrialsInBatches: false,
      maxPendingTrials: 10,
      earlyStoppingStrategy: null,
      suppressStorageErrors: false,
      waitForRunningTrials: true,
      idleCallback: null,
    });
    expect(o.loggingLevel).toBe(20);
    expect(Object.isFrozen(o)).toBe(true);
  });

  it("takes Ax's options in camelCase and copies with overrides", () => {
    const o = new SchedulerOptions({ trialType: TrialType.BATCH_TRIAL, batchSize: 4, totalTrials: 20 });
    expect(o.trialType).toBe("BatchTrial");
    const p = o.with({ totalTrials: 30 });
    expect(p.totalTrials).toBe(30);
    expect(p.batchSize).toBe(4);
    expect(o.totalTrials).toBe(20);
  });

  it.each([
    [{ toleratedTrialFailureRate: 1 }, /toleratedTrialFailureRate must be in \[0, 1\)/],
    [{ toleratedTrialFailureRate: -0.1 }, /toleratedTrialFailureRate/],
    [{ initSecondsBetweenPolls: -1 }, /initSecondsBetweenPolls must be a finite number of seconds >= 0/],
    [{ minSecondsBeforePoll: Number.NaN }, /minSecondsBeforePoll/],
    [
      { secondsBetweenPollsBackoffFactor: 0.5 },
      /secondsBetweenPollsBackoffFactor must be a finite number >= 1/,
    ],
    [{ batchSize: 0 }, /batchSize must be an integer >= 1/],
    [{ batchSize: 3 }, /needs trialType "BatchTrial"/],
    [{ maxPendingTrials: 0 }, /maxPendingTrials must be an integer >= 1/],
    [{ totalTrials: 2.5 }, /totalTrials must be an integer >= 0/],
    [{ ttlSecondsForTrials: 0 }, /ttlSecondsForTrials must be a number > 0/],
    [{ timeoutHours: -1 }, /timeoutHours/],
    [{ trialType: "Batch" as TrialType }, /trialType must be "Trial" or "BatchTrial"/],
    [{ loggingLevel: 25 as LogLevel }, /loggingLevel must be one of/],
  ])("refuses %o with a SchedulerError", (init, message) => {
    expect(() => new SchedulerOptions(init)).toThrow(SchedulerError);
    expect(() => new SchedulerOptions(init)).toThrow(message);
  });

  it("refuses unknown keys, suggesting the camelCase name for Ax's snake_case", () => {
    const init = { total_trials: 5 } as unknown as ConstructorParameters<typeof SchedulerOptions>[0];
    expect(() => new SchedulerOptions(init)).toThrow(
      'Unknown SchedulerOptions option "total_trials". Did you mean "totalTrials"?',
    );
  });

  it("exports the Ax 1.x names as the same classes", () => {
    expect(OrchestratorOptions).toBe(SchedulerOptions);
    expect(Orchestrator).toBe(Scheduler);
    expect(new OrchestratorOptions({ totalTrials: 3 })).toBeInstanceOf(SchedulerOptions);
  });
});
