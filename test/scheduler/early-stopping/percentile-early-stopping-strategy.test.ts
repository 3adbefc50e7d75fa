import { describe, expect, it } from "vitest";
import { Data, type Experiment, TrialStatus } from "../../../src/core/index.js";
import { EarlyStoppingConfigError } from "../../../src/errors.js";
import { PercentileEarlyStoppingStrategy } from "../../../src/scheduler/index.js";
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

const { COMPLETED, RUNNING, EARLY_STOPPED } = TrialStatus;

/** Five completed flat curves at levels 1..5 over steps 1..20. */
function fiveLevels(experiment: Experiment): void {
  for (const level of [1, 2, 3, 4, 5]) {
    addCurveTrial(
      experiment,
      COMPLETED,
      sampled(steps(20), () => level),
    );
  }
}

function decide(strategy: PercentileEarlyStoppingStrategy, experiment: Experiment) {
  return strategy.shouldStopTrialsEarly({ trialIndices: runningIndices(experiment), experiment });
}

describe("PercentileEarlyStoppingStrategy", () => {
  it("stops a running trial in the worse half of a minimized metric, with a plain reason", () => {
    const experiment = curveExperiment();
    fiveLevels(experiment);
    const bad = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 4.5),
    );
    const good = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 2),
    );
    const decisions = decide(new PercentileEarlyStoppingStrategy(), experiment);
    // Values at step 10: 1, 2, 3, 4, 5, 4.5, 2 → median 3.
    expect(stopped(decisions)).toEqual([bad]);
    expect(decisions.get(bad)).toBe("loss 4.5 at step 10 is worse than the 50th percentile (3) of 7 curves");
    expect(decisions.has(good)).toBe(false);
  });

  it("turns around for a maximized metric", () => {
    const experiment = curveExperiment({ minimize: false });
    fiveLevels(experiment);
    const low = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 1.5),
    );
    const high = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 4.5),
    );
    const decisions = decide(new PercentileEarlyStoppingStrategy({ percentileThreshold: 25 }), experiment);
    // Values 1, 1.5, 2, 3, 4, 4.5, 5: the 25th percentile is at position 1.5 → 1.75; 1.5 is below it.
    expect(stopped(decisions)).toEqual([low]);
    expect(decisions.get(low)).toContain("worse than the 25th percentile (1.75) of 7 curves");
    expect(decisions.has(high)).toBe(false);
  });

  it("measures the worst percent from the top for a minimized metric", () => {
    const experiment = curveExperiment();
    fiveLevels(experiment);
    const mid = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 3.5),
    );
    // Values 1, 2, 3, 3.5, 4, 5: the worst 25% lie above the 75th percentile, position 3.75 → 3.875.
    expect(
      stopped(decide(new PercentileEarlyStoppingStrategy({ percentileThreshold: 25 }), experiment)),
    ).toEqual([]);
    // The worst 75% lie above the 25th percentile, position 1.25 → 2.25.
    expect(
      stopped(decide(new PercentileEarlyStoppingStrategy({ percentileThreshold: 75 }), experiment)),
    ).toEqual([mid]);
  });

  it("does not stop a trial exactly at the percentile (ties are not worse)", () => {
    const experiment = curveExperiment();
    fiveLevels(experiment);
    const tie = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 3),
    );
    expect(decide(new PercentileEarlyStoppingStrategy(), experiment).has(tie)).toBe(false);
    attachPoints(experiment, tie, [[11, 3.01]]);
    expect(stopped(decide(new PercentileEarlyStoppingStrategy(), experiment))).toEqual([tie]);
  });

  it("interpolates curves reported at other steps, and leaves out curves that have not reached the step", () => {
    const experiment = curveExperiment();
    // Linear curves from `start` at step 0 to `start - 1` at step 20, reported every 10 steps: at step 15
    // they are worth start - 0.75.
    for (const start of [2, 3, 4, 5])
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled([0, 10, 20], (s) => start - s / 20),
      );
    // A curve stopped at step 12 does not speak for step 15.
    addCurveTrial(
      experiment,
      EARLY_STOPPED,
      sampled([0, 6, 12], () => 0),
    );
    const running = addCurveTrial(experiment, RUNNING, [[15, 3.3]]);
    const decisions = decide(new PercentileEarlyStoppingStrategy({ minCurves: 5 }), experiment);
    // Values at 15: 1.25, 2.25, 3.25, 4.25, 3.3 → median 3.25, so 3.3 is worse.
    expect(decisions.get(running)).toBe(
      "loss 3.3 at step 15 is worse than the 50th percentile (3.25) of 5 curves",
    );
    // Six curves exist, but only five cover step 15: with minCurves 6 nothing is stopped.
    expect(decide(new PercentileEarlyStoppingStrategy({ minCurves: 6 }), experiment).size).toBe(0);
  });

  it("compares against running and early-stopped curves too", () => {
    const experiment = curveExperiment();
    addCurveTrial(
      experiment,
      EARLY_STOPPED,
      sampled(steps(10), () => 9),
    );
    addCurveTrial(
      experiment,
      EARLY_STOPPED,
      sampled(steps(10), () => 8),
    );
    addCurveTrial(
      experiment,
      COMPLETED,
      sampled(steps(20), () => 1),
    );
    const a = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 7),
    );
    const b = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 2),
    );
    const decisions = decide(new PercentileEarlyStoppingStrategy({ minCurves: 5 }), experiment);
    // Values 9, 8, 1, 7, 2 → median 7: neither running trial is worse than it.
    expect(decisions.size).toBe(0);
    attachPoints(experiment, a, [[10, 8.5]]);
    const again = decide(new PercentileEarlyStoppingStrategy({ minCurves: 5 }), experiment);
    // Values 9, 8, 1, 8.5, 2 → median 8.
    expect(stopped(again)).toEqual([a]);
    expect(again.has(b)).toBe(false);
  });

  it("stops nothing until minCurves curves reached minProgression", () => {
    const experiment = curveExperiment();
    for (const level of [1, 2, 3])
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(20), () => level),
      );
    addCurveTrial(
      experiment,
      EARLY_STOPPED,
      sampled(steps(4), () => 2),
    );
    const bad = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(4), () => 9),
    );
    // Five curves in all, but two (the early-stopped one and the running one) never reached step 5.
    expect(decide(new PercentileEarlyStoppingStrategy({ minProgression: 5 }), experiment).size).toBe(0);
    expect(decide(new PercentileEarlyStoppingStrategy({ minProgression: 4 }), experiment).has(bad)).toBe(
      true,
    );
    expect(decide(new PercentileEarlyStoppingStrategy({ minCurves: 6 }), experiment).size).toBe(0);
  });

  it("does not stop a trial below minProgression or at/after maxProgression", () => {
    const experiment = curveExperiment();
    fiveLevels(experiment);
    const t = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(4), () => 9),
    );
    const strategy = new PercentileEarlyStoppingStrategy({ minProgression: 5, maxProgression: 8 });
    expect(decide(strategy, experiment).size).toBe(0);
    attachPoints(experiment, t, [[5, 9]]);
    expect(stopped(decide(strategy, experiment))).toEqual([t]);
    attachPoints(experiment, t, [[7.9, 9]]);
    expect(stopped(decide(strategy, experiment))).toEqual([t]);
    attachPoints(experiment, t, [[8, 9]]);
    expect(decide(strategy, experiment).size).toBe(0);
  });

  it("normalizes progressions to [0, 1] by the range seen, so min/maxProgression are fractions", () => {
    const experiment = curveExperiment();
    for (const level of [1, 2, 3, 4, 5])
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(200, 10), () => level),
      );
    const t = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(90, 10), () => 9),
    );
    const strategy = new PercentileEarlyStoppingStrategy({
      normalizeProgressions: true,
      minProgression: 0.5,
    });
    // Steps run 10..200: step 90 is (90 − 10) / 190 ≈ 0.42 of the way.
    expect(decide(strategy, experiment).size).toBe(0);
    attachPoints(experiment, t, [[110, 9]]);
    const decisions = decide(strategy, experiment);
    expect(stopped(decisions)).toEqual([t]);
    expect(decisions.get(t)).toMatch(/^loss 9 at progression 0\.5263 is worse than the 50th percentile/);
  });

  it("neither stops nor compares against ignored trials", () => {
    const experiment = curveExperiment();
    const baseline = addCurveTrial(
      experiment,
      COMPLETED,
      sampled(steps(20), () => 100),
    );
    for (const level of [1, 2, 3, 4])
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(20), () => level),
      );
    const t = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 3.2),
    );
    const ignoredRunning = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 50),
    );
    // With every curve: 100, 1, 2, 3, 4, 3.2, 50 → median 3.2: t ties, the other running trial is worse.
    expect(stopped(decide(new PercentileEarlyStoppingStrategy(), experiment))).toEqual([ignoredRunning]);
    const strategy = new PercentileEarlyStoppingStrategy({
      trialIndicesToIgnore: [baseline, ignoredRunning],
    });
    // Without them: 1, 2, 3, 4, 3.2 → 5 curves, median 3: trial t is worse; the ignored one is kept.
    expect(stopped(decide(strategy, experiment))).toEqual([t]);
  });

  it("watches the named metric in that metric's direction, along a named progression key", () => {
    const accuracy = new TestMetric({ name: "accuracy", lowerIsBetter: false });
    const experiment = curveExperiment({ trackingMetrics: [accuracy] });
    for (const level of [0.5, 0.6, 0.7, 0.8, 0.9]) {
      const i = addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(5), () => 1),
        { key: "epoch" },
      );
      attachPoints(
        experiment,
        i,
        sampled(steps(5), () => level),
        { metricName: "accuracy", key: "epoch" },
      );
    }
    const t = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(3), () => 0),
      { key: "epoch" },
    );
    attachPoints(
      experiment,
      t,
      sampled(steps(3), () => 0.55),
      { metricName: "accuracy", key: "epoch" },
    );
    const byLoss = new PercentileEarlyStoppingStrategy({ progressionKey: "epoch" });
    expect(decide(byLoss, experiment).size).toBe(0);
    const byAccuracy = new PercentileEarlyStoppingStrategy({
      metricNames: ["accuracy"],
      progressionKey: "epoch",
    });
    expect(decide(byAccuracy, experiment).get(t)).toBe(
      "accuracy 0.55 at epoch 3 is worse than the 50th percentile (0.65) of 6 curves",
    );
  });

  it("takes the first objective's direction from the optimization config and ignores final-only rows", () => {
    const experiment = curveExperiment();
    fiveLevels(experiment);
    const t = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 4.5),
    );
    // A final row (no progression) is not part of any curve.
    const trial = experiment.getTrial(t);
    experiment.attachData(
      Data.fromRows([
        { trialIndex: t, armName: trial.arms[0]!.name, metricName: "loss", mean: 0, sem: null },
      ]),
    );
    expect(stopped(decide(new PercentileEarlyStoppingStrategy(), experiment))).toEqual([t]);
  });

  it("refuses metrics it cannot judge, naming what to change", () => {
    const experiment = curveExperiment({ trackingMetrics: [new TestMetric({ name: "memory" })] });
    fiveLevels(experiment);
    addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), () => 4.5),
    );
    const noDirection = catchError(
      () => decide(new PercentileEarlyStoppingStrategy({ metricNames: ["memory"] }), experiment),
      EarlyStoppingConfigError,
    );
    expect(noDirection.message).toMatch(/"memory" is not an objective and has no lowerIsBetter/);
    const unknown = catchError(
      () => decide(new PercentileEarlyStoppingStrategy({ metricNames: ["lost"] }), experiment),
      EarlyStoppingConfigError,
    );
    expect(unknown.message).toMatch(/metric "lost" is not on experiment "exp" \(its metrics: loss, memory\)/);
    experiment.optimizationConfig = null;
    expect(() => decide(new PercentileEarlyStoppingStrategy(), experiment)).toThrow(/no optimization config/);
  });

  it("validates its options, naming the option and the accepted values", () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ percentileThreshold: 0 }, "percentileThreshold", /must be a number in \(0, 100\)/],
      [{ percentileThreshold: 100 }, "percentileThreshold", /got 100/],
      [{ percentileThreshold: Number.NaN }, "percentileThreshold", /got NaN/],
      [{ minCurves: 0 }, "minCurves", /integer >= 1, got 0/],
      [{ minCurves: 2.5 }, "minCurves", /got 2.5/],
      [{ minProgression: -1 }, "minProgression", /must be >= 0/],
      [
        { minProgression: 5, maxProgression: 5 },
        "maxProgression",
        /must be greater than minProgression \(5\)/,
      ],
      [{ metricNames: ["a", "b"] }, "metricNames", /exactly one metric, got 2 .*AndEarlyStoppingStrategy/],
      [{ metricNames: "loss" }, "metricNames", /must be a list of one metric name/],
      [{ trialIndicesToIgnore: [-1] }, "trialIndicesToIgnore", /trial indices/],
      [{ normalizeProgressions: "yes" }, "normalizeProgressions", /true or false/],
      [{ progressionKey: "" }, "progressionKey", /non-empty string/],
      [{ secondsBetweenPolls: -1 }, "secondsBetweenPolls", /seconds >= 0/],
      [{ percentile_threshold: 50 }, "percentile_threshold", /Did you mean "percentileThreshold"\?/],
      [{ patience: 3 }, "patience", /unknown option "patience"\. Known options:/],
    ];
    for (const [options, path, message] of cases) {
      const error = catchError(() => new PercentileEarlyStoppingStrategy(options), EarlyStoppingConfigError);
      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
    }
  });

  it("has Ax's defaults and writes them back as a config", () => {
    const strategy = new PercentileEarlyStoppingStrategy({ secondsBetweenPolls: 3 });
    expect(strategy.secondsBetweenPolls).toBe(3);
    expect(strategy.toJSON()).toEqual({
      type: "percentile",
      percentileThreshold: 50,
      metricNames: null,
      minProgression: null,
      maxProgression: null,
      minCurves: 5,
      normalizeProgressions: false,
      trialIndicesToIgnore: [],
      progressionKey: null,
      secondsBetweenPolls: 3,
    });
    expect(new PercentileEarlyStoppingStrategy().secondsBetweenPolls).toBeUndefined();
  });
});
