import type { MetricDataset } from "../metric-datasets.js";
import {
  mapDataset,
  matchCiWidth,
  type OutcomePrediction,
  type OutcomeTransform,
} from "./outcome-transform.js";

/** b + sign(y − b)·log(1 + |y − b|): the bilog of y around b. */
export function bilog(y: number, b: number): number {
  const diff = y - b;
  return b + Math.sign(diff) * Math.log1p(Math.abs(diff));
}

/** b + sign(t − b)·(exp(|t − b|) − 1): the exact inverse of {@link bilog}. */
export function inverseBilog(t: number, b: number): number {
  const diff = t - b;
  return b + Math.sign(diff) * Math.expm1(Math.abs(diff));
}

/**
 * Bilog around an outcome constraint's bound (Eriksson & Poloczek 2021; Ax's BilogY): values near the
 * bound keep their spacing, far ones are compressed logarithmically, so the model spends its
 * flexibility where feasibility is decided. The bound maps to itself, so constraints keep their
 * bound. Means go through the exact bilog and its exact inverse; variances by matching the 95%
 * interval's width (`matchCiWidth`, as Ax), the delta method var·f′(y)² for small variances.
 */
export class BilogTransform implements OutcomeTransform {
  readonly name = "bilog";

  /** @param bound the constraint's bound on the dataset's scale. */
  constructor(readonly bound: number) {}

  /** The dataset on the bilog scale and its step. */
  static fit(dataset: MetricDataset, bound: number): { dataset: MetricDataset; transform: BilogTransform } {
    const transform = new BilogTransform(bound);
    return { dataset: mapDataset(dataset, (m, v) => transform.transformValue(m, v)), transform };
  }

  /** One observation (mean, variance) on the bilog scale. */
  transformValue(mean: number, variance: number): OutcomePrediction {
    return matchCiWidth(mean, variance, (y) => bilog(y, this.bound));
  }

  transformBound(bound: number): number {
    return bilog(bound, this.bound);
  }

  untransformPrediction(mean: number, variance: number): OutcomePrediction {
    return matchCiWidth(mean, variance, (t) => inverseBilog(t, this.bound));
  }
}
