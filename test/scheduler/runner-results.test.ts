import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import { Experiment } from "../../src/core/experiment.js";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { MultiObjective, Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ComparisonOp, OutcomeConstraint } from "../../src/core/outcome-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { ResultMetric } from "../../src/core/result-metric.js";
import {
  Runner,
  type TrialChangeNotifier,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
} from "../../src/core/runner.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { registerRunner, unregisterRunner } from "../../src/storage/codec/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { SystemClock } from "../../src/util/clock.js";
import { captureLogger, sobolStrategy } from "./fixtures.js";
import { REAL_STORES } from "./stored-fixtures.js";

const FAST = { initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 } as const;

/**
 * A runner that evaluates each trial in-process with `evaluate` and reports it COMPLETED at the next
 * poll, with the value as its result; it tells listeners when a trial finished.
 */
class ResultRunner extends Runner implements TrialStatusPoller, TrialResultReporter, TrialChangeNotifier {
  readonly results = new Map<number, unknown>();
  /** Trial indices `pollTrialResult` was asked about, in order. */
  readonly asked: number[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly evaluate: (p: Record<string, unknown>, index: number) => unknown = () => 1) {
    super();
  }

  async run(trial: BaseTrial): Promise<RunMetadata> {
    const params = (trial.arms[0]?.parameters ?? {}) as Record<string, unknown>;
    this.results.set(trial.index, this.evaluate(params, trial.index));
    for (const l of this.listeners) l();
    return { evaluated: true };
  }

  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    const done = new Set(trials.filter((t) => this.results.has(t.index)).map((t) => t.index));
    return new Map([[TrialStatus.COMPLETED, done]]);
  }

  pollTrialResult(trial: BaseTrial): unknown {
    this.asked.push(trial.index);
    return this.results.get(trial.index);
  }

  onTrialChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function experimentWith(
  runner: Runner,
  config: { objectives?: string[]; constraint?: string } = {},
  name = "results_experiment",
): Experiment {
  const metric = (n: string) => new ResultMetric({ name: n });
  const objectives = (config.objectives ?? ["loss"]).map(
    (n) => new Objective({ metric: metric(n), minimize: true }),
  );
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
        new RangeParameter({ name: "y", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: objectives.length === 1 ? objectives[0]! : new MultiObjective({ objectives }),
      outcomeConstraints: config.constraint
        ? [new OutcomeConstraint({ metric: metric(config.constraint), op: ComparisonOp.LEQ, bound: 10 })]
        : [],
    }),
    runner,
    isTest: true,
  });
}

async function runAll(
  experiment: Experiment,
  totalTrials: number,
  store: ExperimentStore = new MemoryStore(),
) {
  const { logger, lines } = captureLogger();
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ ...FAST, totalTrials, toleratedTrialFailureRate: 0.99 }),
    store,
    logger,
  });
  await scheduler.runAllTrials().catch(() => undefined);
  return { scheduler, lines };
}

beforeAll(() => {
  registerRunner(ResultRunner, { encode: () => ({}), decode: () => new ResultRunner() });
});
afterAll(() => {
  unregisterRunner(ResultRunner);
});

