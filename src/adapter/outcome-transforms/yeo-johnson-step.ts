import {
  fitYeoJohnsonLambda,
  yeoJohnson,
  yeoJohnsonImage,
  yeoJohnsonInverse,
} from "../../numerics/stats/index.js";
import type { MetricDataset } from "../metric-datasets.js";
import {
  mapDataset,
  matchCiWidth,
  type OutcomePrediction,
  type OutcomeTransform,
} from "./outcome-transform.js";

/** Margin inside the image of ψ when clipping before the inverse (on the standardized scale, as Ax). */
const IMAGE_MARGIN = 1e-3;

/** Finite values' [min, max]. */
function range(values: Float64Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

/**
 * A Yeo-Johnson power transform fitted to a metric's values, in the manner of Ax's PowerTransformY
 * (sklearn's PowerTransformer): the values are standardized, λ is fitted by maximum likelihood
 * (`fitYeoJohnsonLambda`), and the transformed values are standardized again. For a minimized
 * objective the dataset holds the negated values, so its bad tail is the lower one, which a fitted
 * λ > 1 compresses.
 *
 * Means go through the transform and, for predictions, its exact inverse after clipping into the
 * transform's image (ψ is bounded for λ < 0 or λ > 2): 1e-3 inside it on the standardized scale as Ax
 * does, but never inside the range of the fitted data, whose values (crowded near the bound for a
 * strongly negative λ) must come back as observed; variances by matching the 95% interval's width
 * (`matchCiWidth`, as Ax). Values with no spread give the identity.
 */
export class YeoJohnsonTransform implements OutcomeTransform {
  readonly name = "yeo-johnson";

  /** Predictions are clipped into this interval (model scale) before the inverse. */
  private readonly clip: [number, number];

  private constructor(
    readonly lambda: number,
    private readonly center: number,
    private readonly scale: number,
    private readonly outCenter: number,
    private readonly outScale: number,
    fitted: [number, number] = [Infinity, -Infinity],
  ) {
    const [low, high] = yeoJohnsonImage(lambda);
    this.clip = [
      Math.min((low - outCenter) / outScale + IMAGE_MARGIN, fitted[0]),
      Math.max((high - outCenter) / outScale - IMAGE_MARGIN, fitted[1]),
    ];
  }

  /** The transform fitted to the dataset's means, and the dataset on its scale. */
  static fit(dataset: MetricDataset): { dataset: MetricDataset; transform: YeoJohnsonTransform } {
    const [center, scale] = meanAndStd(dataset.Y);
    if (!(scale > 0)) {
      const identity = new YeoJohnsonTransform(1, 0, 1, 0, 1);
      return { dataset, transform: identity };
    }
    const x = dataset.Y.map((y) => (y - center) / scale);
    const lambda = fitYeoJohnsonLambda(x);
    const [outCenter, outScale] = meanAndStd(x.map((v) => yeoJohnson(v, lambda)));
    const sd = outScale > 0 ? outScale : 1;
    const fitted = range(x.map((v) => (yeoJohnson(v, lambda) - outCenter) / sd));
    const transform = new YeoJohnsonTransform(lambda, center, scale, outCenter, sd, fitted);
    return { dataset: mapDataset(dataset, (m, v) => transform.transformValue(m, v)), transform };
  }

  /** One observation (mean, variance) on the model's scale. */
  transformValue(mean: number, variance: number): OutcomePrediction {
    return matchCiWidth(mean, variance, (y) => this.forward(y));
  }

  transformBound(bound: number): number {
    return this.forward(bound);
  }

  untransformPrediction(mean: number, variance: number): OutcomePrediction {
    return matchCiWidth(mean, variance, (z) => this.inverse(z), this.clip);
  }

  private forward(y: number): number {
    return (yeoJohnson((y - this.center) / this.scale, this.lambda) - this.outCenter) / this.outScale;
  }

  private inverse(z: number): number {
    return yeoJohnsonInverse(z * this.outScale + this.outCenter, this.lambda) * this.scale + this.center;
  }
}

/** Mean and population standard deviation (as sklearn's StandardScaler). */
function meanAndStd(values: Float64Array): [number, number] {
  const n = values.length;
  if (n === 0) return [0, 0];
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return [mean, Math.sqrt(ss / n)];
}
