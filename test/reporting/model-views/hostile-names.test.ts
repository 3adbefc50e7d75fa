import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../../src/core/json.js";
import { compileChart, modelCharts, renderChartSvg } from "../../../src/index.js";
import { choice, float, int, modelExperiment } from "./helpers.js";

/** Parameter names admit no spaces or quotes; metric names and choice values admit anything. */
const PARAMETERS = ["<script>alert(1)</script>", "><img/src=x/onerror=alert(2)>", "</style>a.b[0]"];
const METRICS = ['"><img src=x onerror=alert(3)>', "datum['y'] + alert(4)"];
const MARKERS = ["alert", "onerror", "style", "a.b[0]", "datum['y']", "<script"];

/** Every string the Vega runtime evaluates or reads as a field name, anywhere in a compiled spec. */
function expressionStrings(value: JsonValue, key = "", out: string[] = []): string[] {
  if (typeof value === "string") {
    if (["expr", "signal", "update", "test", "init", "field", "filter", "as"].includes(key)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) expressionStrings(v, key, out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) expressionStrings(v, k, out);
  }
  return out;
}

describe("model views with hostile names", () => {
  it("keep every user string data: no expression or field name holds one, and SVG text is escaped", async () => {
    const [p1, p2, p3] = PARAMETERS as [string, string, string];
    const [metric, other] = METRICS as [string, string];
    const experiment = modelExperiment({
      name: p1,
      parameters: [float(p1), int(p2, 1, 4), choice(p3, [METRICS[0]!, "</style>"]), float("plain")],
      objectives: [metric, other],
      evaluate: (p, rng) => ({
        [metric]:
          (p[p1] as number) +
          0.1 * (p[p2] as number) +
          (p[p3] === METRICS[0] ? 0.2 : 0) +
          0.01 * rng.normal(),
        [other]: (1 - (p[p1] as number)) ** 2 + (p.plain as number),
      }),
      trials: 20,
    });
    const charts = modelCharts(experiment);
    expect(charts.map((c) => c.kind)).toEqual([
      "slices",
      "contour",
      "parameter-importance",
      "cross-validation",
      "pareto-frontier",
    ]);
    for (const chart of charts) {
      const compiled = await compileChart(chart);
      const suspicious = expressionStrings(compiled).filter((s) => MARKERS.some((m) => s.includes(m)));
      expect(suspicious, chart.kind).toEqual([]);
      const svg = await renderChartSvg(chart);
      expect(svg).not.toContain("<script");
      expect(svg).not.toContain("<img");
      expect(svg).not.toContain("</style>");
    }
  });
});
