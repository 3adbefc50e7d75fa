import { describe, expect, it } from "vitest";
import { type Experiment, TrialStatus } from "../../../src/core/index.js";
import { EarlyStoppingConfigError } from "../../../src/errors.js";
import {
  CurvePredictionEarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
} from "../../../src/scheduler/index.js";
import { catchError } from "../../core/helpers.js";
import { addCurveTrial, curveExperiment, runningIndices, sampled, steps, stopped } from "./curve-fixtures.js";

const { COMPLETED, RUNNING, EARLY_STOPPED } = TrialStatus;

/**
 * A loss curve that falls from about scale·5 to scale·1.08 over steps 1..`last`, the same shape for every
 * scale, with a 2% wobble along the steps (its phase differs between curves) so no two curves are exactly
 * proportional.
 */
function shaped(scale: number, last = 50, phase = 0) {
  return sampled(steps(last), (s) => scale * (1 + 4 / s) * (1 + 0.02 * Math.sin(1.7 * s + phase)));
}

/** Six completed curves of that shape at scales 0.2..0.7. */
function sixCompleted(experiment: Experiment): void {
  [0.2, 0.3, 0.4, 0.5, 0.6, 0.7].forEach((scale, i) => {
    addCurveTrial(experiment, COMPLETED, shaped(scale, 50, i + 1));
  });
}

function decide(
  strategy: { shouldStopTrialsEarly: CurvePredictionEarlyStoppingStrategy["shouldStopTrialsEarly"] },
  experiment: Experiment,
) {
  return strategy.shouldStopTrialsEarly({ trialIndices: runningIndices(experiment), experiment });
}

