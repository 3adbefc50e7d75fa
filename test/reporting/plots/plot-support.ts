import type { Chart, JsonObject } from "../../../src/index.js";

/** The inline rows of layer `i` of a layered chart. */
export function layerRows(chart: Chart, i: number): JsonObject[] {
  const layer = (chart.spec.layer as JsonObject[])[i]!;
  return (layer.data as { values: JsonObject[] }).values;
}

/** The rows of a named top-level dataset of a chart. */
export function datasetRows(chart: Chart, name: string): JsonObject[] {
  return (chart.spec.datasets as Record<string, JsonObject[]>)[name]!;
}

/** The rows of a trace chart's layers: step line, points, axis markers, rules. */
export function traceRows(chart: Chart): {
  line: JsonObject[];
  points: JsonObject[];
  markers: JsonObject[];
  rules: JsonObject[];
} {
  const layers = chart.spec.layer as JsonObject[];
  return {
    line: layerRows(chart, 0),
    points: layerRows(chart, 1),
    markers: layerRows(chart, 2),
    rules: layers.length > 3 ? layerRows(chart, 3) : [],
  };
}

/** The number of SVG elements whose aria-label starts with `prefix` (marks carry their row's description). */
export function countLabelled(svg: string, prefix: string): number {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return svg.match(new RegExp(`aria-label="${escaped}`, "g"))?.length ?? 0;
}

/** Every string in the compiled Vega spec that Vega evaluates as an expression. */
export function expressionStrings(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) expressionStrings(v, out);
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (
        (key === "signal" || key === "expr" || key === "update" || key === "test") &&
        typeof v === "string"
      ) {
        out.push(v);
      } else expressionStrings(v, out);
    }
  }
  return out;
}
