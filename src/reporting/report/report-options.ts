import type { JsonValue } from "../../core/json.js";
import type { GenerationStrategy } from "../../generation/generation-strategy.js";
import type { Chart } from "../charts/chart.js";

/** Options of `renderReport` and `writeReport`. */
export interface ReportOptions {
  /**
   * Include what needs a fitted model: the GP model views among the charts and the model's prediction
   * of the best point. Default true; false gives a quicker report of observations only.
   */
  models?: boolean;
  /** The page's title and heading; default `Ascent report: <experiment name>`. */
  title?: string;
  /**
   * The experiment's generation strategy, as an instance or as stored (`store.loadGenerationState`):
   * the summary shows its steps and why it was chosen, and the model of the best point starts from its
   * fitted hyperparameters. Without it the summary says none is stored.
   */
  generationStrategy?: GenerationStrategy | JsonValue | null;
  /** The charts to show, in order; default `experimentCharts(experiment, { models })`. */
  charts?: readonly Chart[];
  /** When the report was made, shown in its header; default now by the experiment's clock. */
  generatedAt?: Date;
}
