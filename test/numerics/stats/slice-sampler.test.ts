import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { sliceSample } from "../../../src/numerics/stats/index.js";
import { Rng } from "../../../src/util/rng.js";

/** Column j of a count×p row-major matrix. */
function column(draws: Float64Array, p: number, j: number): Float64Array {
  return Float64Array.from({ length: draws.length / p }, (_, i) => draws[i * p + j]!);
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

/**
 * The chain's mean of g(v) and its Monte Carlo standard error by batch means (Flegal & Jones 2010): the
 * chain is cut into 40 batches of consecutive draws, long enough that their means are nearly
 * independent, so the error reflects the chain's autocorrelation, not an assumed independence.
 */
function batchMean(v: Float64Array, g: (x: number) => number): { mean: number; standardError: number } {
  const batches = 40;
  const size = Math.floor(v.length / batches);
  const means = Array.from({ length: batches }, (_, b) => mean(v.subarray(b * size, (b + 1) * size).map(g)));
  const overall = mean(means);
  const variance = means.reduce((s, m) => s + (m - overall) ** 2, 0) / (batches - 1);
  return { mean: overall, standardError: Math.sqrt(variance / batches) };
}

describe("sliceSample", () => {
  // N((1, −2), Σ) with standard deviations 1 and 2 and correlation 0.8.
  const mu = [1, -2];
  const sd = [1, 2];
  const rho = 0.8;
  const gaussian = (x: Float64Array): number => {
    const z0 = (x[0]! - mu[0]!) / sd[0]!;
    const z1 = (x[1]! - mu[1]!) / sd[1]!;
    return (-0.5 * (z0 * z0 - 2 * rho * z0 * z1 + z1 * z1)) / (1 - rho * rho);
  };
  const count = 8000;

  it("reproduces the mean, variances and covariance of a correlated 2-d Gaussian", () => {
    const { draws } = sliceSample(gaussian, Float64Array.of(0, 0), count, { rng: new Rng(11), burnIn: 50 });
    const x0 = column(draws, 2, 0);
    const x1 = column(draws, 2, 1);
    const checks = [
      // scale: the standard deviation of g(x) under the target (√2·σ² for (x − μ)²).
      { v: x0, g: (x: number) => x, expected: mu[0]!, scale: sd[0]! },
      { v: x1, g: (x: number) => x, expected: mu[1]!, scale: sd[1]! },
      { v: x0, g: (x: number) => (x - mu[0]!) ** 2, expected: sd[0]! ** 2, scale: Math.SQRT2 * sd[0]! ** 2 },
      { v: x1, g: (x: number) => (x - mu[1]!) ** 2, expected: sd[1]! ** 2, scale: Math.SQRT2 * sd[1]! ** 2 },
    ];
    for (const { v, g, expected, scale } of checks) {
      const { mean: m, standardError } = batchMean(v, g);
      // 4.5 standard errors: a correct chain fails one of these with probability below 1e-4 per check.
      expect(Math.abs(m - expected), `mean ${m} vs ${expected} (se ${standardError})`).toBeLessThan(
        4.5 * standardError,
      );
      // A chain that barely moves has huge batch-mean errors: require the precision 8,000 draws
      // with an autocorrelation time below 25 give (sd·√(25/8000) of the quantity).
      expect(standardError).toBeLessThan(Math.sqrt(25 / count) * scale);
    }
    const product = Float64Array.from(x0, (a, i) => (a - mu[0]!) * (x1[i]! - mu[1]!));
    const cov = batchMean(product, (x) => x);
    expect(Math.abs(cov.mean - rho * sd[0]! * sd[1]!)).toBeLessThan(4.5 * cov.standardError);
  });

  it("samples a bounded density within its bounds: x ∝ x on [0, 1], y ∝ e^−y on [0, 2]", () => {
    const logDensity = (x: Float64Array) => Math.log(x[0]!) - x[1]!;
    const lower = Float64Array.of(0, 0);
    const upper = Float64Array.of(1, 2);
    const { draws } = sliceSample(logDensity, Float64Array.of(0.5, 0.5), count, {
      rng: new Rng(3),
      lower,
      upper,
    });
    const x = column(draws, 2, 0);
    const y = column(draws, 2, 1);
    for (let i = 0; i < count; i++) {
      expect(x[i]).toBeGreaterThanOrEqual(0);
      expect(x[i]).toBeLessThanOrEqual(1);
      expect(y[i]).toBeGreaterThanOrEqual(0);
      expect(y[i]).toBeLessThanOrEqual(2);
    }
    // Density 2x on [0, 1]: mean 2/3, E[x²] = 1/2. Truncated exponential on [0, b]: mean
    // 1 − b/(e^b − 1), E[y²] = (2 − e^−b(b² + 2b + 2))/(1 − e^−b).
    const b = 2;
    const expected = [
      { v: x, g: (t: number) => t, value: 2 / 3 },
      { v: x, g: (t: number) => t * t, value: 1 / 2 },
      { v: y, g: (t: number) => t, value: 1 - b / Math.expm1(b) },
      { v: y, g: (t: number) => t * t, value: (2 - Math.exp(-b) * (b * b + 2 * b + 2)) / -Math.expm1(-b) },
    ];
    for (const { v, g, value } of expected) {
      const { mean: m, standardError } = batchMean(v, g);
      expect(Math.abs(m - value), `${m} vs ${value} (se ${standardError})`).toBeLessThan(4.5 * standardError);
      expect(standardError).toBeLessThan(0.02 * value);
    }
  });

  it("gives the same draws for the same seed and other draws for another", () => {
    const run = (seed: number) =>
      sliceSample(gaussian, Float64Array.of(0, 0), 50, { rng: new Rng(seed), burnIn: 5, thin: 2 });
    const a = run(5);
    const b = run(5);
    expect(Array.from(b.draws)).toEqual(Array.from(a.draws));
    expect(b.evaluations).toBe(a.evaluations);
    expect(Array.from(run(6).draws)).not.toEqual(Array.from(a.draws));
  });

  it("discards burn-in and thins: the kept draws are sweeps burnIn + thin, burnIn + 2·thin, ...", () => {
    const seed = 9;
    const all = sliceSample(gaussian, Float64Array.of(0, 0), 12, { rng: new Rng(seed), burnIn: 0 }).draws;
    const thinned = sliceSample(gaussian, Float64Array.of(0, 0), 3, {
      rng: new Rng(seed),
      burnIn: 3,
      thin: 3,
    }).draws;
    // Sweeps 6, 9, 12 (1-based) of the same stream are rows 5, 8, 11 of the unthinned chain.
    expect(Array.from(thinned)).toEqual([
      ...all.subarray(10, 12),
      ...all.subarray(16, 18),
      ...all.subarray(22, 24),
    ]);
  });

  it("treats NaN as zero density and never leaves the region where the density is positive", () => {
    // Uniform on the disc of radius 1 (NaN outside): every draw stays inside.
    const disc = (x: Float64Array) => (x[0]! ** 2 + x[1]! ** 2 < 1 ? 0 : Number.NaN);
    const { draws } = sliceSample(disc, Float64Array.of(0, 0), 500, { rng: new Rng(1), width: 0.3 });
    for (let i = 0; i < 500; i++) expect(draws[2 * i]! ** 2 + draws[2 * i + 1]! ** 2).toBeLessThan(1);
  });

  it("refuses a start outside the bounds or of zero density, and malformed options", () => {
    const rng = new Rng(0);
    const lower = Float64Array.of(0);
    const upper = Float64Array.of(1);
    const f = (x: Float64Array) => -x[0]!;
    expect(() => sliceSample(f, Float64Array.of(2), 1, { rng, lower, upper })).toThrow(NumericalError);
    expect(() => sliceSample(() => Number.NEGATIVE_INFINITY, Float64Array.of(0.5), 1, { rng })).toThrow(
      /start the chain/,
    );
    expect(() => sliceSample(f, Float64Array.of(0.5), 1, { rng, thin: 0 })).toThrow(NumericalError);
    expect(() => sliceSample(f, Float64Array.of(0.5), 1, { rng, width: -1 })).toThrow(NumericalError);
    expect(() => sliceSample(f, Float64Array.of(0.5), 1.5, { rng })).toThrow(NumericalError);
  });
});
