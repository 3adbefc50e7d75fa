import { describe, expect, it } from "vitest";
import {
  ComparisonOp,
  ConstrainedLogExpectedImprovement,
  evaluateRows,
  LogExpectedImprovement,
  LogProbabilityOfFeasibility,
  QLogNoisyExpectedImprovement,
} from "../../../src/numerics/acquisition/index.js";
import { createGp } from "../../../src/numerics/gp/index.js";
import { F, uniformPoints } from "../gp/helpers.js";

describe("batched raw-sample evaluation", () => {
  const d = 3;
  const n = 70;
  const X = uniformPoints(n, d, 41);
  const gpOf = (f: (x: Float64Array) => number, ls: number[]) =>
    createGp({
      X,
      n,
      d,
      Y: F(Array.from({ length: n }, (_, i) => f(X.subarray(i * d, (i + 1) * d)))),
      Yvar: new Float64Array(n),
      hyperparameters: { lengthscales: ls, outputscale: 1.1, constantMean: 0.1, noiseVariance: null },
    });
  const objective = gpOf((x) => Math.sin(4 * x[0]!) + x[1]! * x[2]!, [0.3, 0.5, 0.8]);
  const constraint = gpOf((x) => x[0]! + x[1]! - 1, [0.6, 0.6, 1]);
  // Two blocks of the batched solve and a remainder, plus the training inputs (variance at the floor).
  const m = 40;
  const P = new Float64Array((m + n) * d);
  P.set(uniformPoints(m, d, 42));
  P.set(X, m * d);
  const rows = m + n;
  const perPoint = (acq: { evaluate(x: Float64Array): number }, count = rows) =>
    F(Array.from({ length: count }, (_, i) => acq.evaluate(P.slice(i * d, (i + 1) * d))));
  /** Away from the data (posterior sd ≫ rounding) the batched values agree with per-point ones. */
  const expectClose = (a: Float64Array, b: Float64Array) => {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(b[i]!)));
  };

  it("GpModel.predictValues equals predictValue: means bit for bit, variances to rounding", () => {
    const { mean, variance } = objective.predictValues(P, rows);
    for (let i = 0; i < rows; i++) {
      const one = objective.predictValue(P.slice(i * d, (i + 1) * d));
      expect(mean[i]).toBe(one.mean);
      // s² − ‖L⁻¹k‖² cancels: both paths carry an absolute error of a few ulps of s².
      expect(Math.abs(variance[i]! - one.variance)).toBeLessThan(1e-13);
    }
  });

  it("GpModel.predictMeansAndVarianceBounds gives the means and variance upper bounds", () => {
    const { mean, variance } = objective.predictValues(P, rows);
    const bounds = objective.predictMeansAndVarianceBounds(P, rows);
    for (let i = 0; i < rows; i++) {
      expect(bounds.mean[i]).toBeCloseTo(mean[i]!, 10);
      expect(bounds.varianceBound[i]! + 1e-12).toBeGreaterThanOrEqual(variance[i]!);
    }
    // At the (noiseless) training inputs the bound is at the floor, like the variance.
    expect(bounds.varianceBound[rows - 1]).toBeLessThan(1e-6);
  });

  it("LogEI, LogPF and constrained LogEI evaluateMany equal evaluate to rounding", () => {
    const c = { surrogate: constraint, bound: 0, op: ComparisonOp.LEQ, outcomeScale: 1 };
    const acquisitions = [
      new LogExpectedImprovement(objective, 0.8),
      new LogProbabilityOfFeasibility([c]),
      new ConstrainedLogExpectedImprovement(objective, [c, { ...c, op: ComparisonOp.GEQ, bound: -0.5 }], 0.8),
    ];
    for (const acq of acquisitions) expectClose(evaluateRows(acq, P.subarray(0, m * d), m), perPoint(acq, m));
  });

  it("qLogNEI evaluateMany equals evaluate to rounding", () => {
    const noisy = createGp({
      X,
      n,
      d,
      Y: F(Array.from({ length: n }, (_, i) => Math.cos(3 * X[i * d]!) - X[i * d + 2]!)),
      Yvar: null,
      hyperparameters: {
        lengthscales: [0.3, 0.5, 0.8],
        outputscale: 1,
        constantMean: 0,
        noiseVariance: 1e-2,
      },
    });
    const acq = new QLogNoisyExpectedImprovement(noisy, {
      baseline: X,
      pending: P.slice(0, 2 * d),
      dimension: d,
      seed: 3,
      pruneBaseline: true,
    });
    expectClose(evaluateRows(acq, P.subarray(0, m * d), m), perPoint(acq, m));
  });

  it("falls back to per-point evaluation for an acquisition without evaluateMany", () => {
    const acq = { evaluate: (x: Float64Array) => x[0]! - x[2]! };
    expect(Array.from(evaluateRows(acq, P, rows))).toEqual(Array.from(perPoint(acq)));
  });
});
