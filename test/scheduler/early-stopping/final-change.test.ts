import { describe, expect, it } from "vitest";
import {
  fitFinalChange,
  predictFinalValue,
  studentQuantileFromNormal,
} from "../../../src/scheduler/early-stopping/final-change.js";

describe("fitFinalChange", () => {
  it("learns the mean change and its spread", () => {
    const fit = fitFinalChange([1, 2, 3], [0, 2, 1])!;
    // Changes −1, 0, −2: mean −1, sample standard deviation 1.
    expect(fit.meanChange).toBeCloseTo(-1, 12);
    expect(fit.s).toBeCloseTo(1, 12);
    expect(fit.dof).toBe(2);
    const p = predictFinalValue(fit, 10);
    expect(p.mean).toBeCloseTo(9, 12);
    expect(p.se).toBeCloseTo(Math.sqrt(1 + 1 / 3), 12);
  });

  it("has no spread when every curve changed alike", () => {
    const fit = fitFinalChange([1, 5, 9], [0.5, 4.5, 8.5])!;
    expect(fit.meanChange).toBeCloseTo(-0.5, 12);
    expect(fit.s).toBeCloseTo(0, 12);
    expect(predictFinalValue(fit, 2).se).toBeCloseTo(0, 12);
  });

  it("returns null with fewer than two curves", () => {
    expect(fitFinalChange([1], [1])).toBeNull();
    expect(fitFinalChange([], [])).toBeNull();
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
