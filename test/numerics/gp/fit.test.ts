import { describe, expect, it } from "vitest";
import { ModelFittingError } from "../../../src/errors.js";
import { fitGp } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { F, grid, uniformPoints } from "./helpers.js";

const sin = (x: number) => Math.sin(2 * Math.PI * x);

describe("fitGp", () => {
  const n = 12;
  const X = grid(n);
  const Y = X.map(sin);

  it("fits noiseless sin with a sensible lengthscale and interpolates it (Yvar = 0)", () => {
    const model = fitGp({ X, n, d: 1, Y, Yvar: new Float64Array(n) });
    const h = model.hyperparameters;
    expect(h.noiseVariance).toBeNull();
    expect(h.lengthscales[0]).toBeGreaterThan(0.1);
    expect(h.lengthscales[0]).toBeLessThan(2);
    expect(model.fitDiagnostics?.converged).toBe(true);
    const atData = model.predict(X, n);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(atData.mean[i]! - Y[i]!)).toBeLessThan(1e-4);
      // No inflated noise floor: the variance is the 1e-6 stability jitter (relative to var(Y) ≈ 0.5) at most.
      expect(atData.variance[i]!).toBeLessThan(1e-6);
    }
    const between = F(Array.from({ length: n - 1 }, (_, i) => (i + 0.5) / (n - 1)));
    const mid = model.predict(between, n - 1);
    for (let i = 0; i < n - 1; i++) expect(Math.abs(mid.mean[i]! - sin(between[i]!))).toBeLessThan(0.02);
  });

  it("infers the noise level of noisy data within an order of magnitude", () => {
    const rng = new Rng(5);
    const m = 60;
    const Xn = F(Array.from({ length: m }, () => rng.next()));
    for (const sd of [0.05, 0.3]) {
      const Yn = Xn.map((x) => sin(x) + sd * rng.normal());
      const model = fitGp({ X: Xn, n: m, d: 1, Y: Yn, Yvar: null });
      const noise = model.hyperparameters.noiseVariance! * model.outcomeTransform.std ** 2;
      expect(noise).toBeGreaterThan((sd * sd) / 10);
      expect(noise).toBeLessThan(sd * sd * 10);
    }
  });

  it("uses known heteroskedastic noise as given", () => {
    const Yvar = F(Array.from({ length: n }, (_, i) => 1e-4 * (1 + i)));
    const model = fitGp({ X, n, d: 1, Y, Yvar });
    expect(model.hyperparameters.noiseVariance).toBeNull();
    const p = model.predict(X, n, { includeNoise: true });
    const q = model.predict(X, n);
    const meanYvar = Yvar.reduce((s, v) => s + v, 0) / n;
    for (let i = 0; i < n; i++) expect(p.variance[i]! - q.variance[i]!).toBeCloseTo(meanYvar, 12);
  });

  it("reaches the same optimum from a warm start with fewer iterations", () => {
    const d = 3;
    const m = 30;
    const Xd = uniformPoints(m, d, 8);
    const Yd = F(Array.from({ length: m }, (_, i) => sin(Xd[i * d]!) + Xd[i * d + 1]! ** 2));
    const cold = fitGp({ X: Xd, n: m, d, Y: Yd, Yvar: null, options: { restarts: 0 } });
    const warm = fitGp({
      X: Xd,
      n: m,
      d,
      Y: Yd,
      Yvar: null,
      options: { restarts: 0, warmStart: cold.hyperparameters },
    });
    const hc = cold.hyperparameters;
    const hw = warm.hyperparameters;
    for (let i = 0; i < d; i++) expect(hw.lengthscales[i]! / hc.lengthscales[i]!).toBeCloseTo(1, 3);
    expect(hw.noiseVariance! / hc.noiseVariance!).toBeCloseTo(1, 2);
    // Both stop at scipy's tolerances on LML + log prior, so their LMLs agree to about 1e-5 (of 27.5).
    expect(warm.logMarginalLikelihood()).toBeCloseTo(cold.logMarginalLikelihood(), 4);
    expect(warm.fitDiagnostics!.iterations[0]!).toBeLessThan(cold.fitDiagnostics!.iterations[0]!);
  });

  it("is reproducible for a given rng seed and takes the best of its starts", () => {
    const a = fitGp({ X, n, d: 1, Y, Yvar: null, options: { rng: new Rng(3), restarts: 3 } });
    const b = fitGp({ X, n, d: 1, Y, Yvar: null, options: { rng: new Rng(3), restarts: 3 } });
    expect(a.hyperparameters).toEqual(b.hyperparameters);
    expect(a.fitDiagnostics!.starts).toBe(4);
    expect(JSON.parse(JSON.stringify(a.hyperparameters))).toEqual(a.hyperparameters);
  });

  it("throws ModelFittingError on degenerate input", () => {
    const bad = [
      { X: new Float64Array(0), n: 0, d: 1, Y: new Float64Array(0), Yvar: null },
      { X, n, d: 1, Y: F([...Y.slice(1), Number.NaN]), Yvar: null },
      { X: F([...X.slice(1), Number.NaN]), n, d: 1, Y, Yvar: null },
      { X, n, d: 1, Y, Yvar: new Float64Array(n).fill(-1) },
      { X, n, d: 2, Y, Yvar: null },
    ];
    for (const input of bad) expect(() => fitGp(input)).toThrow(ModelFittingError);
  });

  it("fits a single observation and constant outputs", () => {
    const one = fitGp({ X: F([0.5]), n: 1, d: 1, Y: F([3]), Yvar: null });
    expect(one.predict(F([0.5]), 1).mean[0]).toBeCloseTo(3, 6);
    const flat = fitGp({ X, n, d: 1, Y: new Float64Array(n).fill(2), Yvar: new Float64Array(n) });
    expect(flat.predict(F([0.37]), 1).mean[0]).toBeCloseTo(2, 6);
  });
});
