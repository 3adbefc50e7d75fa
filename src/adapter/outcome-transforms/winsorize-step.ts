import type { MetricDataset } from "../metric-datasets.js";
import { GUARD_RULE, TUKEY_RULE, type WinsorizationTails, winsorizeDataset } from "../winsorize.js";
import type { OutcomePrediction, OutcomeTransform } from "./outcome-transform.js";

/** The winsorization modes: the far-tail guard (`true`), Ax's Tukey rule (`"auto"`). */
export type WinsorizeMode = true | "auto";

/**
 * Clipping of a metric's bad tail (see `winsorizeDataset`): the guard's 1,000 interquartile ranges,
 * or Ax's automatic 1.5 ("auto"), with the magnitude caps in both. Only means move (and sems above
 * the cap); like Ax, sems are otherwise kept. Bounds are unchanged, and predictions are returned as
 * they are (identity inverse): a clipped value has no inverse, and the model never predicts beyond
 * the fences by much.
 */
export class WinsorizeTransform implements OutcomeTransform {
  readonly name: string;

  private constructor(mode: WinsorizeMode) {
    this.name = mode === "auto" ? "winsorize-auto" : "winsorize";
  }

  /** The clipped dataset (the same object when nothing moved), its step, and the rows it changed. */
  static fit(
    dataset: MetricDataset,
    tails: WinsorizationTails,
    mode: WinsorizeMode,
  ): { dataset: MetricDataset; transform: WinsorizeTransform; numClipped: number } {
    const clipped = winsorizeDataset(dataset, tails, mode === "auto" ? TUKEY_RULE : GUARD_RULE);
    return { ...clipped, transform: new WinsorizeTransform(mode) };
  }

  transformBound(bound: number): number {
    return bound;
  }

  untransformPrediction(mean: number, variance: number): OutcomePrediction {
    return { mean, variance };
  }
}
