import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { RangeParameter } from "../../core/range-parameter.js";
import { SearchSpaceError } from "../../errors.js";
import type { Chart } from "../charts/chart.js";
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
} from "./model-chart-options.js";
import type { ModelViews } from "./model-views.js";
import { drawnNote, drawnSample } from "./observation-sample.js";
import type { ObservedPoint } from "./observed-points.js";
import { cellEdges, type ParameterGrid, parameterGrid } from "./parameter-grid.js";
import { anchorText } from "./slices-chart.js";

/** Options of {@link plotContour}. */
export interface ContourOptions extends ModelChartOptions {
  /** The two range parameters on the axes (default: the two most important, by total Sobol index). */
  parameters?: readonly [string, string];
}

/** Grid values per axis: 25 × 25 = 625 predictions. */
const CONTOUR_POINTS = 25;
const PANEL_SIZE = 260;

/**
 * The model's predicted mean and standard error of a metric over two range parameters, as two heatmaps
 * of a 25 × 25 grid (each cell coloured by the prediction at its centre), the other parameters held at
 * the best point, with the observations overlaid. The axes are the two most important range parameters
 * by the total Sobol index of the posterior mean (see `plotParameterImportance`) unless
 * `options.parameters` names them.
 *
 * @returns the chart, or null when it does not apply: fewer than two range parameters, or no model
 * (see `plotSlices`).
 * @throws ExperimentError for an unknown metric; SearchSpaceError when `options.parameters` does not
 * name two different range parameters.
 */
export function plotContour(experiment: Experiment, options: ContourOptions = {}): Chart | null {
  const context = chartContext(experiment, options);
  if (!context) return null;
  const { views, metric } = context;
  const ranges = [...experiment.searchSpace.parameters.values()]
    .filter((p) => p instanceof RangeParameter)
    .map((p) => p.name);
  if (options.parameters) requireRangePair(options.parameters, ranges);
  const fitted = views.fitted(metric);
  const anchor = views.anchor();
  if (ranges.length < 2 || !fitted || !anchor) return null;
  const [a, b] = options.parameters ?? mostImportant(views, metric, ranges);
  const axes: ContourAxes = {
    a: { name: a, grid: parameterGrid(experiment.searchSpace.parameters.get(a)!, CONTOUR_POINTS)! },
    b: { name: b, grid: parameterGrid(experiment.searchSpace.parameters.get(b)!, CONTOUR_POINTS)! },
  };
  const observed = views.observations().filter((p) => p.values[metric] !== undefined);
  return {
    kind: "contour",
    title: `Contour of the model of ${metric} over ${a} and ${b}`,
    caption:
      `The GP's predicted mean (left) and standard error (right) of ${metric}, drawn as heatmaps of a ` +
      `${axes.a.grid.values.length} × ${axes.b.grid.values.length} grid of ${a} and ${b} (each cell shows the ` +
      "prediction at its centre), the other " +
      `parameters held at ${anchorText(anchor)}. ` +
      (options.parameters ? "" : "These are the two most important range parameters by total Sobol index. ") +
      `White dots are observations. The model was fitted to ${fittedOnText(fitted)}.${drawnNote(observed.length)}`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      datasets: {
        cells: contourCells(views, metric, anchor.parameters, axes),
        observations: observationDots(drawnSample(observed), metric, axes),
      },
      hconcat: [
        contourPanel(axes, "mean", `Predicted ${metric}`, "viridis"),
        contourPanel(axes, "sem", "Standard error", "oranges"),
      ],
      resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    },
  };
}

/** The two parameters on the axes (x: a, y: b) and their grids. */
interface ContourAxes {
  a: { name: string; grid: ParameterGrid };
  b: { name: string; grid: ParameterGrid };
}

