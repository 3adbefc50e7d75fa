import type { MetricDataset } from "../metric-datasets.js";
import { mapDataset, type OutcomePrediction, type OutcomeTransform } from "./outcome-transform.js";

/** Margin below the smallest value when a shift is needed, as a fraction of the values' range. */
const SHIFT_MARGIN = 0.1;

/**
 * The logarithm of a metric on its own scale (the sign a minimized objective is negated by undone),
 * as Ax's LogY: log(f − c), put back in the dataset's sign, so that for a minimized objective the
 * large (bad) values are compressed. c is 0 when every value (and every bound given) is positive,
 * otherwise the smallest of them minus 10% of their range.
 *
 * Observations and predictions are treated as log-normal, as Ax's LogY does by default: a mean m and
 * variance v of f − c become μ = log m − σ²/2, σ² = log(1 + v/m²); a prediction (μ, σ²) goes back to
 * the log-normal mean exp(μ + σ²/2) and variance (exp(σ²) − 1)·exp(2μ + σ²) (exact moments). A bound
 * maps to log(b − c).
 */
export class LogTransform implements OutcomeTransform {
  readonly name = "log";

  private constructor(
    private readonly sign: 1 | -1,
    readonly shift: number,
  ) {}

  /**
   * The transform for a dataset and the bounds (dataset scale) that will be mapped through it.
   */
  static fit(
    dataset: MetricDataset,
    bounds: readonly number[],
  ): { dataset: MetricDataset; transform: LogTransform } {
    const sign = dataset.sign;
    const values = [...dataset.Y, ...bounds].map((v) => sign * v);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const shift = values.length === 0 || low > 0 ? 0 : low - (high > low ? SHIFT_MARGIN * (high - low) : 1);
    const transform = new LogTransform(sign, shift);
    return { dataset: mapDataset(dataset, (m, v) => transform.transformValue(m, v)), transform };
  }

  /** One observation (mean, variance) on the log scale. */
  transformValue(mean: number, variance: number): OutcomePrediction {
    const z = this.sign * mean - this.shift;
    const s2 = variance > 0 ? Math.log1p(variance / (z * z)) : 0;
    return { mean: this.sign * (Math.log(z) - s2 / 2), variance: s2 };
  }

  transformBound(bound: number): number {
    return this.sign * Math.log(this.sign * bound - this.shift);
  }

  untransformPrediction(mean: number, variance: number): OutcomePrediction {
    const mu = this.sign * mean;
    const s2 = Math.max(variance, 0);
    const m = Math.exp(mu + s2 / 2);
    return { mean: this.sign * (m + this.shift), variance: Math.expm1(s2) * m * m };
  }
}
