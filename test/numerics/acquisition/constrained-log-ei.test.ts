import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import {
  ComparisonOp,
  ConstrainedLogExpectedImprovement,
  LogExpectedImprovement,
  LogProbabilityOfFeasibility,
  makeConstrainedAcquisition,
  type OutcomeConstraint,
} from "../../../src/numerics/acquisition/index.js";
import { normalCdf } from "../../../src/numerics/stats/index.js";
import { ConstantSurrogate, centralGradient, maxRelativeDifference, QuadraticSurrogate } from "./fakes.js";

const d = 2;
// Objective peaks at (0.8, 0.8); constraint g peaks at (0.8, 0.8) too: g ≤ 0 holds only far from it.
const objective = new QuadraticSurrogate(new Float64Array([0.8, 0.8]), 1, 1, 0.02, 0.1);
const g = new QuadraticSurrogate(new Float64Array([0.8, 0.8]), 0.5, 2, 0.01, 0.05);
const constraints: OutcomeConstraint[] = [
  { surrogate: g, bound: 0, op: ComparisonOp.LEQ },
  { surrogate: new QuadraticSurrogate(new Float64Array([0, 0]), 0, 1, 0.05, 0.02), bound: -1.5, op: "GEQ" },
];
const points = [new Float64Array([0.1, 0.2]), new Float64Array([0.8, 0.75]), new Float64Array([2, -1])];

describe("LogProbabilityOfFeasibility", () => {
  it("is the sum of log Φ of the standardized slacks, a probability in [0, 1]", () => {
    const pf = new LogProbabilityOfFeasibility([
      { surrogate: new ConstantSurrogate(1, 4), bound: 2, op: "LEQ" },
      { surrogate: new ConstantSurrogate(1, 4), bound: 2, op: "GEQ" },
    ]);
    const value = pf.evaluate(new Float64Array(d));
    expect(value).toBeCloseTo(Math.log(normalCdf(0.5)) + Math.log(normalCdf(-0.5)), 12);
    for (const x of [...points, new Float64Array([50, 50])]) {
      const p = Math.exp(new LogProbabilityOfFeasibility(constraints).evaluate(x));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    const far = new LogProbabilityOfFeasibility([
      { surrogate: new ConstantSurrogate(1e4, 1e-6), bound: 0, op: "LEQ" },
    ]);
    expect(Number.isFinite(far.evaluate(new Float64Array(d)))).toBe(true);
  });

  it("has the gradient of central finite differences", () => {
    const pf = new LogProbabilityOfFeasibility(constraints);
    for (const x of points) {
      const grad = new Float64Array(d);
      pf.evaluate(x, grad);
      expect(
        maxRelativeDifference(
          grad,
          centralGradient((y) => pf.evaluate(y), x),
        ),
      ).toBeLessThan(1e-6);
    }
  });
});

describe("ConstrainedLogExpectedImprovement", () => {
  it("is LogEI + log PF with a matching gradient", () => {
    const acq = new ConstrainedLogExpectedImprovement(objective, constraints, 0.6);
    const logEI = new LogExpectedImprovement(objective, 0.6);
    const pf = new LogProbabilityOfFeasibility(constraints);
    for (const x of points) {
      expect(acq.evaluate(x)).toBeCloseTo(logEI.evaluate(x) + pf.evaluate(x), 12);
      const grad = new Float64Array(d);
      acq.evaluate(x, grad);
      expect(
        maxRelativeDifference(
          grad,
          centralGradient((y) => acq.evaluate(y), x),
        ),
      ).toBeLessThan(1e-6);
    }
  });

  it("prefers the feasible region in a toy problem", () => {
    // Unconstrained, LogEI is best at the objective's peak (0.8, 0.8), which is infeasible (g = 0.5).
    const acq = makeConstrainedAcquisition({
      objective,
      constraints: constraints.slice(0, 1),
      bestFeasible: 0.3,
    });
    const plain = new LogExpectedImprovement(objective, 0.3);
    let best = Number.NEGATIVE_INFINITY;
    let argmax = new Float64Array(d);
    for (let i = 0; i <= 40; i++) {
      for (let j = 0; j <= 40; j++) {
        const x = new Float64Array([i / 40, j / 40]);
        const v = acq.evaluate(x);
        if (v > best) [best, argmax] = [v, x];
      }
    }
    const peak = new Float64Array([0.8, 0.8]);
    expect(plain.evaluate(peak)).toBeGreaterThan(plain.evaluate(argmax));
    expect(g.predictWithGradient(argmax).mean).toBeLessThanOrEqual(0);
  });

  it("falls back to log PF alone when nothing feasible was observed yet", () => {
    const acq = makeConstrainedAcquisition({ objective, constraints, bestFeasible: null });
    expect(acq).toBeInstanceOf(LogProbabilityOfFeasibility);
    expect(makeConstrainedAcquisition({ objective, constraints, bestFeasible: 0 })).toBeInstanceOf(
      ConstrainedLogExpectedImprovement,
    );
    expect(() => makeConstrainedAcquisition({ objective, constraints: [], bestFeasible: null })).toThrow(
      NumericalError,
    );
  });
});
