import { describe, expect, it } from "vitest";
import { minimizeBounded, TerminationReason } from "../../../src/numerics/optim/index.js";
import {
  branin,
  hartmann6,
  loglik,
  maxAbsDiff,
  quadratic,
  type ReferenceRun,
  reference,
  rosenbrock,
} from "./problems.js";

/** Tolerances tight enough to reach the precision of scipy's reference runs. */
const TIGHT = { gradientTolerance: 1e-9, relativeFunctionTolerance: 1e-15, maxIterations: 1000 };

function expectMatchesReference(
  r: { x: Float64Array; f: number },
  ref: ReferenceRun,
  xTol = 1e-5,
  fTol = 1e-8,
): void {
  expect(maxAbsDiff(r.x, ref.x)).toBeLessThan(xTol);
  expect(Math.abs(r.f - ref.f)).toBeLessThanOrEqual(fTol * Math.max(1, Math.abs(ref.f)));
}

describe("minimizeBounded reaches scipy's L-BFGS-B optima", () => {
  it.each(reference.rosenbrock.map((r) => [r.n, r] as const))(
    "bounded Rosenbrock, n = %i, x ∈ [-2, 0.8]ⁿ",
    (n, ref) => {
      const r = minimizeBounded(rosenbrock, ref.x0, { lower: ref.lower, upper: ref.upper, ...TIGHT });
      expectMatchesReference(r, ref);
      expect(r.x[0]).toBe(0.8); // the active upper bound holds exactly
      expect(r.gradientNorm).toBeLessThan(1e-6);
      expect(r.x.length).toBe(n);
    },
  );

  it("convex quadratic: the known active set, exactly, and the analytic optimum", () => {
    const q = reference.quadratic;
    const r = minimizeBounded(quadratic(q.Q, q.c), q.x0, { lower: q.lower, upper: q.upper, ...TIGHT });
    expectMatchesReference(r, q);
    expect(maxAbsDiff(r.x, q.solution)).toBeLessThan(1e-8);
    expect(Array.from(r.x.subarray(0, 5))).toEqual([0, 0, 0, 1, 1]);
    for (let j = 5; j < 8; j++) {
      expect(r.x[j]).toBeGreaterThan(0);
      expect(r.x[j]).toBeLessThan(1);
    }
    expect(r.converged).toBe(true);
    expect(r.gradientNorm).toBeLessThan(1e-8);
  });

  it.each(reference.branin.runs.map((run, i) => [i, run] as const))("Branin, start %i", (_i, run) => {
    const { lower, upper } = reference.branin;
    const r = minimizeBounded(branin, run.x0, { lower, upper, ...TIGHT });
    expectMatchesReference(r, run);
    expect(r.f).toBeCloseTo(0.397887, 6);
  });

  it.each(reference.hartmann6.runs.map((run, i) => [i, run] as const))("Hartmann6, start %i", (_i, run) => {
    const { lower, upper } = reference.hartmann6;
    const r = minimizeBounded(hartmann6, run.x0, { lower, upper, ...TIGHT });
    expectMatchesReference(r, run);
  });

  it("unbounded log-likelihood-like problem in 10 parameters", () => {
    const l = reference.loglik;
    const r = minimizeBounded(loglik(l.X, l.y, l.p), l.x0, TIGHT);
    expectMatchesReference(r, l);
    expect(r.gradientNorm).toBeLessThan(1e-6);
  });

  it("default tolerances converge with a small projected gradient and few evaluations", () => {
    const q = reference.quadratic;
    const r = minimizeBounded(quadratic(q.Q, q.c), q.x0, { lower: 0, upper: 1 });
    expect(r.converged).toBe(true);
    expect(r.gradientNorm).toBeLessThan(1e-5);
    expect(r.evaluations).toBeGreaterThanOrEqual(r.iterations + 1);
    expect(r.evaluations).toBeLessThan(60);
    const ros = minimizeBounded(rosenbrock, new Float64Array(10).fill(-1.2));
    expect(maxAbsDiff(ros.x, new Float64Array(10).fill(1))).toBeLessThan(1e-4);
    expect(ros.evaluations).toBeLessThan(150);
  });
});

describe("minimizeBounded contract", () => {
  it("counts every evaluation", () => {
    let calls = 0;
    const r = minimizeBounded(
      (x, g) => {
        calls++;
        return rosenbrock(x, g);
      },
      [0, 0, 0],
      { lower: -2, upper: 0.8 },
    );
    expect(r.evaluations).toBe(calls);
  });

  it("projects a start outside the box and ends on the bound it is pushed against", () => {
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0]! - 5);
      g[1] = 2 * (x[1]! + 5);
      return (x[0]! - 5) ** 2 + (x[1]! + 5) ** 2;
    };
    const seen: number[][] = [];
    const r = minimizeBounded(
      (x, g) => {
        seen.push(Array.from(x));
        return f(x, g);
      },
      [10, -10],
      { lower: [-1, -1], upper: [1, 1] },
    );
    expect(seen[0]).toEqual([1, -1]);
    expect(Array.from(r.x)).toEqual([1, -1]);
    expect(r.reason).toBe(TerminationReason.GRADIENT_TOLERANCE);
    expect(r.iterations).toBe(0);
    for (const p of seen) for (const v of p) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it("stops at maxIterations and maxEvaluations without exceeding them", () => {
    const byIterations = minimizeBounded(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(byIterations.iterations).toBe(3);
    expect(byIterations.reason).toBe(TerminationReason.MAX_ITERATIONS);
    expect(byIterations.converged).toBe(false);
    const byEvaluations = minimizeBounded(rosenbrock, [-1.2, 1], { maxEvaluations: 7 });
    expect(byEvaluations.evaluations).toBeLessThanOrEqual(7);
    expect(byEvaluations.reason).toBe(TerminationReason.MAX_EVALUATIONS);
    expect(byEvaluations.f).toBeLessThan(24.2); // f(x0) = 24.2
  });

  it("accepts a one-variable problem and fixed variables (lower = upper)", () => {
    const r = minimizeBounded(rosenbrock, [0.3, 0.5, 0.2], { lower: [-2, 0.5, -2], upper: [2, 0.5, 2] });
    expect(r.x[1]).toBe(0.5);
    expect(r.converged).toBe(true);
    const one = minimizeBounded(
      (x, g) => {
        g[0] = Math.cos(x[0]!);
        return Math.sin(x[0]!);
      },
      [0.5],
      { lower: [-1], upper: [3] },
    );
    expect(one.x[0]).toBe(-1);
  });

  it("rejects inconsistent inputs", () => {
    expect(() => minimizeBounded(rosenbrock, [])).toThrow(RangeError);
    expect(() => minimizeBounded(rosenbrock, [0, Number.NaN])).toThrow(RangeError);
    expect(() => minimizeBounded(rosenbrock, [0, 0], { lower: [0] })).toThrow(RangeError);
    expect(() => minimizeBounded(rosenbrock, [0, 0], { lower: [1, 0], upper: [0, 1] })).toThrow(RangeError);
    expect(() => minimizeBounded(rosenbrock, [0, 0], { maxIterations: -1 })).toThrow(RangeError);
    expect(() =>
      minimizeBounded(rosenbrock, [0, 0], {
        linearInequalities: { A: new Float64Array(3), b: new Float64Array(1) },
      }),
    ).toThrow(RangeError);
  });
});
