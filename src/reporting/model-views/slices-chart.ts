import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../charts/chart.js";
import type { ModelAnchor } from "./model-anchor.js";
import {
  chartContext,
  DESCRIPTION_AS_TOOLTIP,
  fittedOnText,
  formatNumber,
  type ModelChartOptions,
  plotNumber,
  roundValue,
  TOOLTIP_AND_DESCRIPTION,
  VEGA_LITE_SCHEMA,
  valueText,
} from "./model-chart-options.js";
import type { ModelViews } from "./model-views.js";
import { drawnNote, drawnSample } from "./observation-sample.js";
import type { ObservedPoint } from "./observed-points.js";
import { type ParameterGrid, parameterGrid } from "./parameter-grid.js";

/** Options of {@link plotSlices}. */
export type SlicesOptions = ModelChartOptions;

/** Points along a FLOAT range (and along an INT range with more integers than this). */
const SLICE_POINTS = 60;
const PANEL_WIDTH = 240;
const PANEL_HEIGHT = 160;
const BAND_COLOR = "#4c78a8";

/**
 * One-dimensional slices of the model: for each searched parameter, the GP's predicted mean of the
 * metric (line) ± 2 standard errors (band) as that parameter varies, the others held at the best point
 * (`ModelAnchor`: by the model's predictions when it can judge), with the observations as dots. INT
 * parameters are predicted on their integers, log-scale ones drawn on a log axis, choice parameters as
 * one point with an error bar per value.
 *
 * @returns the chart, or null when it does not apply: no metric, fewer than 3 observations of it,
 * nothing searched, or a model that cannot be fitted.
 * @throws ExperimentError when `options.metric` is not a metric of the experiment.
 * @example
 * const chart = plotSlices(experiment, { metric: "loss" });
 * if (chart) writeFileSync("slices.svg", await renderChartSvg(chart));
 */
export function plotSlices(experiment: Experiment, options: SlicesOptions = {}): Chart | null {
  const context = chartContext(experiment, options);
  if (!context) return null;
  const { views, metric } = context;
  const fitted = views.fitted(metric);
  const anchor = views.anchor();
  if (!fitted || !anchor || !views.encoding) return null;
  const all = views.observations().filter((p) => p.values[metric] !== undefined);
  const searched = views.encoding.parameters.flatMap(({ name }) => {
    const grid = parameterGrid(experiment.searchSpace.parameters.get(name)!, SLICE_POINTS);
    return grid ? [{ name, grid }] : [];
  });
  const datasets: JsonObject = { observations: observationRows(metric, searched, drawnSample(all)) };
  const panels = searched.map(({ name, grid }, k) => {
    datasets[`slice${k}`] = sliceRows(views, metric, anchor, name, grid);
    return slicePanel(metric, anchor, name, grid, k);
  });
  return {
    kind: "slices",
    title: `Slices of the model of ${metric} through the best point`,
    caption:
      `The GP's predicted mean of ${metric} (line) ± 2 standard errors (band) along each parameter, the others ` +
      `held at ${anchorText(anchor)}; the dashed rule marks that arm's value. Dots are observations, made ` +
      `anywhere in the space, so they need not lie on a slice. The model was fitted to ${fittedOnText(fitted)}.` +
      drawnNote(all.length),
    spec: { $schema: VEGA_LITE_SCHEMA, datasets, columns: 3, concat: panels },
  };
}

/** "trial 12 (arm 12_0), the best point by the model's predictions". */
export function anchorText(anchor: ModelAnchor): string {
  const how = {
    model: "the best point by the model's predictions",
    observed: "the best observed point",
    latest: "the best observed value (no arm is feasible yet)",
  }[anchor.source];
  return `trial ${anchor.trialIndex} (arm ${anchor.armName}), ${how}`;
}

