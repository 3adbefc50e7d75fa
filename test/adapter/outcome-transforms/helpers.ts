import type { MetricDataset } from "../../../src/adapter/metric-datasets.js";

/** A one-dimensional dataset of the given means (and variances), on the scale of `sign`. */
export function dataset(
  Y: readonly number[],
  Yvar: readonly number[] | null = null,
  sign: 1 | -1 = 1,
): MetricDataset {
  return {
    metricName: "m",
    X: Float64Array.from(Y, (_, i) => i / Y.length),
    n: Y.length,
    d: 1,
    Y: Float64Array.from(Y),
    Yvar: Yvar && Float64Array.from(Yvar),
    sign,
    noiseless: false,
    keys: Y.map((_, i) => `${i}:${i}_0`),
  };
}

/**
 * The delta-method variance of f at y: var · f′(y)², with f′ by central differences. Matching a 95%
 * interval's width tends to it as the variance goes to 0.
 */
export function deltaVariance(f: (y: number) => number, y: number, variance: number): number {
  const h = 1e-6 * Math.max(1, Math.abs(y));
  const slope = (f(y + h) - f(y - h)) / (2 * h);
  return variance * slope * slope;
}
