import { describe, expect, it } from "vitest";
import { log1mexp, logsumexp, sigmoid, softplus } from "../../../src/numerics/stats/index.js";
import { centralDifference, statsReference, toNumber, worstRelativeError } from "./reference.js";

const { scipy, exact } = statsReference;

describe("log1mexp", () => {
  it("matches mpmath log(−expm1(x)) from −1e3 to −1e-300 (relative 2e-15)", () => {
    const worst = worstRelativeError(exact.log1mexpX, exact.log1mexp, log1mexp);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(2e-15);
  });

  it("is −Infinity at 0 and NaN for x > 0", () => {
    expect(log1mexp(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(log1mexp(-0)).toBe(Number.NEGATIVE_INFINITY);
    expect(log1mexp(1e-3)).toBeNaN();
    expect(log1mexp(Number.NEGATIVE_INFINITY)).toBe(-0);
  });
});

describe("softplus and sigmoid", () => {
  it("match numpy.logaddexp(0, x) and scipy.special.expit (relative 2e-15)", () => {
    const sp = worstRelativeError(scipy.softplusX, scipy.softplus, softplus);
    expect(sp.error, `at x = ${sp.at}`).toBeLessThanOrEqual(2e-15);
    const sg = worstRelativeError(scipy.softplusX, scipy.expit, sigmoid);
    expect(sg.error, `at x = ${sg.at}`).toBeLessThanOrEqual(2e-15);
  });

  it("sigmoid is the derivative of softplus", () => {
    for (const x of [-30, -5, -1, 0, 0.5, 4, 30]) {
      const fd = centralDifference(softplus, x, 1e-5);
      expect(Math.abs(fd - sigmoid(x)) / sigmoid(x), `at x = ${x}`).toBeLessThanOrEqual(1e-8);
    }
  });
});

describe("logsumexp", () => {
  it("matches scipy.special.logsumexp, including values that overflow exp", () => {
    for (const { values, result } of scipy.logsumexp) {
      const expected = toNumber(result);
      const actual = logsumexp(values.map(toNumber));
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(2e-15 * Math.max(1, Math.abs(expected)));
    }
  });

  it("handles empty ranges, infinities, NaN, n and typed arrays", () => {
    expect(logsumexp([])).toBe(Number.NEGATIVE_INFINITY);
    expect(logsumexp([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(Number.NEGATIVE_INFINITY);
    expect(logsumexp([1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
    expect(logsumexp([1, Number.NaN, Number.POSITIVE_INFINITY])).toBeNaN();
    expect(logsumexp(Float64Array.of(0, 0, 1000), 2)).toBeCloseTo(Math.LN2, 15);
  });
});
