import { describe, expect, it } from "vitest";
import type { Experiment } from "../../../src/core/experiment.js";
import { Arm, Data, GeneratorRun } from "../../../src/core/index.js";
import { GlobalStoppingStrategyError } from "../../../src/errors.js";
import {
  type GlobalStoppingDecision,
  ImprovementGlobalStoppingStrategy,
} from "../../../src/scheduler/index.js";
import { addTrial, ComparisonOp, completed, makeExperiment } from "../../reporting/helpers.js";

/** A single-objective experiment whose completed trials observed `obj` = values, in order. */
function withObjective(values: readonly number[], minimize = true): Experiment {
  const experiment = makeExperiment({ minimize });
  for (const v of values) completed(experiment, 1, { obj: v });
  return experiment;
}

async function decide(
  experiment: Experiment,
  options: ConstructorParameters<typeof ImprovementGlobalStoppingStrategy>[0] = {},
): Promise<GlobalStoppingDecision> {
  return new ImprovementGlobalStoppingStrategy(options).shouldStopOptimization(experiment);
}

describe("ImprovementGlobalStoppingStrategy: one objective", () => {
  it("does not stop before max(minTrials, windowSize) trials are completed", async () => {
    const four = await decide(withObjective([10, 5, 3, 8]));
    expect(four.stop).toBe(false);
    expect(four.reason).toContain("Only 4 trials are completed");
    // minTrials 3 lets the base pass, but the window of 5 still needs 5 completed trials.
    const window = await decide(withObjective([10, 5, 3, 8]), { minTrials: 3 });
    expect(window).toMatchObject({ stop: false });
    expect(window.reason).toContain("window of 5 needs 5");
    // Flat from the first trial on: with 5 completed trials the rule applies and stops.
    expect((await decide(withObjective([3, 5, 8, 9, 4]))).stop).toBe(true);
  });

  it("stops when the best value did not improve over the window, naming the improvement and the IQR", async () => {
    // Running best 10, 5, 3, 3, 3, 3, 3, 3: no change over the last 5 trials. Sorted values
    // 3..10 have quartiles 4.75 and 8.25 (linear interpolation), so IQR = 3.5.
    const decision = await decide(withObjective([10, 5, 3, 8, 9, 7, 6, 4]));
    expect(decision.stop).toBe(true);
    expect(decision.reason).toContain("improved by 0 times");
    expect(decision.reason).toContain("IQR = 3.5");
    expect(decision.reason).toContain("from 3 to 3");
  });

  it("judges the improvement relative to the IQR against improvementBar", async () => {
    // The best goes from 3 to 2.7 over the window; IQR of [2.7, 3, 5, 6, 7, 8, 9, 10] is 8.25 - 4.5.
    const values = [10, 5, 3, 8, 9, 7, 6, 2.7];
    const small = await decide(withObjective(values));
    expect(small.stop).toBe(true);
    expect(small.reason).toContain("improved by 0.08 times");
    expect(small.reason).toContain("IQR = 3.75");
    const lowerBar = await decide(withObjective(values), { improvementBar: 0.05 });
    expect(lowerBar.stop).toBe(false);
    expect(lowerBar.reason).toContain("at least improvementBar 0.05");
  });

  it("goes on while the best value keeps improving", async () => {
    // Best from 7 to 1 in the window: 6 / 3.5 IQRs.
    const decision = await decide(withObjective([10, 9, 8, 7, 6, 5, 4, 1]));
    expect(decision.stop).toBe(false);
    expect(decision.reason).toContain("improved by 1.714 times");
  });

  it("reads the direction of the objective: the same values maximized", async () => {
    const flat = [10, 5, 3, 8, 9, 7, 6, 4].map((v) => -v);
    expect((await decide(withObjective(flat, false))).stop).toBe(true);
    const improving = [10, 9, 8, 7, 6, 5, 4, 1].map((v) => -v);
    expect((await decide(withObjective(improving, false))).stop).toBe(false);
    // Minimizing the negated improving values: the best (-10) was found first, so no improvement since.
    expect((await decide(withObjective(improving, true))).stop).toBe(true);
  });

  it("ignores infeasible trials: neither their values nor the IQR count", async () => {
    const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1 }] });
    // Feasible: 10, 5, 3, 8, 9, 7, 6 (no improvement after 3). The last trial is far better but too costly.
    for (const v of [10, 5, 3, 8, 9, 7, 6]) completed(experiment, 1, { obj: v, cost: 0.5 });
    completed(experiment, 2, { obj: -100, cost: 2 });
    const decision = await decide(experiment);
    expect(decision.stop).toBe(true);
    // IQR of the 7 feasible values [3, 5, 6, 7, 8, 9, 10]: 8.5 - 5.5 = 3 (the infeasible -100 left out).
    expect(decision.reason).toContain("IQR = 3)");
    expect(decision.reason).toContain("of the 7 feasible values");
  });

  it("goes on when no feasible value was seen before the window", async () => {
    const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1 }] });
    for (const v of [1, 2, 3, 4]) completed(experiment, 1, { obj: v, cost: 5 });
    for (const v of [9, 8, 7, 6]) completed(experiment, 1, { obj: v, cost: 0 });
    const decision = await decide(experiment);
    expect(decision.stop).toBe(false);
    expect(decision.reason).toContain("No feasible value of obj was observed before the last 5");
  });

  it("goes on with fewer than two feasible values, or a zero IQR", async () => {
    const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1 }] });
    for (const v of [1, 2, 3, 4, 5]) completed(experiment, 1, { obj: v, cost: v === 3 ? 0 : 5 });
    expect(await decide(experiment)).toMatchObject({ stop: false });
    expect((await decide(experiment)).reason).toContain("Only 1 completed trial has a feasible value");
    const flat = await decide(withObjective([4, 4, 4, 4, 4, 4]));
    expect(flat.stop).toBe(false);
    expect(flat.reason).toContain("interquartile range of the 6 feasible values of obj is 0");
  });

  it("does not stop while trials run, unless inactiveWhenPendingTrials is false", async () => {
    const experiment = withObjective([10, 5, 3, 8, 9, 7, 6, 4]);
    addTrial(experiment, { x: 1, kind: "a" });
    const pending = await decide(experiment);
    expect(pending).toEqual({ stop: false, reason: "1 trial is still running (inactiveWhenPendingTrials)." });
    expect((await decide(experiment, { inactiveWhenPendingTrials: false })).stop).toBe(true);
  });

  it("counts a batch trial as one step of the window, with its best feasible arm", async () => {
    const experiment = makeExperiment();
    const batch = (values: readonly number[]) => {
      const run = new GeneratorRun({
        arms: values.map((_, i) => new Arm({ parameters: { x: i, kind: "a" } })),
        generatorName: "Manual",
        timeCreated: 0,
      });
      const trial = experiment.newBatchTrial({ generatorRuns: [run] }).markRunning();
      experiment.attachData(
        Data.fromRows(
          trial.arms.map((arm, i) => ({
            trialIndex: trial.index,
            armName: arm.name!,
            metricName: "obj",
            mean: values[i]!,
            sem: null,
          })),
        ),
      );
      trial.markCompleted();
    };
    // Best arms 10, 5, 3, 8, 9, 7: the best went from 5 to 3 over the window, 2 / IQR 3.5 of all 12 values.
    for (const pair of [
      [10, 12],
      [5, 20],
      [3, 9],
      [8, 8],
      [9, 30],
      [7, 7],
    ])
      batch(pair);
    const improving = await decide(experiment);
    expect(improving.stop).toBe(false);
    expect(improving.reason).toContain(
      "improved by 0.5714 times the interquartile range of the 12 feasible values",
    );
    batch([6, 6.5]);
    expect((await decide(experiment)).stop).toBe(true);
  });

  it("does not stop before minTrials completed trials, however flat", async () => {
    const decision = await decide(withObjective([3, 3, 3, 3, 3, 3]), { minTrials: 7 });
    expect(decision.stop).toBe(false);
    expect(decision.reason).toContain(
      "Only 6 trials are completed; ImprovementGlobalStoppingStrategy needs at least 7",
    );
  });
});

