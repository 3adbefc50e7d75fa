import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  branin,
  Client,
  chooseGenerationStrategy,
  Data,
  DBSettings,
  Experiment,
  experimentToTable,
  FakeClock,
  type JsonValue,
  Metric,
  Objective,
  OptimizationConfig,
  type Parameterization,
  ParameterType,
  RangeParameter,
  Runner,
  registerMetric,
  registerRunner,
  Scheduler,
  SchedulerOptions,
  SearchSpace,
  type Trial,
  TrialStatus,
} from "../src/index.js";
import { tempDir } from "./support/temp-dir.js";

/** The user's external system: every job is done when first asked. */
const queue = {
  jobs: new Map<number, Parameterization>(),
  schedule(parameters: Parameterization): number {
    const id = this.jobs.size;
    this.jobs.set(id, parameters);
    return id;
  },
  status(_jobId: JsonValue | undefined): TrialStatus {
    return TrialStatus.COMPLETED;
  },
  outcome(jobId: JsonValue | undefined): number {
    const p = this.jobs.get(Number(jobId))!;
    return branin(p.x1 as number, p.x2 as number);
  },
};

class MockJobRunner extends Runner {
  async run(trial: Trial) {
    return { jobId: queue.schedule(trial.arm.parameters) };
  }
}
class BraninForMockJobMetric extends Metric {
  async fetchTrialData(trial: Trial) {
    const value = queue.outcome(trial.runMetadata.jobId);
    return Data.fromRows([
      { trialIndex: trial.index, armName: trial.arm.name, metricName: this.name, mean: value, sem: null },
    ]);
  }
}
class MockJobQueueScheduler extends Scheduler {
  override async pollTrialStatus() {
    const byStatus = new Map<TrialStatus, Set<number>>();
    for (const trial of this.runningTrials) {
      const status = queue.status(trial.runMetadata.jobId);
      if (!byStatus.has(status)) byStatus.set(status, new Set());
      byStatus.get(status)!.add(trial.index);
    }
    return byStatus;
  }
}

/** The tutorial's experiment, exactly as a user writes it (plus a clock where the test needs fake time). */
function makeBraninExperiment(clock?: FakeClock): Experiment {
  return new Experiment({
    name: "branin_test_experiment",
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
        new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new BraninForMockJobMetric({ name: "branin" }), minimize: true }),
    }),
    runner: new MockJobRunner(),
    isTest: true,
    ...(clock ? { clock } : {}),
  });
}

describe("the promised API shape", () => {
  it("runs the tutorial's Scheduler flow as written", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const experiment = makeBraninExperiment(new FakeClock());
      const generationStrategy = chooseGenerationStrategy({
        searchSpace: experiment.searchSpace,
        maxParallelismCap: 3,
      });
      const scheduler = new MockJobQueueScheduler({
        experiment,
        generationStrategy,
        options: new SchedulerOptions({}),
      });
      await scheduler.runNTrials({ maxTrials: 3 });
      expect(experiment.numTrials).toBe(3);
      await scheduler.runNTrials({ maxTrials: 3, timeoutHours: 0.00001 });
      const before = experiment.numTrials;
      const reports: unknown[] = [];
      for await (const report of scheduler.runTrialsAndYieldResults({ maxTrials: 6 })) reports.push(report);
      expect(experiment.numTrials - before).toBe(6);
      // What is yielded is what reportResults() returns, once per change at most (plus a final report).
      expect(reports.length).toBeGreaterThanOrEqual(1);
      expect(reports.length).toBeLessThanOrEqual(7);
      for (const report of reports) expect(report).toEqual({ success: true, outputs: {} });
      const table = experimentToTable(experiment);
      expect(table.length).toBe(experiment.numTrials);
      expect(table.every((row) => row.trialStatus === TrialStatus.COMPLETED)).toBe(true);
      expect(experiment.immutableSearchSpaceAndOptConfig).toBe(true);
    } finally {
      log.mockRestore();
      errors.mockRestore();
    }
  });

  it("runs the ask/tell Client flow as written", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const client = new Client({ seed: 0 });
      await client.createExperiment({
        name: "branin",
        parameters: [
          { name: "x1", type: "range", bounds: [-5, 10], valueType: "float" },
          { name: "x2", type: "range", bounds: [0, 15] },
          { name: "kind", type: "choice", values: ["a", "b"], isOrdered: false },
          { name: "n", type: "range", bounds: [1, 64], valueType: "int", logScale: true },
        ],
        objectives: { branin: { minimize: true } },
        outcomeConstraints: ["cost <= 10"],
      });
      const { trialIndex, parameters } = await client.getNextTrial();
      expect(Object.keys(parameters).sort()).toEqual(["kind", "n", "x1", "x2"]);
      await client.completeTrial(trialIndex, { branin: 1.5, cost: [3.2, 0.1] });
      const best = await client.getBestParameters();
      expect(best).toEqual({
        parameters,
        values: { branin: 1.5, cost: 3.2 },
        trialIndex,
        rule: "observed",
        reason: expect.stringContaining("no model yet"),
      });
    } finally {
      log.mockRestore();
    }
  });

  it("stores and resumes as the tutorial's SQL section shows", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const url = `sqlite:${join(tempDir("ascent-api-"), "ascent.db")}`;
      registerMetric(BraninForMockJobMetric);
      registerRunner(MockJobRunner);
      const experiment = makeBraninExperiment();
      const generationStrategy = chooseGenerationStrategy({ searchSpace: experiment.searchSpace });
      const options = new SchedulerOptions({ initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 });
      const dbSettings = new DBSettings({ url });
      const scheduler = new MockJobQueueScheduler({ experiment, generationStrategy, options, dbSettings });
      await scheduler.runNTrials({ maxTrials: 3 });
      await (await dbSettings.openStore()).close();

      // Later, as another process would: new settings, new objects, everything from the database.
      const later = new DBSettings({ url });
      const resumed = await MockJobQueueScheduler.fromStoredExperiment({
        experimentName: "branin_test_experiment",
        options,
        dbSettings: later,
      });
      expect(resumed).toBeInstanceOf(MockJobQueueScheduler);
      expect(resumed.experiment.numTrials).toBe(3);
      await resumed.runNTrials({ maxTrials: 3 });
      expect(resumed.experiment.numTrials).toBe(6);
      const arms = new Set([...resumed.experiment.trials.values()].map((t) => t.arms[0]!.signature));
      expect(arms.size).toBe(6);

      const client = new Client({ dbSettings: later, seed: 0 });
      await client.createExperiment({
        name: "branin",
        parameters: [
          { name: "x1", type: "range", bounds: [-5, 10] },
          { name: "x2", type: "range", bounds: [0, 15] },
        ],
        objectives: { branin: { minimize: true } },
      });
      const { trialIndex } = await client.getNextTrial();
      await client.completeTrial(trialIndex, 12.5);
      const loaded = await Client.load({ experimentName: "branin", dbSettings: later });
      expect(loaded.getTrial(trialIndex).status).toBe(TrialStatus.COMPLETED);
      expect((await loaded.getBestParameters())?.values).toEqual({ branin: 12.5 });
      await (await later.openStore()).close();
    } finally {
      log.mockRestore();
      errors.mockRestore();
    }
  });
});
