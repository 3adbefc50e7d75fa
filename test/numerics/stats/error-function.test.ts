import { describe, expect, it } from "vitest";
import { erf, erfc, erfcx } from "../../../src/numerics/stats/index.js";
import { statsReference, worstRelativeError } from "./reference.js";

const { scipy, exact } = statsReference;

// Relative tolerances: 2e-15 against mpmath (observed ≤ 4.2e-16); against scipy 5e-13 for erfc and
// erfcx (scipy's own error reaches 3.8e-14 and 5.2e-14 in the tails) and 2e-15 for erf.
const EXACT = 2e-15;

describe("erfcx", () => {
  it("matches mpmath from x = −26 (2e293) to 1e300 (5.6e-301)", () => {
    const worst = worstRelativeError(scipy.erfcxX, exact.erfcx, erfcx);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
  });

  it("matches scipy.special.erfcx", () => {
    const worst = worstRelativeError(scipy.erfcxX, scipy.erfcx, erfcx);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(5e-13);
  });

  it("overflows to Infinity only below x ≈ −26.63 and handles the limits", () => {
    expect(Number.isFinite(erfcx(-26.6))).toBe(true);
    expect(erfcx(-26.7)).toBe(Number.POSITIVE_INFINITY);
    expect(erfcx(0)).toBe(1);
    expect(erfcx(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfcx(Number.NaN)).toBeNaN();
  });
});

describe("erf and erfc", () => {
  it("erfc matches mpmath in relative terms, far into the right tail", () => {
    const worst = worstRelativeError(exact.x, exact.erfc, erfc);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
    const vsScipy = worstRelativeError(scipy.x, scipy.erfc, erfc);
    expect(vsScipy.error, `at x = ${vsScipy.at}`).toBeLessThanOrEqual(5e-13);
  });

  it("erf matches mpmath and scipy", () => {
    const worst = worstRelativeError(exact.x, exact.erf, erf);
    expect(worst.error, `at x = ${worst.at}`).toBeLessThanOrEqual(EXACT);
    const vsScipy = worstRelativeError(scipy.x, scipy.erf, erf);
    expect(vsScipy.error, `at x = ${vsScipy.at}`).toBeLessThanOrEqual(EXACT);
  });

  it("is odd, with erf + erfc = 1", () => {
    for (const x of [0.1, 0.46875, 0.5, 1, 3, 4, 4.5]) {
      expect(erf(-x)).toBe(-erf(x));
      expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThanOrEqual(2 * Number.EPSILON);
    }
  });
});
