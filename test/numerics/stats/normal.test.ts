import { describe, expect, it } from "vitest";
import {
  logNormalCdf,
  logNormalCdfDerivative,
  logNormalPdf,
  normalCdf,
  normalPdf,
} from "../../../src/numerics/stats/index.js";
import { centralDifference, statsReference, worstRelativeError } from "./reference.js";

const { scipy, exact } = statsReference;

/**
 * Tolerances, all relative, on x from −1e4 to 40 (320 points):
 * - against mpmath (80 digits, rounded once): 2e-15, i.e. a few ulp (observed ≤ 6.3e-16);
 * - against scipy 1.10: 5e-13, because scipy itself is off by up to 1.7e-13 in the tails
 *   (ndtr(−35.6), log_ndtr(26); measured against the same mpmath values);
 * - subnormal results (|value| < 2.2e-308) count as equal when both sides are subnormal.
 */
const EXACT = 2e-15;
const SCIPY = 5e-13;

describe("normalCdf", () => {
  it("matches mpmath to a few ulp in both tails", () => {
    const worst = worstRelativeError(exact.x, exact.ndtr, normalCdf);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
  });

  it("matches scipy.special.ndtr", () => {
    const worst = worstRelativeError(scipy.x, scipy.ndtr, normalCdf);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(SCIPY);
  });

  it("is a distribution function: Φ(x) + Φ(−x) = 1, limits 0 and 1, NaN in NaN out", () => {
    for (const x of [0, 0.3, 0.66, 0.67, 1, 2.5, 5, 8, 12]) {
      expect(Math.abs(normalCdf(x) + normalCdf(-x) - 1)).toBeLessThanOrEqual(2 * Number.EPSILON);
    }
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});

describe("normalPdf and logNormalPdf", () => {
  it("normalPdf matches mpmath to a few ulp and scipy.stats.norm.pdf", () => {
    const vsExact = worstRelativeError(exact.x, exact.normPdf, normalPdf);
    expect(vsExact.error, `at x = ${vsExact.at}`).toBeLessThanOrEqual(EXACT);
    const vsScipy = worstRelativeError(scipy.x, scipy.normPdf, normalPdf);
    expect(vsScipy.error, `at x = ${vsScipy.at}`).toBeLessThanOrEqual(SCIPY);
  });

  it("logNormalPdf matches scipy.stats.norm.logpdf", () => {
    const worst = worstRelativeError(scipy.x, scipy.normLogPdf, logNormalPdf);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
  });
});

describe("logNormalCdf", () => {
  it("matches mpmath in relative terms everywhere, including log Φ(x) ≈ −Φ(−x) for large x", () => {
    const worst = worstRelativeError(exact.x, exact.logNdtr, logNormalCdf);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
  });

  it("matches scipy.special.log_ndtr", () => {
    const worst = worstRelativeError(scipy.x, scipy.logNdtr, logNormalCdf);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(SCIPY);
  });

  it("gets the landmark values right", () => {
    // mpmath: log Φ(−40) = −804.60844201375378817, log Φ(−1e3) = −500007.82669481212,
    // log Φ(10) = −7.6198530241605260660e-24.
    expect(logNormalCdf(-40)).toBeCloseTo(-804.6084420137538, 12);
    expect(Math.abs(logNormalCdf(-1000) / -500007.8266948121 - 1)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(logNormalCdf(10) / -7.619853024160525e-24 - 1)).toBeLessThanOrEqual(1e-15);
    expect(logNormalCdf(-1e200)).toBe(Number.NEGATIVE_INFINITY); // −5e399 overflows
    expect(logNormalCdf(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(logNormalCdf(Number.POSITIVE_INFINITY)).toBe(-0);
    expect(logNormalCdf(Number.NaN)).toBeNaN();
  });
});

describe("logNormalCdfDerivative (inverse Mills ratio φ/Φ)", () => {
  it("matches mpmath φ(x)/Φ(x) to a few ulp from x = −10000 to 40", () => {
    const worst = worstRelativeError(exact.x, exact.inverseMills, logNormalCdfDerivative);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
  });

  it("is the derivative of logNormalCdf (central differences, relative 1e-7)", () => {
    for (const x of [-1000, -200, -40, -12, -5, -1.3, -0.5, 0, 0.4, 1, 3, 7]) {
      const h = 0.00001 * Math.max(1, Math.abs(x));
      const fd = centralDifference(logNormalCdf, x, h);
      const d = logNormalCdfDerivative(x);
      expect(Math.abs(fd - d) / Math.abs(d), `at x = ${x}`).toBeLessThanOrEqual(1e-7);
    }
  });

  it("tends to −x in the far left tail and stays finite", () => {
    expect(logNormalCdfDerivative(-1e300)).toBeCloseTo(1e300, -286);
    expect(logNormalCdfDerivative(-1e8) / 1e8).toBeCloseTo(1, 15);
    expect(logNormalCdfDerivative(60)).toBe(0); // φ(60) underflows
  });
});
