/**
 * How the Scheduler stores what a `ProgressSource` runner hands it: every record as rows with its
 * progression, saved to the store; values of undeclared metrics, malformed records and (metric,
 * progression) pairs already stored skipped; a source that throws costing only that round.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import { Experiment } from "../../src/core/experiment.js";
import { Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import type { ProgressRecord } from "../../src/core/progress-record.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { ResultMetric } from "../../src/core/result-metric.js";
import {
  type ProgressSource,
  Runner,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
} from "../../src/core/runner.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { registerRunner, unregisterRunner } from "../../src/storage/codec/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { captureLogger, sobolStrategy } from "./fixtures.js";

/**
 * A trial's script: what each call of `takeProgress` returns (or throws), in order; the trial completes
 * with `result` at the poll after its script ran out.
 */
interface Script {
  takes: (readonly unknown[] | Error)[];
  result: unknown;
}

class ScriptedRunner extends Runner implements TrialStatusPoller, ProgressSource, TrialResultReporter {
  readonly takes = new Map<number, number>();
  constructor(private readonly scripts: (index: number) => Script) {
    super();
  }
  async run(): Promise<RunMetadata> {
    return {};
  }
  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    const done = trials.filter((t) => (this.takes.get(t.index) ?? 0) >= this.scripts(t.index).takes.length);
    return new Map([[TrialStatus.COMPLETED, new Set(done.map((t) => t.index))]]);
  }
  takeProgress(trial: BaseTrial): readonly ProgressRecord[] {
    const n = this.takes.get(trial.index) ?? 0;
    this.takes.set(trial.index, n + 1);
    const take = this.scripts(trial.index).takes[n] ?? [];
    if (take instanceof Error) throw take;
    return take as ProgressRecord[];
  }
  pollTrialResult(trial: BaseTrial): unknown {
    return this.scripts(trial.index).result;
  }
}

function experimentWith(runner: Runner): Experiment {
  const experiment = new Experiment({
    name: "progress_collector",
    searchSpace: new SearchSpace({
      parameters: [new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 })],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ResultMetric({ name: "loss" }), minimize: true }),
    }),
    runner,
    isTest: true,
  });
  experiment.addTrackingMetric(new ResultMetric({ name: "accuracy" }));
  return experiment;
}

const at = (step: number, values: Record<string, unknown>) => ({ progression: { step }, values });

beforeAll(() => {
  registerRunner(ScriptedRunner, {
    encode: () => ({}),
    decode: () => new ScriptedRunner(() => ({ takes: [], result: null })),
  });
});
afterAll(() => unregisterRunner(ScriptedRunner));

describe("the Scheduler storing progress", () => {
  it("stores each record as rows with its progression, skipping undeclared metrics, malformed records and repeats", async () => {
    const runner = new ScriptedRunner(() => ({
      takes: [
        [at(1, { loss: 0.9, accuracy: [0.5, 0.01], unknownMetric: 3 }), at(2, { loss: 0.8 })],
        new Error("the log is not readable yet"),
        [
          at(2, { loss: 0.8 }),
          { progression: {}, values: { loss: 1 } },
          at(3, { loss: "x" }),
          at(4, { loss: 0.6 }),
        ],
      ],
      result: { loss: 0.55, accuracy: 0.7 },
    }));
    const experiment = experimentWith(runner);
    const store = new MemoryStore();
    const { logger, lines } = captureLogger();
    const scheduler = new Scheduler({
      experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0, totalTrials: 2 }),
      store,
      logger,
    });
    await scheduler.runAllTrials();

    for (const index of [0, 1]) {
      expect(experiment.getTrial(index).status).toBe(TrialStatus.COMPLETED);
      expect(experiment.curve(index, "loss").map((p) => [p.progression, p.mean])).toEqual([
        [1, 0.9],
        [2, 0.8],
        [4, 0.6],
      ]);
      expect(experiment.curve(index, "accuracy")).toEqual([{ progression: 1, mean: 0.5, sem: 0.01 }]);
      // The final result wins over the progress as the trial's value.
      expect(experiment.lookupData({ trialIndices: [index], metricNames: ["loss"] }).rows[0]?.mean).toBe(
        0.55,
      );
    }
    expect(experiment.metrics.map((m) => m.name)).not.toContain("unknownMetric");
    expect(lines.filter((l) => l.includes('progress of "unknownMetric"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("the log is not readable yet"))).toHaveLength(2);
    expect(lines.some((l) => /Skipping a progress record of trial 0: the progression must be/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => /Skipping a progress record of trial 0: value of "loss"/.test(l))).toBe(true);

    // Saved as rows: the stored experiment has the same curves.
    const loaded = (await store.loadExperiment(experiment.name))!;
    for (const index of [0, 1]) expect(loaded.curve(index, "loss")).toEqual(experiment.curve(index, "loss"));
  });
});
