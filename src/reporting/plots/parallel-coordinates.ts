import type { Experiment } from "../../core/experiment.js";
import type { JsonObject } from "../../core/json.js";
import { observedArms } from "../../core/observed-arms.js";
import { TrialStatus } from "../../core/trial-status.js";
import { OptimizationConfigError } from "../../errors.js";
import type { Chart } from "../charts/chart.js";
import { type ParallelAxis, parallelAxes } from "./parallel-coordinates-axes.js";
import { armTooltip, formatNumber, TOOLTIP_AND_DESCRIPTION, VEGA_LITE_SCHEMA } from "./plot-spec.js";

/** Options of {@link plotParallelCoordinates}. */
export interface ParallelCoordinatesOptions {
  /** The metric that colours the lines; default: the (first) objective. */
  metric?: string;
}

/** Horizontal room per axis, in pixels. */
const AXIS_STEP = 120;
const HEIGHT = 300;

/**
 * Parallel coordinates: one line per arm of each COMPLETED trial with an observation of the colour
 * metric, crossing one vertical axis per searched parameter (ranges scaled to [0, 1] of their bounds,
 * log-scale ranges in log space, choices as evenly spaced labelled categories), coloured by the
 * metric so that brighter is better for an objective. Trials that failed, were abandoned or stopped
 * early have no complete observation and are left out (the caption counts them).
 * @throws OptimizationConfigError when no `metric` is given and the experiment has no optimization config.
 */
export function plotParallelCoordinates(
  experiment: Experiment,
  options: ParallelCoordinatesOptions = {},
): Chart {
  const metric = options.metric ?? experiment.optimizationConfig?.objectives[0]?.metric.name;
  if (metric === undefined) {
    throw new OptimizationConfigError(
      `Experiment "${experiment.name}" has no optimization config; name the metric that colours the lines.`,
    );
  }
  const objective = experiment.optimizationConfig?.objectives.find((o) => o.metric.name === metric);
  const axes = parallelAxes(experiment.searchSpace);
  const rows = parallelRows(experiment, axes, metric);
  const omitted = experiment.trialsWithStatuses([
    TrialStatus.FAILED,
    TrialStatus.ABANDONED,
    TrialStatus.EARLY_STOPPED,
  ]).length;
  const title = `Parallel coordinates coloured by ${metric}`;
  return {
    kind: "parallel-coordinates",
    title,
    caption:
      `One line per observed arm of a COMPLETED trial, crossing an axis per parameter (ranges from lower ` +
      `bound at the bottom to upper bound at the top, log-scale ones in log space; choices as categories). ` +
      `Colour: ${metric}${objective ? `, brighter is better (${objective.minimize ? "lower" : "higher"})` : ""}. ` +
      `${omitted} failed, abandoned or early-stopped trial${omitted === 1 ? " is" : "s are"} left out.`,
    spec: parallelSpec(title, metric, objective?.minimize ?? false, axes, rows),
  };
}

/** The chart's data: a row per arm (tooltip, descriptions) and a lean row per arm and axis. */
interface ParallelRows {
  /** `{ id, tip, desc, lineDesc }`. */
  arms: JsonObject[];
  /** `{ id, axisName, axisIndex, pos, value }`. */
  vertices: JsonObject[];
}

/** Heights are rounded to 1e-6 of the axis: far below a pixel, and it keeps large experiments' specs small. */
const round = (pos: number) => Math.round(pos * 1e6) / 1e6;

function parallelRows(experiment: Experiment, axes: readonly ParallelAxis[], metric: string): ParallelRows {
  const rows: ParallelRows = { arms: [], vertices: [] };
  for (const trial of experiment.trialsWithStatuses([TrialStatus.COMPLETED])) {
    for (const { arm, values } of observedArms(experiment, trial)) {
      const value = values[metric];
      if (value === undefined) continue;
      const id = rows.arms.length;
      const desc = `Trial ${trial.index} arm ${arm.name}: ${metric} = ${formatNumber(value)}`;
      rows.arms.push({
        id,
        tip: armTooltip(
          { trial: trial.index, arm: arm.name, [`${metric} (observed)`]: value },
          arm.parameters,
        ),
        desc,
        lineDesc: `Line of ${desc.charAt(0).toLowerCase()}${desc.slice(1)}`,
      });
      axes.forEach((axis, axisIndex) => {
        const pos = axis.position(arm.parameters[axis.name]);
        if (pos !== null) rows.vertices.push({ id, axisName: axis.name, axisIndex, pos: round(pos), value });
      });
    }
  }
  return rows;
}

/** Joins each vertex to its arm's tooltip and descriptions by our own key, not by an expression. */
const ARM_LOOKUP = {
  lookup: "id",
  from: { data: { name: "arms" }, key: "id", fields: ["tip", "desc", "lineDesc"] },
};

/** The labels beside each axis: `{ axisName, pos, label }`. */
function axisLabelRows(axes: readonly ParallelAxis[]): JsonObject[] {
  return axes.flatMap((a) => a.labels.map((l) => ({ axisName: a.name, pos: l.position, label: l.label })));
}

function parallelSpec(
  title: string,
  metric: string,
  reverse: boolean,
  axes: readonly ParallelAxis[],
  rows: ParallelRows,
): JsonObject {
  const { x, y, color } = parallelEncodings(
    axes.map((a) => a.name),
    metric,
    reverse,
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: Math.max(160, AXIS_STEP * axes.length),
    height: HEIGHT,
    datasets: { ...rows },
    layer: [
      {
        data: { values: axes.map((a, axisIndex) => ({ axisName: a.name, axisIndex })) },
        mark: { type: "rule", color: "#999", aria: false },
        encoding: { x },
      },
      {
        data: { name: "vertices" },
        transform: [ARM_LOOKUP],
        mark: { type: "line", strokeWidth: 1.2, opacity: 0.7 },
        encoding: {
          x,
          y,
          color,
          detail: { field: "id", type: "nominal" },
          order: { field: "axisIndex" },
          description: { field: "lineDesc", type: "nominal" },
        },
      },
      {
        data: { name: "vertices" },
        transform: [ARM_LOOKUP],
        // Stroked like the lines: a legend of both strokes and fills would be drawn as symbols, not a gradient.
        mark: { type: "circle", filled: false, size: 14, strokeWidth: 2, opacity: 0.9 },
        encoding: { x, y, color, ...TOOLTIP_AND_DESCRIPTION },
      },
      {
        data: { values: axisLabelRows(axes) },
        mark: { type: "text", align: "left", dx: 5, fontSize: 10, color: "#333", aria: false },
        encoding: { x, y, text: { field: "label", type: "nominal" } },
      },
    ],
  };
}

/** The encodings the layers share: an axis per parameter name, heights in [0, 1], the metric's colour. */
function parallelEncodings(names: readonly string[], metric: string, reverse: boolean) {
  const x = {
    field: "axisName",
    type: "nominal",
    scale: { domain: [...names] },
    axis: {
      title: null,
      orient: "top",
      labelAngle: 0,
      labelPadding: 10,
      labelFontWeight: "bold",
      labelLimit: AXIS_STEP - 10,
      domain: false,
      ticks: false,
    },
  };
  const y = { field: "pos", type: "quantitative", scale: { domain: [0, 1] }, axis: null };
  const color = {
    field: "value",
    type: "quantitative",
    title: metric,
    scale: { scheme: "viridis", reverse },
    legend: { type: "gradient" },
  };
  return { x, y, color };
}
