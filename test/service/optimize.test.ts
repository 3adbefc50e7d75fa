import { describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import {
  Runner,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
} from "../../src/core/runner.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { OptimizeArgumentError } from "../../src/errors.js";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { CommandRunner } from "../../src/runners/command/index.js";
import type { EvaluationContext } from "../../src/runners/function/index.js";
import { type OptimizeOptions, optimize } from "../../src/service/optimize.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { FakeClock } from "../../src/util/clock.js";
import { LogLevel } from "../../src/util/logger.js";
import { tempDir } from "../support/temp-dir.js";

const PARAMETERS: OptimizeOptions["parameters"] = [
  { name: "x", type: "range", bounds: [0, 1] },
  { name: "y", type: "range", bounds: [0, 1] },
];
const bowl = ({ x, y }: Record<string, unknown>) => (Number(x) - 0.3) ** 2 + (Number(y) - 0.6) ** 2;
const QUIET = { loggingLevel: LogLevel.ERROR } as const;
const SOBOL_ONLY = { chooseGenerationStrategyOptions: { forceRandomSearch: true } } as const;

describe("optimize", () => {
  it("runs totalTrials trials of a function and returns the best parameters, judged by the model", async () => {
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      evaluate: (p) => bowl(p),
      totalTrials: 10,
      seed: 1,
      ...QUIET,
    });
    const { experiment, bestParameters, values, predictions, trialCounts } = result;
    expect(experiment.numTrials).toBe(10);
    expect(trialCounts.COMPLETED).toBe(10);
    expect(result.optimizationResult.completionCriterionMet).toBe(true);
    expect(result.generationStrategy.currentGeneratorName).toBe("BoTorch");
    // The best arm is one of the evaluated ones, judged by the model that proposed trials.
    const best = experiment.getTrial(result.bestTrialIndex!);
    expect(best.arms[0]!.parameters).toEqual(bestParameters);
    expect(predictions?.loss).toEqual({ mean: expect.any(Number), sem: expect.any(Number) });
    // The bowl is deterministic, reported as bare numbers: no noise shows, so the best observation
    // stands and its values are the observed ones.
    expect(result.rule).toBe("observed");
    expect(result.reason).toMatch(/^no noise detectable/);
    expect(values?.loss).toBe(bowl(bestParameters!));
    expect(result.observedValues).toEqual({ loss: bowl(bestParameters!) });
    const observedLosses = [...experiment.trials.keys()].map(
      (i) => experiment.lookupTrialData(i).rows.find((r) => r.metricName === "loss")!.mean,
    );
    expect(values!.loss).toBe(Math.min(...observedLosses));
    expect(values!.loss!).toBeLessThan(0.1);
  });

  it("returns observed values before a model judges (Sobol only), meeting outcome constraints, and tracks extra keys", async () => {
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      outcomeConstraints: ["cost <= 0.5"],
      evaluate: (p) => ({ loss: bowl(p), cost: Number(p.x), seconds: 0.01 }),
      totalTrials: 12,
      seed: 0,
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.predictions).toBeNull();
    expect(Number(result.bestParameters!.x)).toBeLessThanOrEqual(0.5);
    expect(result.values).toEqual({
      loss: bowl(result.bestParameters!),
      cost: result.bestParameters!.x,
      seconds: 0.01,
    });
    expect(result.experiment.metrics.map((m) => m.name).sort()).toEqual(["cost", "loss", "seconds"]);
    // Every feasible observation is no better than the best.
    const data = result.experiment.lookupData().rows;
    for (const t of result.experiment.trials.values()) {
      const cost = data.find((r) => r.trialIndex === t.index && r.metricName === "cost")!.mean;
      const loss = data.find((r) => r.trialIndex === t.index && r.metricName === "loss")!.mean;
      if (cost <= 0.5) expect(loss).toBeGreaterThanOrEqual(result.values!.loss!);
    }
  });

  it("returns the observed Pareto frontier for several objectives", async () => {
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { a: { minimize: true }, b: { minimize: true } },
      evaluate: ({ x, y }) => ({ a: Number(x), b: (1 - Number(x)) ** 2 + Number(y) }),
      totalTrials: 8,
      seed: 0,
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.bestParameters).toBeNull();
    expect(result.values).toBeNull();
    expect(result.paretoFrontier!.length).toBeGreaterThan(0);
    for (const point of result.paretoFrontier!) {
      expect(Object.keys(point.values).sort()).toEqual(["a", "b"]);
    }
  });

  it("proposes the same trials for the same seed, and other trials for another seed", async () => {
    const run = async (seed: number) => {
      const { experiment } = await optimize({
        parameters: PARAMETERS,
        objectives: { loss: { minimize: true } },
        evaluate: (p) => bowl(p),
        totalTrials: 7,
        seed,
        ...QUIET,
      });
      return [...experiment.trials.values()].map((t) => t.arms[0]!.parameters);
    };
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(await run(4)).not.toEqual(first);
  });

  it("counts failures: a throw is FAILED with its message, a NaN objective ABANDONED quoting the result", async () => {
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      evaluate: (p, { trialIndex }) => {
        if (trialIndex === 1) throw new Error("out of memory");
        return trialIndex === 2 ? { loss: Number.NaN } : bowl(p);
      },
      totalTrials: 6,
      seed: 0,
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.trialCounts).toMatchObject({ COMPLETED: 4, FAILED: 1, ABANDONED: 1 });
    expect(result.experiment.getTrial(1).failureReason).toBe("out of memory");
    expect(result.experiment.getTrial(2).failureReason).toContain('{"loss":"NaN"}');
  });

  it("evaluates at most maxParallelism trials at once", async () => {
    let running = 0;
    let most = 0;
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      evaluate: async (p, { trialIndex }) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1 + ((trialIndex * 7) % 5)));
        running--;
        return bowl(p);
      },
      totalTrials: 15,
      maxParallelism: 3,
      seed: 0,
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.trialCounts.COMPLETED).toBe(15);
    expect(most).toBe(3);
  });

  it("takes any runner instead of evaluate", async () => {
    /** A minimal runner of another system: results ready at the first poll. */
    class TableRunner extends Runner implements TrialStatusPoller, TrialResultReporter {
      async run(trial: BaseTrial): Promise<RunMetadata> {
        return { job: `job-${trial.index}` };
      }
      async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
        return new Map([[TrialStatus.COMPLETED, new Set(trials.map((t) => t.index))]]);
      }
      pollTrialResult(trial: BaseTrial): unknown {
        return { loss: [bowl(trial.arms[0]!.parameters), 0] };
      }
    }
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      runner: new TableRunner(),
      totalTrials: 5,
      schedulerOptions: { initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 },
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.trialCounts.COMPLETED).toBe(5);
    expect(result.experiment.getTrial(0).runMetadata.job).toBe("job-0");
    expect(result.values!.loss).toBe(Math.min(...result.experiment.lookupData().rows.map((r) => r.mean)));
  });

  it("serves a CommandRunner: one process per trial, its result the JSON line it prints", async () => {
    // Braces are doubled: single ones would be placeholders.
    const script =
      "const x = Number(process.argv[1]); console.log(JSON.stringify({{ loss: (x - 0.3) ** 2 }}));";
    const result = await optimize({
      name: "command_trials",
      parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
      objectives: { loss: { minimize: true } },
      runner: new CommandRunner({ command: [process.execPath, "-e", script, "{x}"], workDir: tempDir() }),
      totalTrials: 3,
      seed: 0,
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.trialCounts.COMPLETED).toBe(3);
    expect(result.values!.loss).toBeCloseTo((Number(result.bestParameters!.x) - 0.3) ** 2, 12);
  });

  it("fires the running evaluations' signals when aborted, leaving their trials RUNNING", async () => {
    const controller = new AbortController();
    let hung: EvaluationContext | null = null;
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      evaluate: (p, context) => {
        if (context.trialIndex < 2) return bowl(p);
        hung = context;
        controller.abort();
        return new Promise<number>(() => undefined);
      },
      totalTrials: 5,
      signal: controller.signal,
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.optimizationResult.aborted).toBe(true);
    expect(result.trialCounts).toMatchObject({ COMPLETED: 2, RUNNING: 1 });
    const context = hung as EvaluationContext | null;
    expect(context!.signal.aborted).toBe(true);
    expect((context!.signal.reason as Error).message).toBe("optimize was aborted.");
  });

  it("fires the running evaluations' signals when timeoutHours passes", async () => {
    const signals: AbortSignal[] = [];
    const result = await optimize({
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      evaluate: (_p, { signal }) => {
        signals.push(signal);
        return new Promise<number>(() => undefined);
      },
      totalTrials: 5,
      maxParallelism: 2,
      timeoutHours: 1,
      clock: new FakeClock(),
      ...SOBOL_ONLY,
      ...QUIET,
    });
    expect(result.optimizationResult.timedOut).toBe(true);
    expect(signals).toHaveLength(2);
    for (const signal of signals)
      expect((signal.reason as Error).message).toBe("optimize timed out (timeoutHours).");
  });

  describe("refuses arguments it cannot run with, naming the argument and the fix", () => {
    const base: OptimizeOptions = {
      parameters: PARAMETERS,
      objectives: { loss: { minimize: true } },
      evaluate: () => 1,
      totalTrials: 3,
    };
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        "neither evaluate nor runner",
        { evaluate: undefined },
        "evaluate",
        /pass evaluate: \(parameters\) => loss, or runner/,
      ],
      [
        "both evaluate and runner",
        {
          runner: new (class extends Runner {
            async run() {
              return {};
            }
          })(),
        },
        "evaluate",
        /either evaluate .* or runner .*, not both/,
      ],
      [
        "no totalTrials",
        { totalTrials: undefined },
        "totalTrials",
        /totalTrials must be a positive integer .*got undefined/,
      ],
      [
        "a fractional maxParallelism",
        { maxParallelism: 1.5 },
        "maxParallelism",
        /maxParallelism must be a positive integer/,
      ],
      [
        "an Ax name",
        { evaluation_function: () => 1 },
        "evaluation_function",
        /Unknown option "evaluation_function".*Did you mean "evaluate"\?/,
      ],
      [
        "a Scheduler setting at the top level",
        { ttlSecondsForTrials: 5 },
        "ttlSecondsForTrials",
        /go in schedulerOptions: \{ ttlSecondsForTrials: \.\.\. \}/,
      ],
      [
        "totalTrials in schedulerOptions",
        { schedulerOptions: { totalTrials: 5 } },
        "schedulerOptions",
        /Set totalTrials as optimize's own option/,
      ],
      [
        "a bad Scheduler setting",
        { schedulerOptions: { toleratedTrialFailureRate: 2 } },
        "schedulerOptions",
        /toleratedTrialFailureRate must be in \[0, 1\)/,
      ],
      [
        "an early-stopping strategy without shouldStopTrialsEarly",
        { earlyStoppingStrategy: {} as never },
        "earlyStoppingStrategy",
        /earlyStoppingStrategy must have a shouldStopTrialsEarly/,
      ],
      [
        "an early-stopping strategy given twice",
        {
          earlyStoppingStrategy: { shouldStopTrialsEarly: () => new Map() },
          schedulerOptions: { earlyStoppingStrategy: { shouldStopTrialsEarly: () => new Map() } },
        },
        "earlyStoppingStrategy",
        /Give earlyStoppingStrategy once/,
      ],
      ["resume without a store", { resume: true }, "resume", /give dbSettings \(or store\) too/],
      [
        "both store and dbSettings",
        {
          store: new MemoryStore(),
          dbSettings: { openStore: async () => new MemoryStore(), description: "x" },
        },
        "store",
        /either dbSettings or store/,
      ],
      [
        "a seed with a strategy",
        {
          seed: 1,
          generationStrategy: new GenerationStrategy({
            steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
          }),
        },
        "seed",
        /seed that strategy instead/,
      ],
    ];
    for (const [what, change, argument, message] of cases) {
      it(what, async () => {
        const error = await optimize({ ...base, ...change } as OptimizeOptions).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OptimizeArgumentError);
        expect((error as OptimizeArgumentError).argument).toBe(argument);
        expect((error as Error).message).toMatch(message);
      });
    }

    it("a bad spec with the Client's errors", async () => {
      await expect(optimize({ ...base, objectives: {} })).rejects.toThrow(/objectives is empty/);
      await expect(
        optimize({ ...base, parameters: [{ name: "x", type: "range", bounds: [1, 0] }] }),
      ).rejects.toThrow(/x/);
    });
  });
});
