import type { OptimizationConfig } from "../../core/optimization-config.js";
import type { OutcomeConstraint } from "../../core/outcome-constraint.js";
import type { MetricDataset } from "../metric-datasets.js";
import { type WinsorizationTails, winsorizationTails } from "../winsorize.js";
import { BilogTransform } from "./bilog.js";
import { choosePowerTransform } from "./choose-power-transform.js";
import { LogTransform } from "./log-step.js";
import { type OutcomeTransform, OutcomeTransformChain } from "./outcome-transform.js";
import { WinsorizeTransform } from "./winsorize-step.js";
import { YeoJohnsonTransform } from "./yeo-johnson-step.js";

/** The power transforms an objective can be modeled through. */
export const POWER_TRANSFORMS = ["none", "yeo-johnson", "log", "auto"] as const;
export type PowerTransformKind = (typeof POWER_TRANSFORMS)[number];

/**
 * Which steps run between a metric's data and its model, in this order: winsorization, bilog,
 * power transform. The defaults (the far-tail guard only) leave ordinary data exactly as observed.
 */
export interface OutcomeTransformOptions {
  /** "auto": Ax's Tukey rule (1.5 IQR; default); true: the far-tail guard only; false: no clipping at all. */
  winsorize?: boolean | "auto";
  /** Bilog of every outcome-constraint metric around its bound (default true). */
  bilog?: boolean;
  /** A power transform of every objective metric (default "auto"). */
  powerTransform?: PowerTransformKind;
}

/**
 * The transforms every model is fitted through unless told otherwise, chosen on the bo-suite benchmark
 * (docs/bayesian-optimization.md): Ax's automatic winsorization (Tukey's 1.5 interquartile ranges on
 * each metric's bad side, with the magnitude caps), bilog of constraint metrics around their bounds,
 * and the power transform picked from the data (`choosePowerTransform`).
 */
export const DEFAULT_OUTCOME_TRANSFORMS: Readonly<Required<OutcomeTransformOptions>> = {
  winsorize: "auto",
  bilog: true,
  powerTransform: "auto",
};

/** What the steps need to know about one metric from the optimization config (dataset scale). */
export interface OutcomeTransformContext {
  /** The tails winsorization may clip. */
  tails: WinsorizationTails;
  /** Bound of the metric's absolute outcome constraint (the last one when several); null without one. */
  constraintBound: number | null;
  /** Every absolute bound and objective threshold on the metric. */
  bounds: number[];
  /** Whether the metric is an objective. */
  isObjective: boolean;
  /** Whether the config has several objectives (ParEGO scalarizes them on the models' scales). */
  multiObjective: boolean;
}

/** A dataset on its model's scale, the fitted chain that got it there, and the rows clipping changed. */
export interface TransformedDataset {
  dataset: MetricDataset;
  transforms: OutcomeTransformChain;
  numClipped: number;
}

/**
 * The config facts of one metric, on the scale of a dataset with the given sign.
 *
 * @param boundOf the absolute bound of a constraint or threshold, or null when it cannot be had (a bound
 * relative to a status quo not yet observed). Without it relative bounds are left out; with it they
 * count as the absolute bounds they stand for, so that a relative constraint is modeled exactly as the
 * absolute one it becomes.
 */
export function outcomeTransformContext(
  config: OptimizationConfig | null,
  metricName: string,
  sign: 1 | -1,
  boundOf: (c: OutcomeConstraint) => number | null = (c) => (c.relative ? null : c.bound),
): OutcomeTransformContext {
  const tails = winsorizationTails(config, metricName, sign);
  if (config === null) {
    return { tails, constraintBound: null, bounds: [], isObjective: false, multiObjective: false };
  }
  const absolute = (cs: readonly OutcomeConstraint[]) =>
    cs.flatMap((c) => {
      const bound = c.metric.name === metricName ? boundOf(c) : null;
      return bound === null ? [] : [bound];
    });
  const constraintBounds = absolute(config.outcomeConstraints);
  const last = constraintBounds[constraintBounds.length - 1];
  return {
    tails,
    constraintBound: last === undefined ? null : sign * last,
    bounds: [...constraintBounds, ...absolute(config.objectiveThresholds)].map((b) => sign * b),
    isObjective: config.objectives.some((o) => o.metric.name === metricName),
    multiObjective: config.objectives.length > 1,
  };
}

/**
 * Fits and applies the chain of `options` to one dataset: winsorization (true or "auto"), then bilog
 * around the constraint bound (constraint metrics, when `bilog`), then the power transform (objective
 * metrics). With the default options the chain is the guard alone, whose inverse is the identity.
 */
export function fitOutcomeTransforms(
  dataset: MetricDataset,
  context: OutcomeTransformContext,
  options: OutcomeTransformOptions = {},
): TransformedDataset {
  const steps: OutcomeTransform[] = [];
  let current = dataset;
  let numClipped = 0;
  const asked = options.winsorize ?? DEFAULT_OUTCOME_TRANSFORMS.winsorize;
  // Tukey's rule clips objectives only: a constraint metric keeps how far its infeasible values lie
  // (bilog already compresses them), or the model grows unsure which side of the bound a point is on
  // and suggestions cross it. Its far tail still gets the guard.
  const winsorize = asked === "auto" && !context.isObjective ? true : asked;
  if (winsorize !== false) {
    const clipped = WinsorizeTransform.fit(current, context.tails, winsorize);
    steps.push(clipped.transform);
    current = clipped.dataset;
    numClipped = clipped.numClipped;
  }
  if (
    (options.bilog ?? DEFAULT_OUTCOME_TRANSFORMS.bilog) &&
    context.constraintBound !== null &&
    current.n > 0
  ) {
    const step = BilogTransform.fit(current, context.constraintBound);
    steps.push(step.transform);
    current = step.dataset;
  }
  const power = options.powerTransform ?? DEFAULT_OUTCOME_TRANSFORMS.powerTransform;
  if (power !== "none" && context.isObjective && current.n > 0) {
    const bounds = context.bounds.map((b) => new OutcomeTransformChain(steps).transformBound(b));
    // Several objectives are scalarized on their models' scales: a log there skews the trade-offs
    // between them (BraninCurrin's hypervolume fell from 53.1 to 51.3), so "auto" keeps Yeo-Johnson.
    const kind =
      power !== "auto"
        ? power
        : context.multiObjective
          ? "yeo-johnson"
          : choosePowerTransform(current, bounds);
    const step = kind === "log" ? LogTransform.fit(current, bounds) : YeoJohnsonTransform.fit(current);
    steps.push(step.transform);
    current = step.dataset;
  }
  return { dataset: current, transforms: new OutcomeTransformChain(steps), numClipped };
}