/** Predictions along one parameter, the others at the anchor. */
function sliceRows(
  views: ModelViews,
  metric: string,
  anchor: ModelAnchor,
  name: string,
  grid: ParameterGrid,
): JsonObject[] {
  const parameterizations = grid.values.map((v) => ({ ...anchor.parameters, [name]: v }));
  const p = views.predict(metric, views.encoding!.encodeMany(parameterizations), grid.values.length)!;
  return grid.values.map((v, i) => {
    const [mean, sem] = [p.mean[i]!, p.sem[i]!];
    return {
      value: grid.kind === "choice" ? valueText(v) : v,
      mean: plotNumber(mean),
      lower: plotNumber(mean - 2 * sem),
      upper: plotNumber(mean + 2 * sem),
      desc: `${name} = ${valueText(v)}: predicted ${metric} ${formatNumber(mean)} ± ${formatNumber(2 * sem)}`,
    };
  });
}

/**
 * The observations once for all panels: parameter k's value in field `p{k}` (user names are never
 * field names: Vega-Lite reads dots and brackets in a field name as nested access).
 */
function observationRows(
  metric: string,
  searched: readonly { name: string; grid: ParameterGrid }[],
  observed: readonly ObservedPoint[],
): JsonObject[] {
  return observed.map((o) => {
    const row: JsonObject = {
      observed: plotNumber(o.values[metric]!),
      desc: `trial ${o.trialIndex}: ${metric} = ${formatNumber(o.values[metric]!)}`,
      tip: Object.fromEntries([
        ["trial", o.trialIndex],
        [metric, plotNumber(o.values[metric]!)],
        ...searched.map(({ name }) => [name, roundValue(o.parameters[name])]),
      ]) as JsonObject,
    };
    searched.forEach(({ name, grid }, k) => {
      const v = o.parameters[name];
      row[`p${k}`] = grid.kind === "choice" ? valueText(v) : roundValue(v);
    });
    return row;
  });
}

function slicePanel(
  metric: string,
  anchor: ModelAnchor,
  name: string,
  grid: ParameterGrid,
  k: number,
): JsonObject {
  const choice = grid.kind === "choice";
  const x = (field: string): JsonObject =>
    choice
      ? { field, type: "nominal", title: name, sort: null }
      : {
          field,
          type: "quantitative",
          title: name,
          scale: grid.logScale ? { type: "log" } : { zero: false },
        };
  const y = (field: string): JsonObject => ({
    field,
    type: "quantitative",
    title: metric,
    scale: { zero: false },
  });
  const curve = { name: `slice${k}` };
  const anchorValue = anchor.parameters[name];
  const layers: JsonObject[] = [
    {
      data: curve,
      mark: choice ? { type: "rule", color: BAND_COLOR } : { type: "area", color: BAND_COLOR, opacity: 0.25 },
      encoding: { x: x("value"), y: y("lower"), y2: { field: "upper" }, ...DESCRIPTION_AS_TOOLTIP },
    },
    {
      data: curve,
      mark: choice
        ? { type: "point", filled: true, color: BAND_COLOR, size: 60 }
        : { type: "line", color: BAND_COLOR, point: grid.integer },
      encoding: { x: x("value"), y: y("mean"), ...DESCRIPTION_AS_TOOLTIP },
    },
    {
      data: { name: "observations" },
      mark: { type: "point", filled: true, color: "#333333", opacity: 0.5, size: 16 },
      encoding: { x: x(`p${k}`), y: y("observed"), ...TOOLTIP_AND_DESCRIPTION },
    },
  ];
  if (anchorValue !== undefined) {
    const value = choice ? valueText(anchorValue) : anchorValue;
    layers.push({
      data: { values: [{ value, desc: `best point: ${name} = ${valueText(anchorValue)}` }] },
      mark: { type: "rule", strokeDash: [4, 4], color: "#888888" },
      encoding: { x: x("value"), description: { field: "desc", type: "nominal" } },
    });
  }
  return { width: PANEL_WIDTH, height: PANEL_HEIGHT, layer: layers };
}
