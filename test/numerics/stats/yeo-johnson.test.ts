import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  fitYeoJohnsonLambda,
  yeoJohnson,
  yeoJohnsonDerivative,
  yeoJohnsonImage,
  yeoJohnsonInverse,
  yeoJohnsonLogLikelihood,
} from "../../../src/numerics/stats/index.js";

/** test/fixtures/yeo-johnson-reference.json (scripts/fixtures/yeo-johnson-reference.py, sklearn). */
interface YeoJohnsonCase {
  name: string;
  x: number[];
  lambda: number;
  logLikelihood: number;
  psi: number[];
}

const cases: YeoJohnsonCase[] = JSON.parse(
  readFileSync(new URL("../../fixtures/yeo-johnson-reference.json", import.meta.url), "utf8"),
).cases;

describe("Yeo-Johnson transform", () => {
  for (const c of cases) {
    it(`fits λ by maximum likelihood as sklearn's PowerTransformer does (${c.name})`, () => {
      const x = Float64Array.from(c.x);
      const lambda = fitYeoJohnsonLambda(x);
      // sklearn's Brent search stops at a relative tolerance of ~1.5e-8 in λ.
      expect(lambda).toBeCloseTo(c.lambda, 5);
      expect(yeoJohnsonLogLikelihood(x, c.lambda)).toBeCloseTo(c.logLikelihood, 8);
      expect(yeoJohnsonLogLikelihood(x, lambda)).toBeGreaterThanOrEqual(c.logLikelihood - 1e-9);
    });

    it(`transforms values as sklearn does at the fitted λ (${c.name})`, () => {
      c.x.forEach((v, i) => {
        expect(yeoJohnson(v, c.lambda)).toBeCloseTo(c.psi[i]!, 10);
      });
    });
  }

  it("is the identity at λ = 1 and log1p at λ = 0 for positive values", () => {
    for (const x of [-3, -0.5, 0, 0.7, 12]) expect(yeoJohnson(x, 1)).toBeCloseTo(x, 14);
    for (const x of [0, 0.7, 12]) expect(yeoJohnson(x, 0)).toBeCloseTo(Math.log1p(x), 14);
    for (const x of [-0.7, -12]) expect(yeoJohnson(x, 2)).toBeCloseTo(-Math.log1p(-x), 14);
  });

  it("inverts exactly, for λ on both sides of the special values 0 and 2", () => {
    for (const lambda of [-1.5, -1e-13, 0, 0.4, 1, 1.7, 2, 2.5]) {
      for (const x of [-40, -2, -0.3, 0, 0.3, 2, 40]) {
        expect(yeoJohnsonInverse(yeoJohnson(x, lambda), lambda)).toBeCloseTo(x, 9);
      }
    }
  });

  it("has the derivative of its closed form (central differences)", () => {
    for (const lambda of [-0.8, 0, 0.5, 1.4, 2, 2.6]) {
      for (const x of [-5, -0.4, 0.4, 5]) {
        const h = 1e-6;
        const numeric = (yeoJohnson(x + h, lambda) - yeoJohnson(x - h, lambda)) / (2 * h);
        expect(yeoJohnsonDerivative(x, lambda)).toBeCloseTo(numeric, 6);
      }
    }
  });

  it("is bounded above for λ < 0 and below for λ > 2, as its image says", () => {
    expect(yeoJohnsonImage(-0.5)).toEqual([-Infinity, 2]);
    expect(yeoJohnsonImage(1)).toEqual([-Infinity, Infinity]);
    expect(yeoJohnsonImage(2.5)[0]).toBeCloseTo(-2, 14);
    expect(yeoJohnson(1e12, -0.5)).toBeLessThan(2);
    expect(yeoJohnson(-1e12, 2.5)).toBeGreaterThan(-2);
  });

  it("fits the identity to values with nothing to fit", () => {
    expect(fitYeoJohnsonLambda(Float64Array.of(3, 3, 3))).toBe(1);
    expect(fitYeoJohnsonLambda(Float64Array.of(3))).toBe(1);
  });
});
