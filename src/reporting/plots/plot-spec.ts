import type { JsonObject, JsonValue } from "../../core/json.js";
import type { Parameterization } from "../../core/parameter-type.js";

/** The Vega-Lite schema every plot's spec declares. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Plot area of the trace-like charts, in pixels. */
export const PLOT_WIDTH = 560;
export const PLOT_HEIGHT = 280;

/**
 * Colours of the series the trace-like charts share, so one legend reads the same everywhere. Trial
 * statuses keep their names (FAILED, ...) as the CLI and the trials table print them.
 */
export const SERIES_COLORS: Readonly<Record<string, string>> = {
  "Feasible observation": "#4c78a8",
  "Infeasible observation": "#bab0ac",
  "Best feasible so far": "#f58518",
  "Hypervolume so far": "#f58518",
  Observation: "#4c78a8",
  "Satisfies the bound": "#4c78a8",
  "Violates the bound": "#e45756",
  Bound: "#54a24b",
  "FAILED trial": "#e45756",
  "ABANDONED trial": "#9d755d",
  "EARLY_STOPPED trial": "#b279a2",
};

/** Point shapes of the same series: infeasible points are crosses, so they differ without colour too. */
export const SERIES_SHAPES: Readonly<Record<string, string>> = {
  "Feasible observation": "circle",
  "Infeasible observation": "cross",
  "Satisfies the bound": "circle",
  "Violates the bound": "cross",
};

/**
 * A shared colour (and shape) scale over the series present, in the order given: every layer that
 * encodes `series` repeats it, so Vega-Lite merges them into one legend.
 */
export function seriesColor(series: readonly string[]): JsonObject {
  return {
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: [...series], range: series.map((s) => SERIES_COLORS[s] ?? "#888888") },
    legend: { orient: "bottom", columns: 3, labelLimit: 280, symbolLimit: 0 },
  };
}

/**
 * The tooltip of one arm as a record (label → value). Vega shows an object tooltip as `label: value`
 * lines of text, so user names stay data: they are never written into a field name or an expression.
 */
export function armTooltip(
  head: Readonly<Record<string, JsonValue>>,
  parameters: Parameterization,
): Record<string, JsonValue> {
  const tip: Record<string, JsonValue> = { ...head };
  for (const [name, value] of Object.entries(parameters)) {
    // A parameter named like a heading ("trial") must not hide it.
    tip[Object.hasOwn(tip, name) ? `parameter ${name}` : name] = value;
  }
  return tip;
}

/** Short, locale-free text of a number for descriptions and labels (`1.23e+300`, `0.5`). */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs >= 1e6 || abs < 1e-4)
    ? value.toExponential(3)
    : String(Number(value.toPrecision(4)));
}

/**
 * The encodings every data mark carries: a tooltip (an object of the datum's `tip` field) and a
 * plain-text description (the datum's `desc`), which becomes the SVG element's `aria-label`. Both
 * read our own field keys: Vega-Lite's default description would build an expression from titles.
 */
export const TOOLTIP_AND_DESCRIPTION: JsonObject = {
  tooltip: { field: "tip", type: "nominal" },
  description: { field: "desc", type: "nominal" },
};
