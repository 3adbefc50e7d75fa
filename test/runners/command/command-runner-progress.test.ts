/**
 * CommandRunner progress through the Scheduler: processes append JSON lines to $ASCENT_PROGRESS_FILE
 * (fixtures/progress-program.mjs); each step becomes a stored point of the trial's curve, a strategy stops
 * the hopeless trial (its process is killed) and it ends EARLY_STOPPED with its last value as its result;
 * a Scheduler resumed from SQLite reads the file again and stores no step twice.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CommandRunner,
  DBSettings,
  type EarlyStoppingStrategy,
  Experiment,
  GenerationStep,
  GenerationStrategy,
  Generators,
  Logger,
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
import { StopAbove } from "../../support/stop-above.js";
import { tempDir } from "../../support/temp-dir.js";
import { NODE } from "./support.js";

const PROGRAM = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "progress-program.mjs");

function setUp(
  mode: string,
  options: { strategy?: EarlyStoppingStrategy; dir?: string; warnings?: string[] },
) {
  const dir = options.dir ?? tempDir();
  const runner = new CommandRunner({
    command: [NODE, PROGRAM, mode],
    workDir: join(dir, "trials"),
    killGraceSeconds: 1,
    logger: new Logger({
      name: "test",
      level: LogLevel.WARNING,
      sink: (line) => options.warnings?.push(line),
    }),
  });
  const experiment = new Experiment({
    name: `progress-${mode}`,
    searchSpace: new SearchSpace({
      parameters: [new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 })],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ResultMetric({ name: "loss" }), minimize: true }),
    }),
    runner,
  });
  const dbSettings = new DBSettings({ url: `sqlite:${join(dir, "ascent.db")}` });
  const schedulerOptions = new SchedulerOptions({
    totalTrials: 3,
    maxPendingTrials: 3,
    initSecondsBetweenPolls: 0.05,
    minSecondsBeforePoll: 0,
    loggingLevel: LogLevel.ERROR,
    earlyStoppingStrategy: options.strategy ?? null,
  });
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
      seed: 0,
    }),
    options: schedulerOptions,
    dbSettings,
  });
  return { dir, experiment, scheduler, dbSettings, schedulerOptions };
}

const lossAt = (index: number, step: number) => 0.1 * (index + 1) + 1 / step;

describe("CommandRunner progress", () => {
  it("stores each line as a curve point, skips malformed lines, and stops the hopeless trial with its last value", async () => {
    const warnings: string[] = [];
    const strategy = new StopAbove(5, 3);
    const { experiment, scheduler, dbSettings } = setUp("curve", { strategy, warnings });
    await scheduler.runAllTrials();

    const hopeless = experiment.getTrial(1);
    expect(hopeless.status).toBe(TrialStatus.EARLY_STOPPED);
    expect(hopeless.failureReason).toMatch(/^loss 10\.\d+ at step \d+ is above 5$/);
    const curve = experiment.curve(1, "loss");
    const last = curve.at(-1)!;
    expect(last.progression).toBeGreaterThanOrEqual(3);
    expect(curve.map((p) => p.progression)).toEqual(Array.from({ length: curve.length }, (_, i) => i + 1));
    // Killed by the stop without a result of its own: its last reported value is its result.
    expect(hopeless.runMetadata[RESULT_KEY]).toEqual({ loss: [last.mean, null] });
    expect(experiment.lookupData({ trialIndices: [1] }).rows.map((r) => r.mean)).toEqual([last.mean]);

    for (const index of [0, 2]) {
      expect(experiment.getTrial(index).status).toBe(TrialStatus.COMPLETED);
      expect(experiment.curve(index, "loss").map((p) => [p.progression, p.mean])).toEqual(
        [1, 2, 3, 4, 5].map((s) => [s, lossAt(index, s)]),
      );
    }
    expect(warnings.filter((w) => /skipping line 2 of its progress file .*not JSON/.test(w))).toHaveLength(2);

    // Everything reached the store: the curves load back as they were.
    const store = await dbSettings.openStore();
    try {
      const loaded = (await store.loadExperiment(experiment.name))!;
      for (const index of [0, 1, 2])
        expect(loaded.curve(index, "loss")).toEqual(experiment.curve(index, "loss"));
      expect(loaded.getTrial(1).status).toBe(TrialStatus.EARLY_STOPPED);
    } finally {
      await store.close();
    }
  });

  it("a Scheduler resumed from SQLite re-reads progress files and stores no step twice", async () => {
    const first = setUp("resume", {});
    const running = first.scheduler.runAllTrials();
    // Wait until steps 1-3 of every trial are stored, then stop the run: the processes go on.
    while ([0, 1, 2].some((i) => first.experiment.curve(i, "loss").length < 3)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    first.scheduler.stop();
    await running;
    expect([0, 1, 2].map((i) => first.experiment.getTrial(i).status)).toEqual([
      TrialStatus.RUNNING,
      TrialStatus.RUNNING,
      TrialStatus.RUNNING,
    ]);

    const resumed = await Scheduler.fromStoredExperiment({
      experimentName: first.experiment.name,
      dbSettings: first.dbSettings,
      options: first.schedulerOptions,
    });
    for (const i of [0, 1, 2]) {
      writeFileSync(join(first.dir, "trials", first.experiment.name, String(i), "release"), "");
    }
    await resumed.runAllTrials();
    const experiment = resumed.experiment;
    for (const index of [0, 1, 2]) {
      expect(experiment.getTrial(index).status).toBe(TrialStatus.COMPLETED);
      const rows = experiment.lookupCurveData({ trialIndices: [index] }).rows.filter((r) => r.progression);
      expect(rows.map((r) => r.progression!.step)).toEqual([1, 2, 3, 4, 5]);
    }
    const store = await first.dbSettings.openStore();
    try {
      const loaded = (await store.loadExperiment(experiment.name))!;
      for (const index of [0, 1, 2]) {
        const rows = loaded.lookupCurveData({ trialIndices: [index] }).rows.filter((r) => r.progression);
        expect(rows.map((r) => r.progression!.step)).toEqual([1, 2, 3, 4, 5]);
      }
    } finally {
      await store.close();
    }
  });
});
