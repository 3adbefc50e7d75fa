import type { Experiment } from "../../core/experiment.js";
import { boTorchModelOptions } from "../../generation/bo/warm-start.js";
import type { Chart } from "../charts/chart.js";
import { compileChart } from "../charts/render-chart.js";
import { vegaRuntimeSource } from "../charts/vega-runtime.js";
import { html } from "../html/html.js";
import { ModelViews } from "../model-views/model-views.js";
import { failuresHtml } from "./failures-html.js";
import { reportBest } from "./report-best.js";
import { reportDocument } from "./report-document.js";
import { reportDurations } from "./report-durations.js";
import type { ReportOptions } from "./report-options.js";
import { reportStrategy, restoredStrategy, strategyState } from "./report-strategy.js";
import { trialsTableHtml } from "./report-trials.js";
import { summaryHtml } from "./summary-html.js";

/**
 * The experiment as one self-contained HTML page: a summary (best point with the model's prediction,
 * trials by status, durations, the generation strategy and why it was chosen), every chart that
 * applies with its caption (drawn in the browser by the inlined Vega runtime), the sortable trials
 * table and the failures with their reasons. Styles, scripts and data are inlined; the page loads
 * nothing and opens offline, from a file. Every user string is escaped.
 * @example const page = await renderReport(experiment, { generationStrategy: await store.loadGenerationState(name) });
 */
export async function renderReport(experiment: Experiment, options: ReportOptions = {}): Promise<string> {
  const models = options.models ?? true;
  const title = options.title ?? `Ascent report: ${experiment.name}`;
  const state = strategyState(options.generationStrategy);
  // One fit per metric for the charts and the summary's best point, started where the generator's
  // last fit ended.
  const strategy = state && models ? restoredStrategy(state) : null;
  // The models of the strategy's BoTorch step: its outcome transforms and input warping.
  const views = models ? new ModelViews(experiment, strategy ? boTorchModelOptions(strategy) : {}) : null;
  const [charts, vegaRuntime] = await Promise.all([
    options.charts ?? defaultCharts(experiment, models, views),
    vegaRuntimeSource(),
  ]);
  const compiled = await Promise.all(
    charts.map(async (chart) => ({ chart, vegaSpec: await compileChart(withoutOwnTitle(chart)) })),
  );
  const summary = summaryHtml(experiment, {
    best: reportBest(experiment, views),
    durations: reportDurations(experiment),
    strategy: state && reportStrategy(state, experiment),
  });
  const generatedAt = (options.generatedAt ?? new Date(experiment.clock.now()))
    .toISOString()
    .replace("T", " ")
    .slice(0, 19);
  return reportDocument({
    title,
    meta: html`Experiment <strong>${experiment.name}</strong>${
      experiment.description ? html` · ${experiment.description}` : ""
    } · generated ${generatedAt} UTC`,
    summary,
    charts: compiled,
    trials: trialsTableHtml(experiment),
    failures: failuresHtml(experiment),
    vegaRuntime,
  });
}

/** The chart without the title its spec repeats: the report shows the title once, as the figure's heading. */
function withoutOwnTitle(chart: Chart): Chart {
  if (chart.spec.title !== chart.title) return chart;
  const { title: _shown, ...spec } = chart.spec;
  return { ...chart, spec };
}

/** The charts that apply to the experiment, imported on first use (they load Vega-Lite). */
async function defaultCharts(
  experiment: Experiment,
  models: boolean,
  views: ModelViews | null,
): Promise<readonly Chart[]> {
  const { experimentCharts } = await import("../plots/experiment-charts.js");
  return experimentCharts(experiment, { models, ...(views ? { views } : {}) });
}
