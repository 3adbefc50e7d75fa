import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LogTransform, YeoJohnsonTransform } from "../../../src/adapter/outcome-transforms/index.js";
import { Rng } from "../../../src/util/rng.js";
import { dataset, deltaVariance } from "./helpers.js";

/** test/fixtures/yeo-johnson-reference.json (scripts/fixtures/yeo-johnson-reference.py, sklearn). */
const cases: { name: string; y: number[]; lambda: number; standardized: number[] }[] = JSON.parse(
  readFileSync(new URL("../../fixtures/yeo-johnson-reference.json", import.meta.url), "utf8"),
).cases;

describe("YeoJohnsonTransform", () => {
  for (const c of cases) {
    it(`standardizes, fits λ and standardizes again as sklearn does (${c.name})`, () => {
      const { dataset: out, transform } = YeoJohnsonTransform.fit(dataset(c.y));
      expect(transform.lambda).toBeCloseTo(c.lambda, 5);
      c.standardized.forEach((z, i) => {
        expect(out.Y[i]!).toBeCloseTo(z, 5);
      });
    });

    it(`inverts its means exactly and maps bounds as it maps data (${c.name})`, () => {
      const { dataset: out, transform } = YeoJohnsonTransform.fit(dataset(c.y));
      c.y.forEach((y, i) => {
        const back = transform.untransformPrediction(out.Y[i]!, 0).mean;
        expect(back).toBeCloseTo(y, Math.abs(y) > 1e3 ? 3 : 8);
        expect(transform.transformBound(y)).toBe(out.Y[i]);
      });
    });
  }

  it("compresses the bad tail of a negated minimized objective spanning decades (λ > 1)", () => {
    const rng = new Rng(4);
    // Minimized values from 1e-1 to 1e6, negated as the models see them.
    const values = Array.from({ length: 30 }, () => -(10 ** (rng.next() * 7 - 1)));
    const { dataset: out, transform } = YeoJohnsonTransform.fit(dataset(values, null, -1));
    expect(transform.lambda).toBeGreaterThan(1);
    const raw = [...values].sort((a, b) => a - b);
    const modeled = [...out.Y].sort((a, b) => a - b);
    // The worst value is far fewer standard deviations from the rest on the model's scale.
    const spread = (v: number[]) => (v[1]! - v[0]!) / (v[v.length - 1]! - v[0]!);
    expect(spread(modeled)).toBeLessThan(spread(raw));
  });

  it("carries the variance by the delta method when it is small", () => {
    const { transform } = YeoJohnsonTransform.fit(dataset([1, 2, 4, 8, 100]));
    for (const y of [0.5, 3, 50]) {
      const v = 1e-10;
      const p = transform.transformValue(y, v);
      expect(p.variance / deltaVariance((u) => transform.transformBound(u), y, v)).toBeCloseTo(1, 5);
      const back = transform.untransformPrediction(p.mean, p.variance);
      expect(back.variance / v).toBeCloseTo(1, 5);
    }
  });

  it("clips predictions beyond the transform's image before inverting (λ < 0)", () => {
    const { transform } = YeoJohnsonTransform.fit(dataset([1, 2, 4, 8, 100]));
    expect(transform.lambda).toBeLessThan(0);
    const p = transform.untransformPrediction(1e6, 4);
    expect(Number.isFinite(p.mean)).toBe(true);
    expect(Number.isFinite(p.variance)).toBe(true);
  });

  it("is the identity for values with no spread", () => {
    const data = dataset([3, 3, 3]);
    const { dataset: out, transform } = YeoJohnsonTransform.fit(data);
    expect(out).toBe(data);
    expect(transform.untransformPrediction(3, 1)).toEqual({ mean: 3, variance: 1 });
  });
});

describe("LogTransform", () => {
  it("models the log of a minimized objective on its own scale, in the dataset's sign", () => {
    const { dataset: out, transform } = LogTransform.fit(dataset([-1, -10, -1e6], null, -1), []);
    expect(transform.shift).toBe(0);
    expect(Array.from(out.Y)).toEqual([-0, -Math.log(10), -Math.log(1e6)]);
    // Increasing on the dataset's scale: the best (largest) stays the best.
    expect(out.Y[0]!).toBeGreaterThan(out.Y[1]!);
    expect(transform.transformBound(-100)).toBeCloseTo(-Math.log(100), 14);
  });

  it("shifts by the smallest value (bounds included) minus 10% of the range when some are not positive", () => {
    const { dataset: out, transform } = LogTransform.fit(dataset([0, 5, 10]), [-10]);
    expect(transform.shift).toBe(-10 - 0.1 * 20);
    expect(out.Y[0]!).toBeCloseTo(Math.log(12), 14);
    expect(transform.transformBound(-10)).toBeCloseTo(Math.log(2), 14);
  });

  it("inverts noiseless values exactly, and log-normal moments exactly", () => {
    for (const sign of [1, -1] as const) {
      const values = [0.3, 4, 5e5].map((v) => sign * v);
      const variances = [0, 0.01, 1e8];
      const { transform } = LogTransform.fit(dataset(values, variances, sign), []);
      values.forEach((y, i) => {
        const forward = transform.transformValue(y, variances[i]!);
        const back = transform.untransformPrediction(forward.mean, forward.variance);
        expect(back.mean).toBeCloseTo(y, 6);
        expect(back.variance / Math.max(variances[i]!, 1e-300)).toBeCloseTo(variances[i]! === 0 ? 0 : 1, 8);
      });
    }
  });

  it("carries a small variance by the delta method: var / y²", () => {
    const { transform } = LogTransform.fit(dataset([2, 3]), []);
    const p = transform.transformValue(4, 1e-8);
    expect(p.variance / (1e-8 / 16)).toBeCloseTo(1, 6);
  });
});
