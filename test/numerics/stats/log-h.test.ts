import { describe, expect, it } from "vitest";
import { dLogH, logH, normalCdf, normalPdf } from "../../../src/numerics/stats/index.js";
import { centralDifference, statsReference, worstRelativeError } from "./reference.js";

const { exact } = statsReference;

describe("logH: log(φ(z) + z·Φ(z))", () => {
  // 158 points from z = −1e8 to 1e6 against mpmath at 80 digits. Relative 4e-15 (observed 1.2e-15, at
  // z = 1 where log h = 0.08 amplifies the relative error).
  it("matches mpmath from z = −1e8 to 1e6", () => {
    const worst = worstRelativeError(exact.z, exact.logH, logH);
    expect(worst.error, `at z = ${worst.at}`).toBeLessThanOrEqual(4e-15);
  });

  it("agrees with the naive formula where that is safe", () => {
    for (const z of [-5, -2, -1, -0.5, 0, 0.7, 2, 10]) {
      const naive = Math.log(normalPdf(z) + z * normalCdf(z));
      expect(Math.abs(logH(z) - naive), `at z = ${z}`).toBeLessThanOrEqual(
        1e-13 * Math.max(1, Math.abs(naive)),
      );
    }
  });

  it("is finite and increasing where the naive formula is −Infinity", () => {
    expect(Math.log(normalPdf(-40) + -40 * normalCdf(-40))).toBe(Number.NEGATIVE_INFINITY);
    let previous = Number.NEGATIVE_INFINITY;
    for (const z of [
      -1e12, -1e6, -1e3, -100, -40, -10.0000001, -10, -9.9999999, -3, -1.0000001, -1, -0.9999999, 0,
    ]) {
      const value = logH(z);
      expect(Number.isFinite(value), `at z = ${z}`).toBe(true);
      expect(value, `at z = ${z}`).toBeGreaterThan(previous);
      previous = value;
    }
  });

  it("handles infinities and NaN", () => {
    expect(logH(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(logH(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(logH(Number.NaN)).toBeNaN();
  });
});

describe("dLogH: Φ(z)/h(z)", () => {
  // Relative 5e-14 against mpmath (observed 1.3e-14 at z = −9.75, where 1 − |z|·R(|z|) cancels to
  // 1/z² just before the asymptotic series takes over at z = −10).
  it("matches mpmath from z = −1e8 to 1e6", () => {
    const worst = worstRelativeError(exact.z, exact.dLogH, dLogH);
    expect(worst.error, `at z = ${worst.at}`).toBeLessThanOrEqual(5e-14);
  });

  it("is the derivative of logH (central differences, relative 1e-7)", () => {
    for (const z of [-1e4, -300, -40, -10.5, -10, -9.5, -4, -1.5, -1, -0.5, 0, 0.9, 3, 30]) {
      const h = 1e-5 * Math.max(1, Math.abs(z));
      const fd = centralDifference(logH, z, h);
      expect(Math.abs(fd - dLogH(z)) / dLogH(z), `at z = ${z}`).toBeLessThanOrEqual(1e-7);
    }
  });

  it("tends to −z on the left and 1/z on the right", () => {
    expect(dLogH(-1e8) / 1e8).toBeCloseTo(1, 14);
    expect(dLogH(-1e200) / 1e200).toBeCloseTo(1, 14);
    expect(dLogH(1e6) * 1e6).toBeCloseTo(1, 14);
    expect(dLogH(Number.NaN)).toBeNaN();
  });
});