describe("ImprovementGlobalStoppingStrategy: several objectives (hypervolume)", () => {
  /** Minimize obj, maximize obj2, reference point (10, 0) from the thresholds. */
  function moo(points: readonly [number, number][], thresholds = true): Experiment {
    const experiment = makeExperiment({
      multiObjective: true,
      ...(thresholds ? { thresholds: { obj: 10, obj2: 0 } } : {}),
    });
    for (const [obj, obj2] of points) completed(experiment, 1, { obj, obj2 });
    return experiment;
  }

  it("stops when the hypervolume grew by less than improvementBar of its value at the window start", async () => {
    // Trials 0 and 1 give hv (10-5)·5 = 25; trial 2 adds a sliver: (10-4.9)·5 = 25.5, +2%.
    const decision = await decide(
      moo([
        [5, 5],
        [8, 2],
        [4.9, 5],
        [9, 1],
        [7, 3],
        [6, 4],
      ]),
    );
    expect(decision.stop).toBe(true);
    expect(decision.reason).toContain("grew by 0.02 of its value");
    expect(decision.reason).toContain("25 up to trial 1");
    expect(decision.reason).toContain("25.5 up to trial 5");
  });

  it("goes on when the front moved enough", async () => {
    // Trial 5 at (2, 9) alone dominates a box of 8·9 = 72 against the start's 25.
    const decision = await decide(
      moo([
        [5, 5],
        [8, 2],
        [4.9, 5],
        [9, 1],
        [7, 3],
        [2, 9],
      ]),
    );
    expect(decision.stop).toBe(false);
    expect(decision.reason).toContain("at least improvementBar 0.1");
  });

  it("goes on while the hypervolume at the window start is 0", async () => {
    // The first two trials do not beat the reference point (obj above its threshold of 10).
    const decision = await decide(
      moo([
        [12, 5],
        [11, 2],
        [5, 5],
        [5, 5],
        [5, 5],
        [5, 5],
      ]),
    );
    expect(decision.stop).toBe(false);
    expect(decision.reason).toContain("is 0");
  });

  it("ignores infeasible observations and infers a reference point once when there are no thresholds", async () => {
    const experiment = makeExperiment({
      multiObjective: true,
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1 }],
    });
    const strategy = new ImprovementGlobalStoppingStrategy();
    const points: [number, number, number][] = [
      [5, 5, 0],
      [4, 6, 0],
      [0, 100, 5], // infeasible: it would dominate everything
      [5, 5, 0],
      [4.01, 6, 0],
      [5, 5, 0],
    ];
    for (const [obj, obj2, cost] of points) completed(experiment, 1, { obj, obj2, cost });
    const first = await strategy.shouldStopOptimization(experiment);
    expect(first.stop).toBe(true);
    // Inferred from the front {(4, 6)}: nadir minus 10% of |y| gives (4.4, 5.4) in original units, which
    // a new trial at (1, 2) does not beat in obj2; kept, the reference point still says stop.
    completed(experiment, 1, { obj: 1, obj2: 2, cost: 0 });
    const again = await strategy.shouldStopOptimization(experiment);
    expect(again.stop).toBe(true);
    // Inferred afresh from the front {(4, 6), (1, 2)}, the reference point (4.3, 1.6) credits that trial.
    const fresh = await new ImprovementGlobalStoppingStrategy().shouldStopOptimization(experiment);
    expect(fresh.stop).toBe(false);
    expect(fresh.reason).toContain(
      "grew by 0.9091 of its value at the start of the window (1.32 up to trial 2, 2.52 up to trial 6)",
    );
  });
});

