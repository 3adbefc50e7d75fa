import { describe, expect, it } from "vitest";
import { Arm } from "../../src/core/index.js";
import { OptimizationConfigError } from "../../src/errors.js";
import { bestPoint, modelBestPoint } from "../../src/reporting/index.js";
import { Rng } from "../../src/util/rng.js";
import { ComparisonOp, completed, makeExperiment } from "./helpers.js";

/** True objective: minimum 0 at x = 3 on [0, 10]. */
const bowl = (x: number) => ((x - 3) / 3) ** 2;

/**
 * 41 noisy observations of the bowl (sd 0.2, sem unknown) on a grid, except a lucky draw at x = 5,
 * whose true value is 0.44 but was observed at −0.8: the raw best, though its neighbours say otherwise.
 */
function noisyBowl(
  options: Parameters<typeof makeExperiment>[0] = {},
  extra?: (x: number) => Record<string, number>,
) {
  const experiment = makeExperiment(options);
  const rng = new Rng(7);
  for (let i = 0; i <= 40; i++) {
    const x = i / 4;
    const obj = x === 5 ? -0.8 : bowl(x) + 0.2 * rng.normal();
    completed(experiment, x, { obj, ...extra?.(x) });
  }
  return experiment;
}

describe("modelBestPoint", () => {
  it("prefers the arm the model believes in over a lucky noisy draw", () => {
    const experiment = noisyBowl();
    expect(bestPoint(experiment)?.parameters.x).toBe(5);
    const best = modelBestPoint(experiment)!;
    expect(best.parameters.x).toBeGreaterThanOrEqual(2);
    expect(best.parameters.x).toBeLessThanOrEqual(4);
    // Observed values stay the observations; predictions are the model's, near the true minimum 0.
    expect(best.values.obj).toBe(
      experiment.lookupTrialData(best.trialIndex).rows.find((r) => r.metricName === "obj")!.mean,
    );
    expect(Math.abs(best.predictions.obj!.mean)).toBeLessThan(0.15);
    expect(best.predictions.obj!.sem).toBeGreaterThan(0);
    expect(best.predictions.obj!.sem).toBeLessThan(0.1);
  });

  it("keeps only arms whose predicted constraint means satisfy their bounds", () => {
    const experiment = noisyBowl(
      { constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 2.2 }] },
      (x) => ({
        cost: x,
      }),
    );
    const best = modelBestPoint(experiment)!;
    expect(best.predictions.cost!.mean).toBeLessThanOrEqual(2.2);
    // The unconstrained optimum x = 3 is infeasible: the best feasible arm is the highest x up to 2.2.
    expect(best.parameters.x).toBe(2);
  });

  it("judges a constraint relative to the status quo once the status quo is observed", () => {
    const experiment = noisyBowl(
      { constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 10, relative: true }] },
      (x) => ({ cost: x }),
    );
    // Without a status quo the relative bound cannot be judged: the unconstrained answer.
    expect(modelBestPoint(experiment)!.parameters.x).toBeGreaterThan(2.2);
    // The status quo x = 2 was observed with cost 2 (its grid trial): the bound is 1.1 * 2 = 2.2.
    experiment.statusQuo = new Arm({ parameters: { x: 2, kind: "a" } });
    const best = modelBestPoint(experiment)!;
    expect(best.predictions.cost!.mean).toBeLessThanOrEqual(2.2);
    expect(best.parameters.x).toBe(2);
  });

  it("maximizes when the objective is maximized", () => {
    const experiment = makeExperiment({ minimize: false });
    for (let i = 0; i <= 10; i++) completed(experiment, i, { obj: -bowl(i) + 0.05 * Math.sin(7 * i) });
    expect(modelBestPoint(experiment)?.parameters.x).toBe(3);
  });

  it("agrees with the observations when they are noise-free", () => {
    const experiment = makeExperiment();
    const rng = new Rng(3);
    for (let i = 0; i < 12; i++) {
      const x = 10 * rng.next();
      completed(experiment, x, { obj: bowl(x) + Math.sin(3 * x) }, "a", 0);
    }
    const raw = bestPoint(experiment)!;
    const best = modelBestPoint(experiment)!;
    expect(best.trialIndex).toBe(raw.trialIndex);
    expect(best.predictions.obj!.mean).toBeCloseTo(raw.values.obj!, 3);
  });

  it("returns null until the model can judge, and when nothing is predicted feasible", () => {
    const one = makeExperiment();
    completed(one, 1, { obj: 1 });
    expect(modelBestPoint(one)).toBeNull();
    const noCost = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 1 }] });
    completed(noCost, 1, { obj: 1, cost: 0 });
    completed(noCost, 2, { obj: 0 });
    expect(modelBestPoint(noCost)).toBeNull();
    const infeasible = noisyBowl(
      { constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: -5 }] },
      (x) => ({
        cost: x,
      }),
    );
    expect(modelBestPoint(infeasible)).toBeNull();
  });

  it("refuses a multi-objective experiment", () => {
    const experiment = makeExperiment({ multiObjective: true });
    completed(experiment, 1, { obj: 1, obj2: 1 });
    expect(() => modelBestPoint(experiment)).toThrow(OptimizationConfigError);
  });
});
