import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../../reporting/charts/chart.js";

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

/** The kind of the chart a page shows first: the optimization trace by trial. */
export const TRACE_KIND = "optimization-trace";

/**
 * The experiment's charts (`experimentCharts`), compiled for the browser: without `models`, those of
 * the observations only (the traces, parallel coordinates); with `models`, also the views of the
 * fitted model (slow: computed in the background).
 */
export async function computeChartViews(experiment: Experiment, models: boolean): Promise<ChartViews> {
  const [{ experimentCharts }, { compileChart }] = await Promise.all([
    import("../../reporting/plots/experiment-charts.js"),
    import("../../reporting/charts/render-chart.js"),
  ]);
  const charts: Chart[] = await experimentCharts(experiment, { models });
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
