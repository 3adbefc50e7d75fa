import type { Experiment } from "../../core/experiment.js";
import type { JsonObject, JsonValue } from "../../core/json.js";
import { ExperimentError } from "../../errors.js";
import { ModelViews, type ModelViewsOptions } from "./model-views.js";

/** Options every model chart takes. */
export interface ModelChartOptions extends ModelViewsOptions {
  /** The metric to show (default: the objective, or the first objective of several). */
  metric?: string;
  /**
   * The fitted models to draw from, shared by several charts so that each metric is fitted once
   * (`warmStart` and `maxObservations` then come from it); a new one for this chart when absent.
   */
  views?: ModelViews;
}

// The schema, the tooltip encodings and number formatting are the data charts' own, so both kinds read alike.
export { formatNumber, TOOLTIP_AND_DESCRIPTION, VEGA_LITE_SCHEMA } from "../plots/plot-spec.js";

/** The models and metric a chart draws, or null when there is no metric to draw. */
export function chartContext(
  experiment: Experiment,
  options: ModelChartOptions,
): { views: ModelViews; metric: string } | null {
  const views = options.views ?? new ModelViews(experiment, options);
  const metric = options.metric ?? views.defaultMetric();
  if (metric === null) return null;
  requireMetric(experiment, metric);
  return { views, metric };
}

/**
 * @throws ExperimentError when the experiment has no metric of that name.
 */
export function requireMetric(experiment: Experiment, metric: string): void {
  const names = experiment.metrics.map((m) => m.name);
  if (!names.includes(metric)) {
    throw new ExperimentError(
      `Experiment "${experiment.name}" has no metric named ${JSON.stringify(metric)}; ` +
        `choose one of: ${names.map((n) => JSON.stringify(n)).join(", ") || "(none)"}.`,
    );
  }
}

/**
 * The encodings of a mark whose datum's description is all there is to say: the tooltip shows the
 * `desc` text too (no second object per datum, which keeps large grids small).
 */
export const DESCRIPTION_AS_TOOLTIP: JsonObject = {
  tooltip: { field: "desc", type: "nominal" },
  description: { field: "desc", type: "nominal" },
};

/** A number as chart data: 6 significant digits (far below a pixel), null when not finite. */
export function plotNumber(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(6)) : null;
}

/** A parameter value as chart data: numbers to 6 significant digits, others as they are. */
export function roundValue(value: JsonValue | undefined): JsonValue {
  return typeof value === "number" ? plotNumber(value) : (value ?? null);
}

/** A parameter value as chart data (choice values of any type become their text). */
export function valueText(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** "a random 256 of 1,000 observations" when the model was capped, else "its 40 observations". */
export function fittedOnText(fitted: { dataset: { n: number }; totalObservations: number }): string {
  const n = fitted.dataset.n.toLocaleString("en-US");
  const total = fitted.totalObservations.toLocaleString("en-US");
  return fitted.dataset.n < fitted.totalObservations
    ? `a random ${n} of the ${total} observations (to keep the chart fast)`
    : `all ${total} observations`;
}