/** One heatmap (mean or standard error) with the observations on it. */
function contourPanel(axes: ContourAxes, field: "mean" | "sem", title: string, scheme: string): JsonObject {
  const axis = ({ name, grid }: ContourAxes["a"]): JsonObject => ({
    title: name,
    type: "quantitative",
    scale: grid.logScale ? { type: "log", nice: false } : { zero: false, nice: false },
  });
  const dot = {
    type: "point",
    filled: true,
    color: "#ffffff",
    stroke: "#000000",
    strokeWidth: 0.5,
    size: 20,
  };
  return {
    width: PANEL_SIZE,
    height: PANEL_SIZE,
    title,
    layer: [
      {
        data: { name: "cells" },
        mark: { type: "rect" },
        encoding: {
          x: { field: "a0", ...axis(axes.a) },
          x2: { field: "a1" },
          y: { field: "b0", ...axis(axes.b) },
          y2: { field: "b1" },
          color: { field, type: "quantitative", title, scale: { scheme } },
          ...DESCRIPTION_AS_TOOLTIP,
        },
      },
      {
        data: { name: "observations" },
        mark: dot,
        encoding: {
          x: { field: "a", ...axis(axes.a) },
          y: { field: "b", ...axis(axes.b) },
          ...TOOLTIP_AND_DESCRIPTION,
        },
      },
    ],
  };
}

/** The observations at their values of the two parameters. */
function observationDots(
  observed: readonly ObservedPoint[],
  metric: string,
  { a, b }: ContourAxes,
): JsonObject[] {
  return observed.map((o) => {
    const [va, vb] = [roundValue(o.parameters[a.name]), roundValue(o.parameters[b.name])];
    return {
      a: va,
      b: vb,
      desc: `trial ${o.trialIndex}: ${a.name} = ${String(va)}, ${b.name} = ${String(vb)}`,
      tip: Object.fromEntries([
        ["trial", o.trialIndex],
        [a.name, va],
        [b.name, vb],
        [metric, plotNumber(o.values[metric]!)],
      ]) as JsonObject,
    };
  });
}

/** The two range parameters with the highest total Sobol index (in definition order when none is known). */
function mostImportant(views: ModelViews, metric: string, ranges: readonly string[]): [string, string] {
  const ranked = (views.importance(metric) ?? []).map((i) => i.parameter).filter((p) => ranges.includes(p));
  const order = [...ranked, ...ranges.filter((p) => !ranked.includes(p))];
  return [order[0]!, order[1]!];
}

function requireRangePair(pair: readonly string[], ranges: readonly string[]): void {
  const bad = pair.find((p) => !ranges.includes(p));
  if (pair.length !== 2 || bad !== undefined || pair[0] === pair[1]) {
    throw new SearchSpaceError(
      `plotContour: parameters must name two different range parameters (of ${ranges.map((r) => JSON.stringify(r)).join(", ") || "none"}), ` +
        `got ${JSON.stringify(pair)}.`,
      bad === undefined ? {} : { parameter: bad },
    );
  }
}

/** Predictions on the grid (b-major), each cell with its edges, the rest of the parameters at `at`. */
function contourCells(
  views: ModelViews,
  metric: string,
  at: Parameterization,
  axes: ContourAxes,
): JsonObject[] {
  const [{ name: a, grid: gridA }, { name: b, grid: gridB }] = [axes.a, axes.b];
  const parameterizations: Parameterization[] = gridB.values.flatMap((vb) =>
    gridA.values.map((va) => ({ ...at, [a]: va, [b]: vb })),
  );
  const m = parameterizations.length;
  const p = views.predict(metric, views.encoding!.encodeMany(parameterizations), m)!;
  const ea = cellEdges(gridA);
  const eb = cellEdges(gridB);
  return parameterizations.map((_, k) => {
    const i = k % gridA.values.length;
    const j = Math.floor(k / gridA.values.length);
    const [mean, sem] = [p.mean[k]!, p.sem[k]!];
    const where = `${a} = ${formatNumber(gridA.values[i] as number)}, ${b} = ${formatNumber(gridB.values[j] as number)}`;
    return {
      a0: plotNumber(ea.lower[i]!),
      a1: plotNumber(ea.upper[i]!),
      b0: plotNumber(eb.lower[j]!),
      b1: plotNumber(eb.upper[j]!),
      mean: plotNumber(mean),
      sem: plotNumber(sem),
      desc: `${where}: predicted ${metric} ${formatNumber(mean)} ± ${formatNumber(sem)}`,
    };
  });
}
