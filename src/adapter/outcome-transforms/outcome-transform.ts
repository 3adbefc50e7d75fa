import type { MetricDataset } from "../metric-datasets.js";

/** A predicted mean and variance of one metric at one point. */
export interface OutcomePrediction {
  mean: number;
  variance: number;
}

/**
 * One fitted step of the path from a metric's dataset to the scale its model is fitted on. A step is
 * fitted to the data it transforms (quantiles, λ, a shift) and then fixed, so that the dataset, the
 * bounds given to the acquisition and the inverse of predictions all agree.
 *
 * Every value is on the dataset's scale (the maximization scale: a minimized objective negated), and
 * every step is increasing, so comparisons with a bound keep their direction on the model's scale.
 */
export interface OutcomeTransform {
  /** Short name recorded in run metadata ("winsorize", "bilog", "yeo-johnson", "log"). */
  readonly name: string;
  /** A constraint bound or objective threshold (dataset scale) on the model's scale. */
  transformBound(bound: number): number;
  /** A prediction on the model's scale back on the dataset's scale. */
  untransformPrediction(mean: number, variance: number): OutcomePrediction;
}

/**
 * Steps applied in order to data and bounds; predictions go back through them in reverse. An empty
 * chain is the identity and returns its inputs unchanged (the same numbers, bit for bit).
 */
export class OutcomeTransformChain {
  constructor(readonly steps: readonly OutcomeTransform[] = []) {}

  /** Names of the steps, in the order they were applied. */
  get names(): string[] {
    return this.steps.map((s) => s.name);
  }

  /** A bound (dataset scale) through every step. */
  transformBound(bound: number): number {
    let b = bound;
    for (const step of this.steps) b = step.transformBound(b);
    return b;
  }

  /** A prediction (model scale) back through every step, last step first. */
  untransformPrediction(mean: number, variance: number): OutcomePrediction {
    let p: OutcomePrediction = { mean, variance };
    for (let i = this.steps.length - 1; i >= 0; i--)
      p = this.steps[i]!.untransformPrediction(p.mean, p.variance);
    return p;
  }

  /** {@link untransformPrediction} for m predictions; the arrays themselves when the chain is empty. */
  untransformPredictions(
    mean: Float64Array,
    variance: Float64Array,
  ): { mean: Float64Array; variance: Float64Array } {
    if (this.steps.length === 0) return { mean, variance };
    const outMean = new Float64Array(mean.length);
    const outVariance = new Float64Array(variance.length);
    for (let i = 0; i < mean.length; i++) {
      const p = this.untransformPrediction(mean[i]!, variance[i]!);
      outMean[i] = p.mean;
      outVariance[i] = p.variance;
    }
    return { mean: outMean, variance: outVariance };
  }
}

/** A dataset whose Y (and Yvar, when known) were mapped value by value. */
export function mapDataset(
  dataset: MetricDataset,
  map: (mean: number, variance: number) => OutcomePrediction,
): MetricDataset {
  const { Y, Yvar } = dataset;
  const outY = new Float64Array(Y.length);
  const outVar = Yvar === null ? null : new Float64Array(Yvar.length);
  for (let i = 0; i < Y.length; i++) {
    const p = map(Y[i]!, Yvar === null ? 0 : Yvar[i]!);
    outY[i] = p.mean;
    if (outVar !== null) outVar[i] = p.variance;
  }
  return { ...dataset, Y: outY, Yvar: outVar };
}

/** z of a two-sided 95% interval: the level Ax matches interval widths at. */
const CI_Z = 1.959963984540054;

/**
 * Maps a mean through an increasing f, and its variance so that the 95% interval keeps its width
 * through f: sem' = (f(m + z·sem) − f(m − z·sem)) / (2z), the rule Ax's transforms use
 * (`match_ci_width`). For a small sem this is the delta method, sem' = sem · f′(m); for a large one it
 * follows f's curvature. `clip` (optional) moves the mean and the interval's ends into f's domain first.
 */
export function matchCiWidth(
  mean: number,
  variance: number,
  f: (y: number) => number,
  clip?: readonly [number, number],
): OutcomePrediction {
  const within = (y: number) => (clip ? Math.min(clip[1], Math.max(clip[0], y)) : y);
  const m = within(mean);
  if (!(variance > 0)) return { mean: f(m), variance: variance === 0 ? 0 : variance };
  const half = CI_Z * Math.sqrt(variance);
  const sem = (f(within(m + half)) - f(within(m - half))) / (2 * CI_Z);
  return { mean: f(m), variance: sem * sem };
}
