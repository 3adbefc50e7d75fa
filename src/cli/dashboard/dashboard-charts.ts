import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../../reporting/charts/chart.js";
import { traceChart } from "./trace-chart.js";

/** A chart as the dashboard sends it: its words and the compiled Vega spec the page renders. */
export interface CompiledChart {
  readonly kind: string;
  readonly title: string;
  readonly caption: string | null;
  /** The Vega (not Vega-Lite) specification: the page needs only the Vega runtime. */
  readonly vega: JsonObject;
}

/** The charts of one computation. */
export interface ChartViews {
  readonly charts: readonly CompiledChart[];
}

/**
 * The experiment's charts, compiled for the browser: without `models`, the observed ones only (cheap:
 * the trace); with `models`, also the views of the fitted model (slow: run in the background).
 */
export async function computeChartViews(experiment: Experiment, models: boolean): Promise<ChartViews> {
  const charts: Chart[] = models ? [] : [traceChart(experiment)].filter((c) => c !== null);
  const { compileChart } = await import("../../reporting/charts/render-chart.js");
  const compiled = await Promise.all(
    charts.map(async (chart) => ({
      kind: chart.kind,
      title: chart.title,
      caption: chart.caption ?? null,
      vega: await compileChart(chart),
    })),
  );
  return { charts: compiled };
}
