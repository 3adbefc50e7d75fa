import { describe, expect, it } from "vitest";
import { type Experiment, TrialStatus } from "../../../src/core/index.js";
import { EarlyStoppingConfigError } from "../../../src/errors.js";
import {
  AndEarlyStoppingStrategy,
  type EarlyStoppingStrategy,
  OrEarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
  ThresholdEarlyStoppingStrategy,
} from "../../../src/scheduler/index.js";
import { catchError, TestMetric } from "../../core/helpers.js";
import {
  addCurveTrial,
  attachPoints,
  curveExperiment,
  runningIndices,
  sampled,
  steps,
  stopped,
} from "./curve-fixtures.js";

const { COMPLETED, RUNNING } = TrialStatus;

async function decide(strategy: EarlyStoppingStrategy, experiment: Experiment) {
  return strategy.shouldStopTrialsEarly({ trialIndices: runningIndices(experiment), experiment });
}

describe("ThresholdEarlyStoppingStrategy", () => {
  it("stops a trial whose latest value is worse than the threshold, in the objective's direction", async () => {
    const experiment = curveExperiment();
    // The latest point decides, not earlier ones.
    const over = addCurveTrial(experiment, RUNNING, [
      [1, 0.1],
      [2, 0.7],
    ]);
    const under = addCurveTrial(experiment, RUNNING, [
      [1, 0.9],
      [2, 0.3],
    ]);
    const tie = addCurveTrial(experiment, RUNNING, [[2, 0.5]]);
    const strategy = new ThresholdEarlyStoppingStrategy({ metricThreshold: 0.5, minCurves: 1 });
    const decisions = await decide(strategy, experiment);
    expect(stopped(decisions)).toEqual([over]);
    expect(decisions.get(over)).toBe("loss 0.7 at step 2 is worse than the threshold 0.5 (lower is better)");
    expect([under, tie].some((i) => decisions.has(i))).toBe(false);

    const max = curveExperiment({ minimize: false });
    const low = addCurveTrial(max, RUNNING, [[2, 0.3]]);
    addCurveTrial(max, RUNNING, [[2, 0.7]]);
    expect(stopped(await decide(strategy, max))).toEqual([low]);
  });

  it("waits for minCurves curves at minProgression (5 by default, as Ax) and respects the progression range", async () => {
    const experiment = curveExperiment();
    for (let i = 0; i < 3; i++)
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(20), () => 0.1),
      );
    const bad = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(3), () => 0.9),
    );
    expect(
      (await decide(new ThresholdEarlyStoppingStrategy({ metricThreshold: 0.5 }), experiment)).size,
    ).toBe(0);
    addCurveTrial(
      experiment,
      COMPLETED,
      sampled(steps(20), () => 0.1),
    );
    expect(
      stopped(await decide(new ThresholdEarlyStoppingStrategy({ metricThreshold: 0.5 }), experiment)),
    ).toEqual([bad]);
    const ranged = new ThresholdEarlyStoppingStrategy({
      metricThreshold: 0.5,
      minProgression: 4,
      maxProgression: 6,
    });
    expect((await decide(ranged, experiment)).size).toBe(0);
    attachPoints(experiment, bad, [[4, 0.9]]);
    expect(stopped(await decide(ranged, experiment))).toEqual([bad]);
    attachPoints(experiment, bad, [[6, 0.9]]);
    expect((await decide(ranged, experiment)).size).toBe(0);
  });

  it("requires a finite threshold and refuses unknown options", () => {
    for (const value of [undefined, Number.NaN, Number.POSITIVE_INFINITY, "0.5"]) {
      const error = catchError(
        () => new ThresholdEarlyStoppingStrategy({ metricThreshold: value as number }),
        EarlyStoppingConfigError,
      );
      expect(error.path).toBe("metricThreshold");
      expect(error.message).toMatch(/metricThreshold must be a finite number/);
    }
    expect(
      () => new ThresholdEarlyStoppingStrategy({ metricThreshold: 1, metric_threshold: 1 } as never),
    ).toThrow(/Did you mean "metricThreshold"/);
    expect(new ThresholdEarlyStoppingStrategy({ metricThreshold: 2 }).toJSON()).toMatchObject({
      type: "threshold",
      metricThreshold: 2,
      minCurves: 5,
    });
  });
});