describe("results kept with trials", () => {
  it("keeps each result in the run metadata and reads the metrics from it", async () => {
    const runner = new ResultRunner((p) => ({ loss: Number(p.x) + Number(p.y), cost: [2, 0.5] }));
    const experiment = experimentWith(runner, { constraint: "cost" });
    await runAll(experiment, 4);
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(4);
    for (const trial of experiment.trials.values()) {
      const p = trial.arms[0]!.parameters;
      const data = experiment.lookupData({ trialIndices: [trial.index] }).rows;
      expect(trial.runMetadata.result).toEqual({ loss: Number(p.x) + Number(p.y), cost: [2, 0.5] });
      expect(trial.runMetadata.evaluated).toBe(true);
      expect(data.find((r) => r.metricName === "loss")?.mean).toBeCloseTo(Number(p.x) + Number(p.y), 12);
      expect(data.find((r) => r.metricName === "cost")).toMatchObject({ mean: 2, sem: 0.5 });
    }
  });

  it("takes a bare number as the single objective and { mean, sem } objects", async () => {
    const numbers = new ResultRunner((p) => Number(p.x) * 3);
    const single = experimentWith(numbers);
    await runAll(single, 3);
    for (const trial of single.trials.values()) {
      expect(trial.runMetadata.result).toEqual({ loss: Number(trial.arms[0]!.parameters.x) * 3 });
      expect(trial.status).toBe(TrialStatus.COMPLETED);
    }
    const objects = experimentWith(new ResultRunner(() => ({ loss: { mean: 4, sem: 0 } })), {}, "objects");
    await runAll(objects, 2);
    expect(objects.lookupData().rows.map((r) => [r.mean, r.sem])).toEqual([
      [4, 0],
      [4, 0],
    ]);
  });

  it("keeps result keys the experiment does not name as tracking metrics, and stores them", async () => {
    const store = new MemoryStore();
    const runner = new ResultRunner((_p, i) => (i === 0 ? { loss: 1 } : { loss: 2, throughput: 10 * i }));
    const experiment = experimentWith(runner);
    await runAll(experiment, 3, store);
    expect(experiment.trackingMetrics.map((m) => m.name)).toEqual(["throughput"]);
    expect(experiment.trackingMetrics[0]).toBeInstanceOf(ResultMetric);
    const loaded = (await store.loadExperiment(experiment.name))!;
    expect(loaded.trackingMetrics.map((m) => m.name)).toEqual(["throughput"]);
    const stored = loaded.lookupData({ metricNames: ["throughput"] }).rows.map((r) => [r.trialIndex, r.mean]);
    expect(stored).toEqual([
      [1, 10],
      [2, 20],
    ]);
  });

  it("abandons a trial whose result lacks an objective or holds a non-finite value, quoting the result", async () => {
    const runner = new ResultRunner((_p, i) =>
      i === 0 ? { accuracy: 0.9 } : i === 1 ? { loss: Number.NaN } : i === 2 ? "oops" : { loss: 1 },
    );
    const experiment = experimentWith(runner);
    await runAll(experiment, 4);
    const t = (i: number) => experiment.trials.get(i)!;
    expect([0, 1, 2].map((i) => t(i).status)).toEqual(Array(3).fill(TrialStatus.ABANDONED));
    expect(t(3).status).toBe(TrialStatus.COMPLETED);
    expect(t(0).failureReason).toContain("Trial 0");
    expect(t(0).failureReason).toContain('no "loss"');
    expect(t(0).failureReason).toContain('{"accuracy":0.9}');
    expect(t(1).failureReason).toMatch(/Trial 1.*"loss".*"NaN".*not a finite number/);
    expect(t(2).failureReason).toContain('"oops"');
  });

  it("fails a multi-objective trial that returned a bare number", async () => {
    const runner = new ResultRunner(() => 5);
    const experiment = experimentWith(runner, { objectives: ["a", "b"] }, "moo");
    await runAll(experiment, 2);
    const trial = experiment.trials.get(0)!;
    expect(trial.status).toBe(TrialStatus.ABANDONED);
    expect(trial.failureReason).toContain("5");
  });

  for (const [storeName, makeStore] of REAL_STORES) {
    it(`stores the result with the status change, so a resumed Scheduler never asks again (${storeName})`, async () => {
      const { store, reopen } = await makeStore();
      const runner = new ResultRunner((p) => ({ loss: Number(p.x), extra: 1 }));
      const experiment = experimentWith(runner, {}, `results_${storeName.toLowerCase()}`);
      await runAll(experiment, 3, store);
      expect(runner.asked).toEqual([0, 1, 2]);
      const again = await reopen();
      const loaded = (await again.loadExperiment(experiment.name))!;
      for (const trial of loaded.trials.values()) {
        expect(trial.status).toBe(TrialStatus.COMPLETED);
        expect(trial.runMetadata.result).toEqual({ loss: Number(trial.arms[0]!.parameters.x), extra: 1 });
      }
      expect(loaded.trackingMetrics.map((m) => m.name)).toEqual(["extra"]);
      const fresh = new ResultRunner();
      const resumed = await Scheduler.fromStoredExperiment({
        experimentName: experiment.name,
        store: again,
        runner: fresh,
        options: new SchedulerOptions({ ...FAST, totalTrials: 4 }),
        logger: captureLogger().logger,
      });
      expect(resumed.experiment.runner).toBe(fresh);
      await resumed.runAllTrials();
      expect(fresh.asked).toEqual([3]);
    });
  }
});

describe("waking the loop when a runner says a trial changed", () => {
  it("polls at once instead of sleeping out hour-long poll intervals", async () => {
    // Without the wake-up this run would sleep an hour before each poll and time the test out.
    const runner = new ResultRunner(() => ({ loss: 1 }));
    const experiment = experimentWith(runner, {}, "wake");
    const scheduler = new Scheduler({
      experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({
        initSecondsBetweenPolls: 3600,
        minSecondsBeforePoll: 3600,
        totalTrials: 5,
      }),
      clock: new SystemClock(),
      logger: captureLogger().logger,
    });
    await scheduler.runAllTrials();
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);
  });
});

describe("a stop that arrives while a poll finishes the same trial", () => {
  it("waits for the poll's outcome instead of marking the trial twice", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inResult!: () => void;
    const reached = new Promise<void>((resolve) => {
      inResult = resolve;
    });
    class SlowResultRunner extends ResultRunner {
      override pollTrialResult(trial: BaseTrial): unknown {
        inResult();
        return gate.then(() => super.pollTrialResult(trial));
      }
      async stop(): Promise<undefined> {
        return undefined;
      }
    }
    const runner = new SlowResultRunner(() => ({ loss: 3 }));
    const experiment = experimentWith(runner, {}, "stop_race");
    const scheduler = new Scheduler({
      experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...FAST, totalTrials: 1 }),
      logger: captureLogger().logger,
    });
    const run = scheduler.runAllTrials();
    await reached;
    const trial = experiment.trials.get(0)!;
    const stop = scheduler.stopTrialRuns([trial], ["no longer needed"]);
    release();
    const [stopped] = await Promise.all([stop, run]);
    expect(stopped).toEqual([]);
    expect(trial.status).toBe(TrialStatus.COMPLETED);
    expect(experiment.lookupData().rows).toHaveLength(1);
  });
});
