import type { MetricDataset } from "../adapter/metric-datasets.js";
import { type GpModel, noiseLikelihoodGain } from "../numerics/gp/index.js";
import type { BestPoint } from "./best-point.js";

/** Which rule chose a best point: the model's prediction, or the raw observation. */
export const BestPointRule = { MODEL: "model", OBSERVED: "observed" } as const;
export type BestPointRule = (typeof BestPointRule)[keyof typeof BestPointRule];

/** The noise of the objective's observations as its model sees it. */
export interface ObjectiveNoise {
  /** "none": every sem is 0; "known": sems were reported; "inferred": the GP inferred one noise level. */
  readonly source: "none" | "known" | "inferred";
  /** Standard deviation of one observation in the objective's units (0 for "none"). */
  readonly sd: number;
  /**
   * "inferred" only: the log marginal likelihood (nats) the inferred noise gains over a noise-free GP of
   * the same data (`noiseLikelihoodGain`); at most {@link NOISE_EVIDENCE_NATS} means the observations
   * show no noise. Absent when not measured (the rule then takes the noise as real).
   */
  readonly likelihoodGain?: number;
}

/**
 * The most log marginal likelihood (nats) inferred noise may gain over a noise-free GP for the
 * observations to count as exact: about the 5% level of a likelihood-ratio test for one added parameter
 * (2·gain ≤ 3.84). Chosen by `npm run bench -- bo-recommendation` (see docs/bayesian-optimization.md,
 * "The best point"): noise of 1% of an objective's range already gains 10-20 nats.
 */
export const NOISE_EVIDENCE_NATS = 2;

/**
 * How many noise standard deviations the model's pick may trail the best observation by (in observed
 * means) before the best observation wins: beyond it the noise cannot explain the gap. Chosen by
 * `npm run bench -- bo-recommendation` (see docs/bayesian-optimization.md, "The best point").
 */
export const NOISE_GAP_FACTOR = 2;

/** Which rule chose the best point, and why, in one short sentence. */
export interface BestPointDecision {
  readonly rule: BestPointRule;
  readonly reason: string;
}

/** The inverse of a model's outcome transforms (an `OutcomeTransformChain`), as far as the rule needs it. */
interface Untransform {
  untransformPrediction(mean: number, variance: number): { mean: number; variance: number };
}

/**
 * The objective's noise from its fitted model: none when every sem is 0, the root mean square of the
 * reported sems when they are known, else the GP's inferred homoskedastic noise scaled back from the
 * standardized outputs it was fitted on, with the likelihood it gains over a noise-free GP
 * (`likelihoodGain`, one more fit of the same data). A model fitted on transformed outcomes (log,
 * bilog, ...) has its noise taken back to the metric's units at the best observation, where the rule
 * compares values.
 */
export function objectiveNoise(fitted: {
  model: GpModel;
  dataset: MetricDataset;
  transforms?: Untransform;
}): ObjectiveNoise {
  const { model, dataset, transforms } = fitted;
  if (dataset.noiseless) return { source: "none", sd: 0 };
  let variance: number;
  const source = dataset.Yvar === null ? "inferred" : "known";
  if (dataset.Yvar !== null) {
    let sum = 0;
    for (const v of dataset.Yvar) sum += v;
    variance = sum / Math.max(dataset.n, 1);
  } else {
    variance = (model.hyperparameters.noiseVariance ?? 0) * model.outcomeTransform.std ** 2;
  }
  if (transforms !== undefined && dataset.n > 0) {
    // Y is on the maximization scale, so its largest value is the best observation.
    let best = Number.NEGATIVE_INFINITY;
    for (const y of dataset.Y) best = Math.max(best, y);
    variance = transforms.untransformPrediction(best, variance).variance;
  }
  const sd = Math.sqrt(Math.max(variance, 0));
  if (source === "known") return { source, sd };
  return { source, sd, likelihoodGain: noiseLikelihoodGain(dataset, model) };
}

/** Input of {@link decideBestPoint}. */
export interface BestPointCandidates {
  /** The objective's metric name and direction. */
  readonly metric: string;
  readonly minimize: boolean;
  /** The model's pick (an observed arm with the best predicted objective mean). */
  readonly model: BestPoint;
  /** The best feasible raw observation; null when no observation is feasible. */
  readonly observed: BestPoint | null;
  readonly noise: ObjectiveNoise;
}

/**
 * The rule "auto" of `getBestParameters`: the best observation when the data are noise-free (the GP
 * interpolates them, so the model has nothing to correct): reported with sem 0, or reported as bare
 * numbers in which no noise can be detected (a noise-free GP explains them within `evidenceNats` of
 * the noisy one's likelihood, see {@link NOISE_EVIDENCE_NATS}); also when the model's pick trails the
 * best observation in observed means by more than `factor` noise standard deviations (a gap the noise
 * cannot explain). Otherwise the model's pick, which discounts a lucky draw that its neighbours
 * contradict. A rugged deterministic objective reported as bare numbers can look noisy (the GP's
 * misfit passes for noise); `[value, 0]` always tells the rule that the observations are exact.
 */
export function decideBestPoint(
  candidates: BestPointCandidates,
  factor: number = NOISE_GAP_FACTOR,
  evidenceNats: number = NOISE_EVIDENCE_NATS,
): BestPointDecision {
  const { metric, minimize, model, observed, noise } = candidates;
  if (observed === null) {
    return { rule: "model", reason: "no observation satisfies the constraints: the model's pick" };
  }
  if (noise.source === "none") {
    return {
      rule: "observed",
      reason: "noise-free observations (sem 0): the best observation, which the model interpolates",
    };
  }
  if (
    noise.source === "inferred" &&
    noise.likelihoodGain !== undefined &&
    noise.likelihoodGain <= evidenceNats
  ) {
    return {
      rule: "observed",
      reason:
        `no noise detectable in the observations (a noise-free model fits them within ${evidenceNats} nats ` +
        `of the noisy one's likelihood: gain ${short(noise.likelihoodGain)}): the best observation`,
    };
  }
  const sd = `${noise.source} noise sd ${short(noise.sd)}`;
  // Bare numbers: say how to mark a deterministic objective, the one case this rule cannot detect.
  const hint = noise.source === "inferred" ? " (report [value, 0] if the objective is deterministic)" : "";
  if (sameArm(model, observed)) {
    return { rule: "model", reason: `the model's pick is the best observation (${sd})` };
  }
  const gap = observedGap(metric, minimize, model, observed);
  const between = `gap ${short(gap)} between the model's pick (trial ${model.trialIndex}) and the best observation (trial ${observed.trialIndex})`;
  if (gap > factor * noise.sd) {
    return { rule: "observed", reason: `${between} exceeds ${factor} × ${sd}: the best observation` };
  }
  return { rule: "model", reason: `${between} is within ${factor} × ${sd}: the model's pick${hint}` };
}

/** How much worse the model pick's observed mean is than the best observation's (≤ 0 when not worse). */
function observedGap(metric: string, minimize: boolean, model: BestPoint, observed: BestPoint): number {
  const m = model.values[metric] ?? Number.NaN;
  const o = observed.values[metric] ?? Number.NaN;
  const gap = minimize ? m - o : o - m;
  return Number.isFinite(gap) ? gap : 0;
}

function sameArm(a: BestPoint, b: BestPoint): boolean {
  return a.trialIndex === b.trialIndex && a.armName === b.armName;
}

/** Three significant digits: enough for a sentence. */
function short(x: number): string {
  return String(Number(x.toPrecision(3)));
}
