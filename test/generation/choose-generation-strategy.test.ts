import { describe, expect, it } from "vitest";
import { ChoiceParameter } from "../../src/core/choice-parameter.js";
import { Data } from "../../src/core/data.js";
import { Experiment } from "../../src/core/experiment.js";
import { FixedParameter } from "../../src/core/fixed-parameter.js";
import { ReportedMetric } from "../../src/core/metric.js";
import { MultiObjective, Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ObjectiveThreshold, OutcomeConstraint } from "../../src/core/outcome-constraint.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { DataRequiredError, GenerationStrategyError } from "../../src/errors.js";
import {
  type ChooseGenerationStrategyOptions,
  chooseGenerationStrategy,
  defaultNumInitializationTrials,
} from "../../src/generation/choose-generation-strategy.js";
import type { GenerationStrategy } from "../../src/generation/generation-strategy.js";
import { suggestGenerator } from "../../src/generation/suggest-generator.js";
import { branin } from "../../src/numerics/test-functions.js";
import { FakeClock } from "../../src/util/clock.js";
import { Logger } from "../../src/util/logger.js";
import { mixedSpace, sixPointSpace } from "./helpers.js";

const float = (name: string, lower = 0, upper = 1) =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower, upper });
const unordered = (name: string, n: number) =>
  new ChoiceParameter({ name, values: Array.from({ length: n }, (_, i) => `v${i}`), isOrdered: false });

function braninSpace(): SearchSpace {
  return new SearchSpace({ parameters: [float("x1", -5, 10), float("x2", 0, 15)] });
}

/** One ordered parameter and 3 × 12 = 36 unordered values: Sobol only. */
function choiceDominatedSpace(): SearchSpace {
  return new SearchSpace({
    parameters: [float("x"), unordered("a", 12), unordered("b", 12), unordered("c", 12)],
  });
}

/** Runs chooseGenerationStrategy with a captured logger; returns the strategy and the log messages. */
function choose(options: Partial<ChooseGenerationStrategyOptions> = {}): {
  gs: GenerationStrategy;
  lines: string[];
} {
  const lines: string[] = [];
  const logger = new Logger({ name: "ascent.generation", sink: (line) => lines.push(line) });
  const gs = chooseGenerationStrategy({ searchSpace: braninSpace(), ...options, logger });
  return { gs, lines };
}

/** Each step as [generator, numTrials, minTrialsObserved, maxParallelism, enforceNumTrials]. */
function stepList(gs: GenerationStrategy) {
  return gs.steps.map((s) => [
    s.generatorName,
    s.numTrials,
    s.minTrialsObserved,
    s.maxParallelism,
    s.enforceNumTrials,
  ]);
}

