import { describe, expect, it } from "vitest";
import {
  fitFinalValue,
  predictFinalValue,
  studentQuantileFromNormal,
} from "../../../src/scheduler/early-stopping/curve-regression.js";

describe("fitFinalValue", () => {
  it("recovers an exact line, with no residual spread", () => {
    const x = [1, 2, 3, 4];
    const fit = fitFinalValue(
      x,
      x.map((v) => 0.5 + 2 * v),
    )!;
    expect(fit.a).toBeCloseTo(0.5, 12);
    expect(fit.b).toBeCloseTo(2, 12);
    expect(fit.s).toBeCloseTo(0, 12);
    expect(fit.dof).toBe(2);
    expect(predictFinalValue(fit, 10).mean).toBeCloseTo(20.5, 10);
  });

  it("falls back to the mean change (slope 1) with two curves or equal x values", () => {
    const two = fitFinalValue([1, 3], [0, 1])!;
    expect(two.b).toBe(1);
    expect(two.a).toBeCloseTo(-1.5, 12);
    expect(two.dof).toBe(1);
    expect(two.s).toBeCloseTo(Math.SQRT1_2, 12);
    const same = fitFinalValue([2, 2, 2], [1, 1.5, 2])!;
    expect(same.b).toBe(1);
    expect(same.sxx).toBe(0);
  });

  it("returns null with fewer than two curves", () => {
    expect(fitFinalValue([1], [1])).toBeNull();
    expect(fitFinalValue([], [])).toBeNull();
  });

  it("widens the prediction away from the data", () => {
    const fit = fitFinalValue([1, 2, 3, 4, 5], [1.1, 1.9, 3.2, 3.9, 5.1])!;
    const near = predictFinalValue(fit, 3).se;
    const far = predictFinalValue(fit, 20).se;
    expect(near).toBeGreaterThan(fit.s);
    expect(far).toBeGreaterThan(near * 2);
  });
});

describe("studentQuantileFromNormal", () => {
  it("is close to tabulated Student t quantiles", () => {
    // t(0.975; ν) for ν = 3, 5, 10, 30 and t(0.95; 5), from standard tables.
    expect(studentQuantileFromNormal(1.959964, 3)).toBeCloseTo(3.182, 1);
    expect(studentQuantileFromNormal(1.959964, 5)).toBeCloseTo(2.571, 2);
    expect(studentQuantileFromNormal(1.959964, 10)).toBeCloseTo(2.228, 2);
    expect(studentQuantileFromNormal(1.959964, 30)).toBeCloseTo(2.042, 2);
    expect(studentQuantileFromNormal(1.644854, 5)).toBeCloseTo(2.015, 2);
  });

  it("grows as the degrees of freedom shrink, even below 3", () => {
    const q = [1, 2, 3, 5, 10, 100].map((nu) => studentQuantileFromNormal(2, nu));
    for (let i = 1; i < q.length; i++) expect(q[i]!).toBeLessThan(q[i - 1]!);
    expect(studentQuantileFromNormal(0, 4)).toBe(0);
  });
});