describe("And/Or early stopping", () => {
  /** Levels 1..5 completed; running trials at 4.5 (worse than median, under 6), 7 (over 6) and 2. */
  function setUp() {
    const experiment = curveExperiment({
      trackingMetrics: [new TestMetric({ name: "memory", lowerIsBetter: true })],
    });
    for (const level of [1, 2, 3, 4, 5])
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(20), () => level),
      );
    const slow = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 4.5),
    );
    const awful = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 7),
    );
    const fine = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 2),
    );
    const percentile = new PercentileEarlyStoppingStrategy();
    const threshold = new ThresholdEarlyStoppingStrategy({ metricThreshold: 6 });
    return { experiment, slow, awful, fine, percentile, threshold };
  }

  it("And stops only what every strategy stops, joining their reasons", async () => {
    const { experiment, awful, percentile, threshold } = setUp();
    const decisions = await decide(new AndEarlyStoppingStrategy(percentile, threshold), experiment);
    expect(stopped(decisions)).toEqual([awful]);
    expect(decisions.get(awful)).toBe(
      "loss 7 at step 10 is worse than the 50th percentile (3.5) of 8 curves; " +
        "loss 7 at step 10 is worse than the threshold 6 (lower is better)",
    );
  });

  it("Or stops what any strategy stops, with the reasons of those that stopped it", async () => {
    const { experiment, slow, awful, percentile, threshold } = setUp();
    const decisions = await decide(new OrEarlyStoppingStrategy(threshold, percentile), experiment);
    expect(stopped(decisions)).toEqual([slow, awful]);
    expect(decisions.get(slow)).toBe(
      "loss 4.5 at step 10 is worse than the 50th percentile (3.5) of 8 curves",
    );
    expect(decisions.get(awful)).toMatch(
      /^loss 7 at step 10 is worse than the threshold 6 .*; loss 7 .*percentile/,
    );
  });

  it("combines more than two strategies, including nested combinations and other metrics", async () => {
    const { experiment, slow, awful, fine, percentile, threshold } = setUp();
    for (const i of [slow, awful, fine])
      attachPoints(experiment, i, [[10, i === fine ? 900 : 10]], { metricName: "memory" });
    const memory = new ThresholdEarlyStoppingStrategy({
      metricNames: ["memory"],
      metricThreshold: 512,
      minCurves: 1,
    });
    const or3 = new OrEarlyStoppingStrategy(threshold, percentile, memory);
    expect(stopped(await decide(or3, experiment))).toEqual([slow, awful, fine].sort((a, b) => a - b));
    const and3 = new AndEarlyStoppingStrategy(threshold, percentile, memory);
    expect((await decide(and3, experiment)).size).toBe(0);
    const nested = new AndEarlyStoppingStrategy(percentile, new OrEarlyStoppingStrategy(threshold, memory));
    expect(stopped(await decide(nested, experiment))).toEqual([awful]);
  });

  it("needs at least two strategies, polls as often as the most eager, and writes its parts' configs", () => {
    const percentile = new PercentileEarlyStoppingStrategy({ secondsBetweenPolls: 5 });
    const threshold = new ThresholdEarlyStoppingStrategy({ metricThreshold: 1, secondsBetweenPolls: 2 });
    expect(() => new AndEarlyStoppingStrategy(percentile)).toThrow(EarlyStoppingConfigError);
    expect(() => new OrEarlyStoppingStrategy()).toThrow(/at least two strategies, got 0/);
    expect(() => new OrEarlyStoppingStrategy(percentile, {} as EarlyStoppingStrategy)).toThrow(
      /strategies\[1\] is not an early-stopping strategy/,
    );
    const or = new OrEarlyStoppingStrategy(percentile, threshold);
    expect(or.secondsBetweenPolls).toBe(2);
    expect(
      new OrEarlyStoppingStrategy(new PercentileEarlyStoppingStrategy(), threshold).secondsBetweenPolls,
    ).toBe(2);
    expect(
      new AndEarlyStoppingStrategy(
        new PercentileEarlyStoppingStrategy(),
        new PercentileEarlyStoppingStrategy(),
      ).secondsBetweenPolls,
    ).toBeUndefined();
    expect(or.toJSON()).toEqual({ type: "or", strategies: [percentile.toJSON(), threshold.toJSON()] });
    const custom = { shouldStopTrialsEarly: () => new Map<number, string | null>() };
    expect(() => new AndEarlyStoppingStrategy(percentile, custom).toJSON()).toThrow(
      /strategies\[1\] has no toJSON/,
    );
  });
});