describe("CurvePredictionEarlyStoppingStrategy", () => {
  it("stops a trial whose predicted final value cannot beat the best one, and lets a promising one run", () => {
    const experiment = curveExperiment();
    sixCompleted(experiment);
    const hopeless = addCurveTrial(experiment, RUNNING, shaped(1, 10));
    const promising = addCurveTrial(experiment, RUNNING, shaped(0.19, 10));
    const decisions = decide(new CurvePredictionEarlyStoppingStrategy(), experiment);
    expect(stopped(decisions)).toEqual([hopeless]);
    // The shape says a curve near 1.4 at step 10 ends near 1.08 at step 50; the best final is about 0.216.
    const reason = decisions.get(hopeless)!;
    expect(reason).toMatch(
      /^loss 1\.3\d* at step 10 predicts 1\.0\d* at step 50 \(at best [\d.]+, from 6 completed curves\), worse than the best final value 0\.2\d*$/,
    );
    const atBest = Number(/at best ([\d.]+)/.exec(reason)![1]);
    expect(atBest).toBeGreaterThan(0.22);
    expect(atBest).toBeLessThan(1.08);
    expect(decisions.has(promising)).toBe(false);
  });

  it("judges a trial by its best value so far, so one bad step does not stop a good trial", () => {
    const experiment = curveExperiment();
    sixCompleted(experiment);
    // Both trials bounce up at step 10; before it, one was on course for the best result, the other not.
    const good = addCurveTrial(experiment, RUNNING, [...shaped(0.19, 9), [10, 1.5]]);
    const bad = addCurveTrial(experiment, RUNNING, [...shaped(1, 9), [10, 1.6]]);
    const decisions = decide(new CurvePredictionEarlyStoppingStrategy(), experiment);
    expect(stopped(decisions)).toEqual([bad]);
    expect(decisions.get(bad)).toMatch(
      /^loss 1\.6 at step 10 \(best so far 1\.4\d*\) predicts 1\.\d+ at step 50/,
    );
    expect(decisions.has(good)).toBe(false);
  });

  it("lets a slow starter run when early values do not rank final values, where the percentile rule stops it", () => {
    const experiment = curveExperiment();
    // Final level a, early excess b: how high a curve starts says nothing about where it ends.
    const levels: [number, number][] = [
      [0.2, 3],
      [0.3, 0.5],
      [0.4, 2],
      [0.5, 0.2],
      [0.6, 1.5],
      [0.7, 0.1],
    ];
    for (const [a, b] of levels)
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(50), (s) => a + b / s),
      );
    const slowStarter = addCurveTrial(
      experiment,
      RUNNING,
      sampled([1], (s) => 0.15 + 3 / s),
    );
    expect(decide(new CurvePredictionEarlyStoppingStrategy(), experiment).size).toBe(0);
    expect(stopped(decide(new PercentileEarlyStoppingStrategy(), experiment))).toEqual([slowStarter]);
  });

  it("learns from completed curves only, and needs minCurves of them", () => {
    const experiment = curveExperiment();
    [0.2, 0.3, 0.4].forEach((scale, i) => {
      addCurveTrial(experiment, COMPLETED, shaped(scale, 50, i));
    });
    // Early-stopped and running curves have no final value to learn from.
    addCurveTrial(experiment, EARLY_STOPPED, shaped(0.6, 20));
    addCurveTrial(experiment, RUNNING, shaped(0.19, 40));
    const hopeless = addCurveTrial(experiment, RUNNING, shaped(1, 10));
    expect(decide(new CurvePredictionEarlyStoppingStrategy(), experiment).size).toBe(0);
    expect(stopped(decide(new CurvePredictionEarlyStoppingStrategy({ minCurves: 3 }), experiment))).toEqual([
      hopeless,
    ]);
  });

  it("works for a maximized metric on its own scale", () => {
    const experiment = curveExperiment({ minimize: false });
    // Accuracy-like curves rising towards a, some below zero early (so no log scale).
    [0.6, 0.7, 0.75, 0.8, 0.85, 0.9].forEach((a, i) => {
      addCurveTrial(
        experiment,
        COMPLETED,
        sampled(steps(30), (s) => a - 1 / s + 0.005 * Math.cos(i)),
      );
    });
    const weak = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), (s) => 0.3 - 1 / s),
    );
    const strong = addCurveTrial(
      experiment,
      RUNNING,
      sampled(steps(10), (s) => 0.95 - 1 / s),
    );
    const early = addCurveTrial(
      experiment,
      RUNNING,
      sampled([1], (s) => 0.3 - 1 / s),
    );
    for (const transform of ["auto", "none"] as const) {
      const decisions = decide(new CurvePredictionEarlyStoppingStrategy({ transform }), experiment);
      expect(stopped(decisions)).toEqual([weak, early]);
      expect(decisions.has(strong)).toBe(false);
    }
    // On a log scale the values at step 1 (below zero) cannot be modelled: that trial is not judged.
    expect(
      stopped(decide(new CurvePredictionEarlyStoppingStrategy({ transform: "log" }), experiment)),
    ).toEqual([weak]);
  });

  it("gives more benefit of the doubt with more optimism", () => {
    const experiment = curveExperiment();
    sixCompleted(experiment);
    // Slightly worse than the best: a confident model stops it, a very optimistic one does not.
    const close = addCurveTrial(experiment, RUNNING, shaped(0.24, 10));
    expect(stopped(decide(new CurvePredictionEarlyStoppingStrategy({ optimism: 0 }), experiment))).toEqual([
      close,
    ]);
    expect(decide(new CurvePredictionEarlyStoppingStrategy({ optimism: 20 }), experiment).size).toBe(0);
  });

  it("judges only inside the progression range and before the final progression", () => {
    const experiment = curveExperiment();
    sixCompleted(experiment);
    addCurveTrial(experiment, RUNNING, shaped(1, 10));
    expect(decide(new CurvePredictionEarlyStoppingStrategy({ minProgression: 11 }), experiment).size).toBe(0);
    expect(decide(new CurvePredictionEarlyStoppingStrategy({ maxProgression: 10 }), experiment).size).toBe(0);
    const done = addCurveTrial(experiment, RUNNING, shaped(1, 50));
    expect(decide(new CurvePredictionEarlyStoppingStrategy(), experiment).has(done)).toBe(false);
  });

  it("validates its options and writes them back as a config", () => {
    for (const [options, path] of [
      [{ optimism: -1 }, "optimism"],
      [{ optimism: Number.NaN }, "optimism"],
      [{ transform: "sqrt" }, "transform"],
      [{ minCurves: 0 }, "minCurves"],
    ] as const) {
      const error = catchError(
        () => new CurvePredictionEarlyStoppingStrategy(options as never),
        EarlyStoppingConfigError,
      );
      expect(error.path).toBe(path);
    }
    expect(new CurvePredictionEarlyStoppingStrategy({ optimism: 1.5 }).toJSON()).toMatchObject({
      type: "curve-prediction",
      optimism: 1.5,
      transform: "auto",
      minCurves: 4,
    });
  });
});
