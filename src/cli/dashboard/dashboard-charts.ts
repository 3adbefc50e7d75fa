import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import type { Chart } from "../../reporting/charts/chart.js";
import { experimentCharts, hasOptimizationTrace } from "../../reporting/plots/experiment-charts.js";
import { OPTIMIZATION_TRACE_KINDS, plotOptimizationTrace } from "../../reporting/plots/optimization-trace.js";

/** A chart as the dashboard sends it: its words and the compiled Vega spec the page renders. */
export interface CompiledChart {
  readonly kind: string;
  readonly title: string;
  readonly caption: string | null;
  /**
   * The Vega (not Vega-Lite) specification, the page needs only the Vega runtime, packed with
   * `packJson` (data tables as columns: a trace of 2,000 trials shrinks to a third); the page unpacks it.
   */
  readonly vega: JsonValue;
}

/** The charts of one computation. */
export interface ChartViews {
  readonly charts: readonly CompiledChart[];
}

/**
 * The optimization trace by trial alone (cheap: recomputed as trials complete), compiled for the
 * browser; none without an optimization config or before any trial ended.
 */
export async function traceChartViews(experiment: Experiment): Promise<ChartViews> {
  if (!hasOptimizationTrace(experiment)) return { charts: [] };
  return { charts: await compileAll([plotOptimizationTrace(experiment)]) };
}

/**
 * The experiment's other charts (`experimentCharts` without the trace by trial), compiled for the
 * browser: the charts of the observations and, with `models`, the views of the fitted model. Slow for
 * large experiments (megabytes of specs, model fits): computed in the background.
 */
export async function moreChartViews(experiment: Experiment, models: boolean): Promise<ChartViews> {
  const charts: Chart[] = await experimentCharts(experiment, {
    models,
    omit: [OPTIMIZATION_TRACE_KINDS.trial],
  });
  return { charts: await compileAll(charts) };
}

/**
 * Past this many data items a page draws a chart on a canvas, which draws thousands of marks markedly
 * faster than SVG but keeps no element per mark: the marks' descriptions (`desc`, for the SVG elements'
 * `aria-label`) are then not sent.
 */
export const CANVAS_MIN_ITEMS = 1000;

async function compileAll(charts: readonly Chart[]): Promise<CompiledChart[]> {
  const [{ compileChart }, { packJson }] = await Promise.all([
    import("../../reporting/charts/render-chart.js"),
    import("../../reporting/html/packed-json.js"),
  ]);
  return Promise.all(
    charts.map(async (chart) => ({
      kind: chart.kind,
      title: chart.title,
      caption: chart.caption ?? null,
      vega: packJson(forRenderer(await compileChart(chart))),
    })),
  );
}

type DataEntry = { values?: unknown };

/** The compiled spec as the page needs it: without mark descriptions when it will be drawn on a canvas. */
function forRenderer(spec: JsonValue): JsonValue {
  const data = (spec as { data?: DataEntry[] }).data ?? [];
  const items = data.reduce((n, d) => n + (Array.isArray(d.values) ? d.values.length : 0), 0);
  if (items <= CANVAS_MIN_ITEMS) return spec;
  const lean = data.map((d) =>
    Array.isArray(d.values) ? { ...d, values: d.values.map(withoutDescription) } : d,
  );
  return { ...(spec as Record<string, JsonValue>), data: lean as JsonValue };
}

function withoutDescription(row: unknown): unknown {
  if (row === null || typeof row !== "object" || !("desc" in row)) return row;
  const { desc: _desc, ...rest } = row as Record<string, unknown>;
  return rest;
}