describe("chooseGenerationStrategy: Bayesian optimization by default", () => {
  it("ranges only: Sobol for max(5, 2d) trials, half observed, then BoTorch with 3 in flight", () => {
    const { gs, lines } = choose();
    expect(gs.name).toBe("Sobol+BoTorch");
    expect(gs.seed).toBe(0);
    expect(stepList(gs)).toEqual([
      ["Sobol", 5, 3, null, true],
      ["BoTorch", -1, 0, 3, true],
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[INFO \d\d-\d\d \d\d:\d\d:\d\d\] ascent\.generation: /);
    expect(lines[0]).toContain(
      "Using Bayesian Optimization generation strategy: GenerationStrategy(name='Sobol+BoTorch', " +
        "steps=[Sobol for 5 trials, BoTorch for subsequent trials]), because all 2 tunable parameters are " +
        "ordered. Iterations after 5 will take longer to generate due to model-fitting.",
    );
  });

  it("sizes the Sobol step on the non-fixed parameters: 8 for the 4 of the mixed space", () => {
    const { gs, lines } = choose({ searchSpace: mixedSpace() });
    expect(stepList(gs)).toEqual([
      ["Sobol", 8, 4, null, true],
      ["BoTorch", -1, 0, 3, true],
    ]);
    // 3 ordered parameters, 3 unordered values: BO, and the log says why.
    expect(lines[0]).toContain(
      "because there are 3 ordered parameters and 3 values of unordered choice parameters: the ordered " +
        "parameters are at least as many.",
    );
  });

  it("keeps BO with one ordered parameter and fewer than 33 unordered values", () => {
    const searchSpace = new SearchSpace({ parameters: [float("x"), unordered("a", 10), unordered("b", 10)] });
    const { gs, lines } = choose({ searchSpace });
    expect(gs.name).toBe("Sobol+BoTorch");
    expect(lines[0]).toContain("at least one ordered parameter and fewer than 33 unordered values");
  });

  it("counts two-valued unordered choices as ordered", () => {
    const searchSpace = new SearchSpace({
      parameters: [unordered("a", 2), unordered("b", 2), unordered("c", 2), unordered("d", 4)],
    });
    expect(suggestGenerator(searchSpace).kind).toBe("bayesian");
  });
});

describe("chooseGenerationStrategy: Sobol only, with the reason logged", () => {
  it("for a space dominated by unordered choices", () => {
    const { gs, lines } = choose({ searchSpace: choiceDominatedSpace(), maxParallelismCap: 4 });
    expect(gs.name).toBe("Sobol");
    expect(stepList(gs)).toEqual([["Sobol", -1, 0, 4, true]]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "Using Sobol generator only: GenerationStrategy(name='Sobol', steps=[Sobol for all trials]), because " +
        "the search space is dominated by unordered choice parameters (1 ordered parameter and 36 values of " +
        "unordered choice parameters;",
    );
  });

  it("for choices only, when unordered values outnumber the ordered parameters", () => {
    const searchSpace = new SearchSpace({ parameters: [unordered("a", 3), unordered("b", 3)] });
    expect(choose({ searchSpace }).gs.name).toBe("Sobol");
  });

  it("for a relative outcome constraint, not for several objectives", () => {
    const metric = (name: string) => new ReportedMetric({ name });
    const moo = new OptimizationConfig({
      objective: new MultiObjective({
        objectives: [
          new Objective({ metric: metric("a"), minimize: true }),
          new Objective({ metric: metric("b"), minimize: false }),
        ],
      }),
    });
    // Several objectives get Bayesian optimization (ParEGO in the BoTorch generator).
    expect(choose({ optimizationConfig: moo }).gs.name).toBe("Sobol+BoTorch");
    const relativeThreshold = new OptimizationConfig({
      objective: moo.objective,
      objectiveThresholds: [
        new ObjectiveThreshold({ metric: metric("a"), op: "LEQ", bound: 10, relative: true }),
      ],
    });
    const thresholdChoice = choose({ optimizationConfig: relativeThreshold });
    expect(thresholdChoice.gs.name).toBe("Sobol");
    expect(thresholdChoice.lines[0]).toContain("objective threshold a <= 10% is relative to the status quo");

    const relative = new OptimizationConfig({
      objective: new Objective({ metric: metric("a"), minimize: true }),
      outcomeConstraints: [
        new OutcomeConstraint({ metric: metric("c"), op: "LEQ", bound: 5, relative: true }),
      ],
    });
    const relChoice = choose({ optimizationConfig: relative });
    expect(relChoice.gs.name).toBe("Sobol");
    expect(relChoice.lines[0]).toContain("outcome constraint c <= 5% is relative to the status quo");

    const absolute = new OptimizationConfig({
      objective: new Objective({ metric: metric("a"), minimize: true }),
      outcomeConstraints: [new OutcomeConstraint({ metric: metric("c"), op: "LEQ", bound: 5 })],
    });
    expect(choose({ optimizationConfig: absolute }).gs.name).toBe("Sobol+BoTorch");
  });

  it("when the budget is no larger than the initialization, or can enumerate the space", () => {
    const small = choose({ numTrials: 5 });
    expect(small.gs.name).toBe("Sobol");
    expect(small.lines[0]).toContain(
      "because the budget of 5 trials is no larger than the 5 initialization trials",
    );
    expect(choose({ numTrials: 6 }).gs.name).toBe("Sobol+BoTorch");
    expect(choose({ numTrials: 20, numInitializationTrials: 20 }).gs.name).toBe("Sobol");

    const enumerable = choose({ searchSpace: sixPointSpace(), numTrials: 6 });
    expect(enumerable.gs.name).toBe("Sobol");
    expect(enumerable.lines[0]).toContain("the search space has 6 points");
    expect(choose({ searchSpace: sixPointSpace() }).gs.name).toBe("Sobol+BoTorch");
  });

  it("when every parameter is fixed, or when asked to", () => {
    const fixed = new SearchSpace({ parameters: [new FixedParameter({ name: "f", value: 1 })] });
    expect(choose({ searchSpace: fixed }).lines[0]).toContain("every parameter of the search space is fixed");
    const forced = choose({ forceRandomSearch: true });
    expect(stepList(forced.gs)).toEqual([["Sobol", -1, 0, null, true]]);
    expect(forced.lines[0]).toContain("because forceRandomSearch is set.");
    expect(choose({ noBayesianOptimization: true }).lines[0]).toContain(
      "because noBayesianOptimization is set.",
    );
    expect(choose({ forceRandomSearch: false }).gs.name).toBe("Sobol+BoTorch");
  });
});

describe("chooseGenerationStrategy: parallelism, as in Ax", () => {
  it("maxParallelismCap: the cap on Sobol, min(cap, 3) on BoTorch", () => {
    expect(stepList(choose({ maxParallelismCap: 2 }).gs).map((s) => s[3])).toEqual([2, 2]);
    expect(stepList(choose({ maxParallelismCap: 10 }).gs).map((s) => s[3])).toEqual([10, 3]);
  });

  it("maxParallelismOverride sets every step; -1 lifts every limit", () => {
    expect(stepList(choose({ maxParallelismOverride: 7 }).gs).map((s) => s[3])).toEqual([7, 7]);
    expect(stepList(choose({ maxParallelismOverride: -1 }).gs).map((s) => s[3])).toEqual([null, null]);
  });

  it("enforceSequentialOptimization false: no limits, and Sobol keeps generating while waiting for data", () => {
    expect(stepList(choose({ enforceSequentialOptimization: false }).gs)).toEqual([
      ["Sobol", 5, 3, null, false],
      ["BoTorch", -1, 0, null, true],
    ]);
    // A cap still applies.
    expect(
      stepList(choose({ enforceSequentialOptimization: false, maxParallelismCap: 2 }).gs).map((s) => s[3]),
    ).toEqual([2, 2]);
  });
});

describe("chooseGenerationStrategy: overrides", () => {
  it("honours the initialization options", () => {
    expect(stepList(choose({ numInitializationTrials: 9, minSobolTrialsObserved: 2 }).gs)[0]).toEqual([
      "Sobol",
      9,
      2,
      null,
      true,
    ]);
    expect(choose({ searchSpace: mixedSpace(), maxInitializationTrials: 6 }).gs.steps[0]!.numTrials).toBe(6);
    // A budget shortens the default initialization to a fifth of it (never below 5).
    expect(choose({ searchSpace: mixedSpace(), numTrials: 35 }).gs.steps[0]!.numTrials).toBe(7);
    expect(choose({ numCompletedInitializationTrials: 2 }).gs.steps[0]!.numTrials).toBe(3);
    const warm = choose({ numCompletedInitializationTrials: 5 });
    expect(stepList(warm.gs)).toEqual([["BoTorch", -1, 0, 3, true]]);
    expect(warm.lines[0]).toContain("Iterations after 0 will take longer");
    expect(choose({ useBatchTrials: true }).gs.steps[0]!.numTrials).toBe(1);
  });

  it("passes the seed and the BoTorch generator options", () => {
    const { gs } = choose({ seed: 12, generatorKwargs: { numRawSamples: 64, numStarts: 2 } });
    expect(gs.seed).toBe(12);
    expect(gs.steps[1]!.generatorKwargs).toEqual({ numRawSamples: 64, numStarts: 2 });
    expect(gs.toState().steps[1]!.generatorKwargs).toEqual({ numRawSamples: 64, numStarts: 2 });
  });
});

describe("chooseGenerationStrategy: invalid options", () => {
  const bad: [string, Partial<ChooseGenerationStrategyOptions>, RegExp][] = [
    ["maxParallelismCap 0", { maxParallelismCap: 0 }, /maxParallelismCap must be a positive integer/],
    ["numTrials -1", { numTrials: -1 }, /numTrials/],
    ["numInitializationTrials 2.5", { numInitializationTrials: 2.5 }, /numInitializationTrials/],
    ["maxParallelismOverride 0", { maxParallelismOverride: 0 }, /maxParallelismOverride must be .*\(or -1\)/],
    ["cap and override", { maxParallelismCap: 2, maxParallelismOverride: 3 }, /not both/],
    ["minSobolTrialsObserved too large", { minSobolTrialsObserved: 6 }, /exceeds the 5 Sobol trials/],
    ["numCompletedInitializationTrials -1", { numCompletedInitializationTrials: -1 }, /non-negative/],
    [
      "disagreeing random-search flags",
      { forceRandomSearch: true, noBayesianOptimization: false },
      /disagree/,
    ],
    [
      "unknown generator option",
      { generatorKwargs: { numRestarts: 3 } },
      /invalid generatorKwargs.*numRestarts/,
    ],
    ["bad generator option value", { generatorKwargs: { numStarts: 0 } }, /invalid generatorKwargs/],
    ["seed 0.5", { seed: 0.5 }, /Seed must be an integer/],
  ];
  it.each(bad)("rejects %s", (_, options, message) => {
    let error: unknown;
    try {
      choose(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GenerationStrategyError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("chooseGenerationStrategy: the strategy in use", () => {
  /** Ask-tell on Branin (noiseless) through `gs` for `count` trials; returns the trials' generators and arms. */
  async function runBranin(gs: GenerationStrategy, count: number) {
    const metric = new ReportedMetric({ name: "branin" });
    const experiment = new Experiment({
      name: "branin",
      searchSpace: braninSpace(),
      optimizationConfig: new OptimizationConfig({ objective: new Objective({ metric, minimize: true }) }),
      clock: new FakeClock(),
    });
    for (let i = 0; i < count; i++) {
      const trial = experiment.newTrial({ generatorRun: await gs.gen({ experiment }) });
      trial.markRunning();
      const { x1, x2 } = trial.arm.parameters;
      experiment.attachData(
        Data.fromRows([
          {
            trialIndex: trial.index,
            armName: trial.arm.name,
            metricName: "branin",
            mean: branin(Number(x1), Number(x2)),
            sem: 0,
          },
        ]),
      );
      trial.markCompleted();
    }
    return [...experiment.trials.values()].map((t) => [t.generatorName, t.arms[0]!.parameters]);
  }

  const quiet = () => new Logger({ name: "q", sink: () => {} });

  it("generates Sobol trials 0-4, then BoTorch; the same seed gives the same trials", async () => {
    const make = (seed: number) =>
      chooseGenerationStrategy({
        searchSpace: braninSpace(),
        seed,
        logger: quiet(),
        generatorKwargs: { numRawSamples: 64, numStarts: 2 },
      });
    const a = await runBranin(make(5), 7);
    expect(a.map((t) => t[0])).toEqual(["Sobol", "Sobol", "Sobol", "Sobol", "Sobol", "BoTorch", "BoTorch"]);
    expect(await runBranin(make(5), 7)).toEqual(a);
    expect((await runBranin(make(6), 7)).map((t) => t[1])).not.toEqual(a.map((t) => t[1]));
  });

  it("waits for half the Sobol trials to be observed before BoTorch", async () => {
    const gs = chooseGenerationStrategy({ searchSpace: braninSpace(), logger: quiet() });
    const experiment = new Experiment({
      name: "wait",
      searchSpace: braninSpace(),
      optimizationConfig: new OptimizationConfig({
        objective: new Objective({ metric: new ReportedMetric({ name: "f" }), minimize: true }),
      }),
      clock: new FakeClock(),
    });
    const runs = await gs.genForTrials({ experiment, numTrials: 10 });
    expect(runs).toHaveLength(5);
    for (const run of runs) experiment.newTrial({ generatorRun: run }).markRunning();
    await expect(gs.gen({ experiment })).rejects.toBeInstanceOf(DataRequiredError);
  });
});

describe("defaultNumInitializationTrials", () => {
  it("is max(5, 2 d) over the searched (non-fixed) parameters", () => {
    expect(defaultNumInitializationTrials(mixedSpace())).toBe(8);
    expect(defaultNumInitializationTrials(new SearchSpace({ parameters: [float("a")] }))).toBe(5);
    const wide = new SearchSpace({
      parameters: [
        ...["a", "b", "c", "d", "e"].map((n) => float(n)),
        new ChoiceParameter({ name: "c1", values: ["x", "y"] }),
        new FixedParameter({ name: "f1", value: 2 }),
        new FixedParameter({ name: "f2", value: 3 }),
      ],
    });
    expect(defaultNumInitializationTrials(wide)).toBe(12);
  });

  it("with a budget, at most a fifth of it but never below 5; 1 for batch trials", () => {
    expect(defaultNumInitializationTrials(mixedSpace(), { numTrials: 30 })).toBe(6);
    expect(defaultNumInitializationTrials(mixedSpace(), { numTrials: 100 })).toBe(8);
    expect(defaultNumInitializationTrials(mixedSpace(), { numTrials: 10 })).toBe(5);
    expect(defaultNumInitializationTrials(mixedSpace(), { useBatchTrials: true })).toBe(1);
  });
});
