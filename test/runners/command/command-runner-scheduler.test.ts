/**
 * CommandRunner through the Scheduler: results in each form kept with their trials and read by the
 * ResultMetric, keys the experiment does not declare tracked, and the runner's failure reasons stored as
 * the trials' failureReason. What each trial does: fixtures/trial-program.mjs, mode "scheduler".
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CommandRunner,
  DBSettings,
  Experiment,
  GenerationStep,
  GenerationStrategy,
  Generators,
  LogLevel,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  RESULT_KEY,
  ResultMetric,
  Scheduler,
  SchedulerOptions,
  SearchSpace,
  TrialStatus,
} from "../../../src/index.js";
import { tempDir } from "../../support/temp-dir.js";
import { NODE, PROGRAM } from "./support.js";

describe("CommandRunner through the Scheduler", () => {
  it("keeps each trial's result or failure reason with the trial, stored on SQLite", async () => {
    const dir = tempDir();
    const experiment = new Experiment({
      name: "Command runner: scheduler",
      searchSpace: new SearchSpace({
        parameters: [
          new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
        ],
      }),
      optimizationConfig: new OptimizationConfig({
        objective: new Objective({ metric: new ResultMetric({ name: "loss" }), minimize: true }),
      }),
      runner: new CommandRunner({
        command: [NODE, PROGRAM, "scheduler"],
        workDir: join(dir, "trials"),
        timeoutSeconds: 1.5,
        killGraceSeconds: 0.5,
      }),
    });
    const dbSettings = new DBSettings({ url: `sqlite:${join(dir, "ascent.db")}` });
    const scheduler = new Scheduler({
      experiment,
      generationStrategy: new GenerationStrategy({
        steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
        seed: 3,
      }),
      options: new SchedulerOptions({
        totalTrials: 7,
        maxPendingTrials: 7,
        initSecondsBetweenPolls: 5,
        minSecondsBeforePoll: 0,
        toleratedTrialFailureRate: 0.9,
        loggingLevel: LogLevel.ERROR,
      }),
      dbSettings,
    });
    await scheduler.runAllTrials();

    const store = await dbSettings.openStore();
    const stored = (await store.loadExperiment(experiment.name))!;
    await store.close();
    const trial = (i: number) => stored.getTrial(i);
    const x = (i: number) => trial(i).arms[0]!.parameters.x as number;
    const loss = (i: number) => stored.lookupTrialData(i).rows.find((r) => r.metricName === "loss");

    // A bare number is the single objective's value.
    expect(trial(0).status).toBe(TrialStatus.COMPLETED);
    expect(trial(0).runMetadata[RESULT_KEY]).toEqual({ loss: x(0) });
    expect(loss(0)?.mean).toBe(x(0));
    // A key the experiment does not declare becomes a tracking metric.
    expect(trial(1).status).toBe(TrialStatus.COMPLETED);
    expect(stored.metrics.map((m) => m.name)).toContain("extra");
    // A non-zero exit: FAILED with the code and the end of stderr.
    expect(trial(2).status).toBe(TrialStatus.FAILED);
    expect(trial(2).failureReason).toContain("Trial 2: the command exited with code 3.");
    expect(trial(2).failureReason).toContain("CUDA out of memory");
    // The result file, with a sem.
    expect(trial(3).status).toBe(TrialStatus.COMPLETED);
    expect(loss(3)).toMatchObject({ mean: x(3), sem: 0.1 });
    // No result: FAILED, quoting stdout.
    expect(trial(4).status).toBe(TrialStatus.FAILED);
    expect(trial(4).failureReason).toContain(`loss=${x(4)}`);
    // The time limit: the group killed, FAILED.
    expect(trial(5).status).toBe(TrialStatus.FAILED);
    expect(trial(5).failureReason).toContain("Trial 5 timed out after 1.5 s");
    // A result without the objective: the fetch fails, the trial is ABANDONED with a reason quoting it.
    expect(trial(6).status).toBe(TrialStatus.ABANDONED);
    expect(trial(6).failureReason).toContain('"loss"');
  }, 30_000);
});
