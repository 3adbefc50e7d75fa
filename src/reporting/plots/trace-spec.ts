import type { JsonObject } from "../../core/json.js";
import {
  PLOT_HEIGHT,
  PLOT_WIDTH,
  SERIES_COLORS,
  SERIES_SHAPES,
  seriesColor,
  TOOLTIP_AND_DESCRIPTION,
  VEGA_LITE_SCHEMA,
} from "./plot-spec.js";
import type { TraceAxis, TrialMarker } from "./trace-data.js";

/** The rows of a trace chart; every row has `x` and `series`, points and markers `tip` and `desc`. */
export interface TraceRows {
  /** Observations: `{ x, value, series, tip, desc }`. */
  points: JsonObject[];
  /** The step line (best so far, hypervolume): `{ x, value, series }`; it is described by its series. */
  line: JsonObject[];
  /** Trials marked on the axis: `{ x, series, tip, desc }`. */
  markers: JsonObject[];
  /** Horizontal dashed rules (a constraint's bound): `{ value, series }`. */
  rules?: JsonObject[];
}

/** Length of the marks on the horizontal axis that stand for trials without an observation. */
const MARKER_LENGTH = 12;

/** The horizontal axis title of a trace. */
export function traceAxisTitle(by: TraceAxis): string {
  return by === "trial" ? "Trial index" : "Seconds since the first trial started";
}

/** Marker rows of failed, abandoned and early-stopped trials. */
export function markerRows(markers: readonly TrialMarker[]): JsonObject[] {
  return markers.map((m) => ({
    x: m.x,
    series: `${m.status} trial`,
    tip: { trial: m.trialIndex, status: m.status, reason: m.reason ?? "" },
    desc: `Trial ${m.trialIndex} ${m.status}${m.reason ? `: ${m.reason}` : ""}`,
  }));
}

/**
 * A layered Vega-Lite spec: observations as points, a step line (`step-after`: the value holds until
 * the next trial improves it), and short rules on the horizontal axis for trials without an
 * observation, one legend for all. User strings appear only as data and titles.
 */
export function traceSpec(title: string, by: TraceAxis, yTitle: string, rows: TraceRows): JsonObject {
  const rules = rows.rules ?? [];
  const present = new Set(
    [...rows.points, ...rows.line, ...rows.markers, ...rules].map((r) => String(r.series)),
  );
  const { x, y, color, shape } = traceEncodings(
    by,
    yTitle,
    Object.keys(SERIES_COLORS).filter((s) => present.has(s)),
  );
  const described = { field: "series", type: "nominal" };
  const layer: JsonObject[] = [
    {
      data: { values: stepCorners(rows.line) },
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: { x, y, color, description: described },
    },
    {
      data: { values: rows.points },
      mark: { type: "point", filled: true, size: 40, opacity: 0.85 },
      encoding: { x, y, color, shape, ...TOOLTIP_AND_DESCRIPTION },
    },
    {
      data: { values: rows.markers },
      mark: { type: "rule", strokeWidth: 2 },
      encoding: {
        x,
        y: { value: PLOT_HEIGHT - MARKER_LENGTH },
        y2: { value: PLOT_HEIGHT },
        color,
        ...TOOLTIP_AND_DESCRIPTION,
      },
    },
  ];
  if (rules.length > 0) {
    layer.push({
      data: { values: rules },
      mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 2 },
      encoding: { y: { field: "value", type: "quantitative" }, color, description: described },
    });
  }
  return { $schema: VEGA_LITE_SCHEMA, title, width: PLOT_WIDTH, height: PLOT_HEIGHT, layer };
}

/**
 * The rows of a `step-after` line that shape it: the first, each one whose value differs from the one
 * before, and the last (which carries the line to the end). The line drawn is the same; a trace of
 * thousands of trials that improved a dozen times needs a dozen rows, not thousands.
 */
export function stepCorners(line: readonly JsonObject[]): JsonObject[] {
  return line.filter((row, i) => i === 0 || i === line.length - 1 || row.value !== line[i - 1]!.value);
}

/** The encodings the trace's layers share: one colour and shape scale over the series present. */
function traceEncodings(by: TraceAxis, yTitle: string, series: string[]) {
  const color = seriesColor(series);
  const shape = {
    ...color,
    scale: { domain: series, range: series.map((s) => SERIES_SHAPES[s] ?? "circle") },
  };
  const x = {
    field: "x",
    type: "quantitative",
    title: traceAxisTitle(by),
    ...(by === "trial" ? { axis: { tickMinStep: 1, format: "d" } } : {}),
  };
  const y = { field: "value", type: "quantitative", title: yTitle, scale: { zero: false } };
  return { x, y, color, shape };
}
