import { describe, expect, it } from "vitest";
import { BilogTransform, bilog, inverseBilog } from "../../../src/adapter/outcome-transforms/index.js";
import { dataset, deltaVariance } from "./helpers.js";

describe("BilogTransform", () => {
  it("maps y to b + sign(y − b)·log(1 + |y − b|) around the bound, which maps to itself", () => {
    const b = 2;
    const { dataset: out, transform } = BilogTransform.fit(dataset([2, 3, 1, 2 + Math.E - 1, -1000]), b);
    expect(Array.from(out.Y)).toEqual([2, 2 + Math.log(2), 2 - Math.log(2), 3, 2 - Math.log(1003)]);
    expect(transform.transformBound(b)).toBe(b);
    expect(transform.transformBound(12)).toBeCloseTo(2 + Math.log(11), 14);
  });

  it("keeps the order of values and the side of the bound each lies on", () => {
    const ys = [-1e6, -3, 0, 0.5, 0.9999, 1, 1.0001, 4, 1e9];
    const ts = ys.map((y) => bilog(y, 1));
    for (let i = 1; i < ts.length; i++) expect(ts[i]!).toBeGreaterThan(ts[i - 1]!);
    ys.forEach((y, i) => {
      expect(Math.sign(ts[i]! - 1)).toBe(Math.sign(y - 1));
    });
  });

  it("inverts means exactly (round trip)", () => {
    for (const b of [-5, 0, 3.5]) {
      for (const y of [-1e5, -2, b, 0.3, 7, 1e8]) {
        const t = bilog(y, b);
        expect(inverseBilog(t, b)).toBeCloseTo(y, Math.abs(y) > 1e4 ? 4 : 10);
        const p = new BilogTransform(b).untransformPrediction(t, 0);
        expect(p.mean).toBeCloseTo(y, Math.abs(y) > 1e4 ? 4 : 10);
        expect(p.variance).toBe(0);
      }
    }
  });

  it("carries the variance through by the delta method when it is small", () => {
    const b = 1;
    const transform = new BilogTransform(b);
    for (const y of [-30, 0.2, 1.5, 40]) {
      const v = 1e-8;
      const forward = transform.transformValue(y, v);
      expect(forward.variance).toBeCloseTo(
        deltaVariance((u) => bilog(u, b), y, v),
        15,
      );
      expect(forward.variance / deltaVariance((u) => bilog(u, b), y, v)).toBeCloseTo(1, 5);
      const back = transform.untransformPrediction(forward.mean, forward.variance);
      expect(back.variance / v).toBeCloseTo(1, 5);
    }
  });

  it("leaves unknown noise unknown and keeps zero noise zero", () => {
    expect(BilogTransform.fit(dataset([1, 5]), 0).dataset.Yvar).toBeNull();
    expect(Array.from(BilogTransform.fit(dataset([1, 5], [0, 0]), 0).dataset.Yvar!)).toEqual([0, 0]);
  });
});
