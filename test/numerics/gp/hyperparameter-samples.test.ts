import { describe, expect, it } from "vitest";
import { ModelFittingError } from "../../../src/errors.js";
import { computeOutcomeTransform, standardize } from "../../../src/numerics/gp/dataset.js";
import { packTheta, thetaBounds } from "../../../src/numerics/gp/hyperparameters.js";
import {
  createGp,
  fitGp,
  type GpHyperparameters,
  MarginalLikelihood,
  sampleGpHyperparameters,
} from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { uniformPoints } from "./helpers.js";

const d = 2;

/** n noisy observations of a smooth function of [0, 1]². */
function dataset(n: number, seed: number) {
  const X = uniformPoints(n, d, seed);
  const rng = new Rng(seed + 100);
  const Y = Float64Array.from({ length: n }, (_, i) => {
    const [a, b] = [X[i * d]!, X[i * d + 1]!];
    return Math.sin(5 * a) + Math.cos(3 * b) + 0.05 * rng.normal();
  });
  return { X, n, d, Y, Yvar: null };
}

/** log p(θ | data) + const of the GP fitGp fits (inferred noise, lognormal priors). */
function logPosterior(data: ReturnType<typeof dataset>, h: GpHyperparameters): number {
  const y = standardize(data.Y, computeOutcomeTransform(data.Y));
  const v = new MarginalLikelihood(data.X, data.n, d, y, null).evaluate(packTheta(h, d, true));
  return v.logMarginalLikelihood + v.logPrior;
}

function draws(data: ReturnType<typeof dataset>, count: number, seed: number): GpHyperparameters[] {
  const map = fitGp(data).hyperparameters;
  return sampleGpHyperparameters({ ...data, start: map, count, rng: new Rng(seed) });
}

/** Sample variance of the log lengthscales, summed over the dimensions. */
function logLengthscaleSpread(samples: GpHyperparameters[]): number {
  let total = 0;
  for (let i = 0; i < d; i++) {
    const v = samples.map((h) => Math.log(h.lengthscales[i]!));
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    total += v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
  }
  return total;
}

describe("sampleGpHyperparameters", () => {
  const data = dataset(20, 1);
  const map = fitGp(data).hyperparameters;
  const samples = sampleGpHyperparameters({ ...data, start: map, count: 32, rng: new Rng(4) });
  const p = d + 3;

  it("draws within the fit's bounds, each a usable model", () => {
    const { lower, upper } = thetaBounds(d, true);
    for (const h of samples) {
      const theta = packTheta(h, d, true);
      for (let j = 0; j < p; j++) {
        expect(theta[j]).toBeGreaterThanOrEqual(lower[j]! - 1e-12);
        expect(theta[j]).toBeLessThanOrEqual(upper[j]! + 1e-12);
      }
      expect(() => createGp({ ...data, hyperparameters: h })).not.toThrow();
    }
  });

  it("draws near the MAP: log posterior about p/2 below its maximum, far above distant hyperparameters", () => {
    const best = logPosterior(data, map);
    const gaps = samples.map((h) => best - logPosterior(data, h));
    // Under a Laplace approximation 2·gap ~ χ²_p: mean p/2 = 2.5; no draw beats the MAP by more than
    // the optimizer's tolerance.
    const meanGap = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    expect(meanGap).toBeGreaterThan(0.5);
    expect(meanGap).toBeLessThan(p);
    expect(Math.min(...gaps)).toBeGreaterThan(-0.05);
    // Far away: every lengthscale 20 times shorter or longer than the MAP's, or the noise 100 times larger.
    const far: GpHyperparameters[] = [
      { ...map, lengthscales: map.lengthscales.map((l) => l / 20) },
      { ...map, lengthscales: map.lengthscales.map((l) => Math.min(100, l * 20)) },
      { ...map, noiseVariance: map.noiseVariance! * 100 },
    ];
    const worstDraw = Math.min(...samples.map((h) => logPosterior(data, h)));
    for (const h of far) expect(logPosterior(data, h)).toBeLessThan(worstDraw);
  });

  it("draws spread less when there are more data (10 vs 80 points of the same function)", () => {
    const few = logLengthscaleSpread(draws(dataset(10, 2), 32, 5));
    const many = logLengthscaleSpread(draws(dataset(80, 2), 32, 5));
    // Variances of log lengthscales shrink about as 1/n once the data dominate the prior: 8 times the
    // data should at least halve them (measured: 3.3 times smaller).
    expect(many).toBeLessThan(few / 2);
  });

  it("gives the same draws for the same seed, others for another", () => {
    const again = sampleGpHyperparameters({ ...data, start: map, count: 32, rng: new Rng(4) });
    expect(again).toEqual(samples);
    const other = sampleGpHyperparameters({ ...data, start: map, count: 32, rng: new Rng(5) });
    expect(other).not.toEqual(samples);
  });

  it("samples fixed-noise data too (no noise coordinate)", () => {
    const fixed = { ...data, Yvar: new Float64Array(data.n).fill(0.01) };
    const start = fitGp(fixed).hyperparameters;
    const out = sampleGpHyperparameters({ ...fixed, start, count: 4, rng: new Rng(1) });
    expect(out).toHaveLength(4);
    for (const h of out) expect(h.noiseVariance).toBeNull();
  });

  it("samples a warped model's warp concentrations too, within their bounds", () => {
    const warpedMap = fitGp({ ...data, options: { warpedDimensions: [1] } }).hyperparameters;
    const out = sampleGpHyperparameters({ ...data, start: warpedMap, count: 6, rng: new Rng(2) });
    const concentrations = new Set<number>();
    for (const h of out) {
      expect(h.inputWarping?.dimensions).toEqual([1]);
      for (const v of [h.inputWarping!.a[0]!, h.inputWarping!.b[0]!]) {
        expect(v).toBeGreaterThanOrEqual(0.1 - 1e-12);
        expect(v).toBeLessThanOrEqual(10 + 1e-12);
        concentrations.add(v);
      }
      expect(() => createGp({ ...data, hyperparameters: h })).not.toThrow();
    }
    expect(concentrations.size).toBeGreaterThan(6);
  });

  it("refuses a start that does not match the data", () => {
    const rng = new Rng(0);
    expect(() =>
      sampleGpHyperparameters({ ...data, start: { ...map, lengthscales: [1] }, count: 2, rng }),
    ).toThrow(ModelFittingError);
    expect(() =>
      sampleGpHyperparameters({ ...data, start: { ...map, noiseVariance: null }, count: 2, rng }),
    ).toThrow(/noise variance/);
  });
});
