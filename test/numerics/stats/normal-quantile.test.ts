import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, normalQuantile } from "../../../src/numerics/stats/index.js";
import { statsReference, worstRelativeError } from "./reference.js";

const { scipy, exact } = statsReference;

describe("normalQuantile", () => {
  // p from 1e-300 to 1 − 2⁻⁵³ (88 points). Relative 2e-15 against mpmath (observed 4.3e-16) and
  // against scipy.special.ndtri (observed 4.6e-16).
  it("matches the mpmath inverse of Φ from p = 1e-300 to 1 − 2⁻⁵³", () => {
    const worst = worstRelativeError(exact.p, exact.ndtri, normalQuantile);
    expect(worst.error, `at p = ${worst.at}`).toBeLessThanOrEqual(2e-15);
  });

  it("matches scipy.special.ndtri", () => {
    const worst = worstRelativeError(scipy.p, scipy.ndtri, normalQuantile);
    expect(worst.error, `at p = ${worst.at}`).toBeLessThanOrEqual(2e-15);
  });

  it("inverts normalCdf", () => {
    for (const x of [-37, -30, -20, -10, -5, -2, -0.5, 0.1, 1, 3, 5, 8]) {
      // Rounding p = Φ(x) moves x by δp/φ(x): δp ≈ ε·Φ(x) below 1/2, up to ε above it.
      const p = normalCdf(x);
      const tol = 1e-15 + (4 * Number.EPSILON * Math.min(p, 1)) / (normalPdf(x) * Math.abs(x));
      expect(Math.abs(normalQuantile(normalCdf(x)) - x) / Math.abs(x), `at x = ${x}`).toBeLessThanOrEqual(
        tol,
      );
    }
  });

  it("handles 0, 1, 1/2 and arguments outside [0, 1]", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});
