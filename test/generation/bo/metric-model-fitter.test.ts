import { describe, expect, it } from "vitest";
import type { MetricDataset } from "../../../src/adapter/metric-datasets.js";
import { MetricModelFitter } from "../../../src/generation/bo/metric-models.js";
import { Rng } from "../../../src/util/rng.js";

/** n noisy observations of a smooth function of two inputs on the unit square. */
function dataset(n: number): MetricDataset {
  const rng = new Rng(7);
  const X = new Float64Array(n * 2);
  const Y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.next();
    const b = rng.next();
    X[2 * i] = a;
    X[2 * i + 1] = b;
    Y[i] = Math.sin(6 * a) + b * b + 0.05 * rng.next();
  }
  const keys = Array.from({ length: n }, (_, i) => `${i}:${i}_0`);
  return { metricName: "y", X, Y, Yvar: null, n, d: 2, sign: 1, noiseless: false, keys };
}

describe("MetricModelFitter starts", () => {
  it("a warm fit on many observations runs from the warm start alone, as a cold fit runs from the prior mode alone", () => {
    const fitter = new MetricModelFitter();
    const cold = fitter.fit(dataset(100));
    expect(cold.fitDiagnostics?.starts).toBe(1);
    const warm = fitter.fit(dataset(100));
    expect(warm.fitDiagnostics?.starts).toBe(1);
  });

  it("a cold fit on few observations adds two random starts; the warm fit after it runs from the warm start alone", () => {
    const fitter = new MetricModelFitter();
    expect(fitter.fit(dataset(30)).fitDiagnostics?.starts).toBe(3);
    expect(fitter.fit(dataset(30)).fitDiagnostics?.starts).toBe(1);
  });
});

describe("MetricModelFitter restarts", () => {
  it("takes the cold and warm restarts it is given, whatever the number of observations", () => {
    const fitter = new MetricModelFitter({ restarts: { cold: 5, warm: 3 } });
    expect(fitter.fit(dataset(100)).fitDiagnostics?.starts).toBe(6);
    expect(fitter.fit(dataset(100)).fitDiagnostics?.starts).toBe(4);
  });

  it("with no cold restarts fits from the prior mode alone; restarts never end at a worse optimum", () => {
    const single = new MetricModelFitter({ restarts: { cold: 0 } }).fit(dataset(30));
    const several = new MetricModelFitter({ restarts: { cold: 8 } }).fit(dataset(30));
    expect(single.fitDiagnostics?.starts).toBe(1);
    expect(several.fitDiagnostics?.starts).toBe(9);
    // The objective is −(LML + log prior)/n: more starts can only find the same optimum or a better one.
    expect(several.fitDiagnostics!.objective).toBeLessThanOrEqual(single.fitDiagnostics!.objective + 1e-9);
  });
});