describe("ImprovementGlobalStoppingStrategy: options", () => {
  it("has Ax's defaults", () => {
    expect(new ImprovementGlobalStoppingStrategy().toJSON()).toEqual({
      type: "improvement",
      minTrials: 5,
      windowSize: 5,
      improvementBar: 0.1,
      inactiveWhenPendingTrials: true,
    });
  });

  it.each([
    [{ windowSize: 1 }, "windowSize", "integer >= 2"],
    [{ windowSize: 2.5 }, "windowSize", "got 2.5"],
    [{ improvementBar: -0.1 }, "improvementBar", ">= 0"],
    [{ improvementBar: Number.NaN }, "improvementBar", "finite"],
    [{ minTrials: 0 }, "minTrials", "integer >= 1"],
    [{ inactiveWhenPendingTrials: "yes" }, "inactiveWhenPendingTrials", "true or false"],
    [{ window_size: 3 }, "window_size", 'Did you mean "windowSize"?'],
  ])("refuses %j with a GlobalStoppingStrategyError naming the option", (options, option, words) => {
    const build = () => new ImprovementGlobalStoppingStrategy(options as never);
    expect(build).toThrow(GlobalStoppingStrategyError);
    expect(build).toThrow(words);
    try {
      build();
    } catch (error) {
      expect((error as GlobalStoppingStrategyError).option).toBe(option);
    }
  });
});
