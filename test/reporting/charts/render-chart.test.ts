import { describe, expect, it } from "vitest";
import { type Chart, compileChart, renderChartSvg, vegaRuntimeSource } from "../../../src/index.js";

const chart: Chart = {
  kind: "test-points",
  title: "Three points",
  spec: {
    width: 200,
    height: 100,
    data: {
      values: [
        { x: 1, y: 2 },
        { x: 2, y: 3 },
        { x: 3, y: 1 },
      ],
    },
    mark: "point",
    encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
  },
};

describe("charts", () => {
  it("renders a Vega-Lite chart to SVG in Node, one mark per datum", async () => {
    const svg = await renderChartSvg(chart);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/role="graphics-symbol"/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    expect(svg.match(/<path[^>]*aria-label="x: \d; y: \d"/g)).toHaveLength(3);
  });

  it("compiles to a Vega spec whose data carries the chart's values", async () => {
    const vegaSpec = await compileChart(chart);
    expect(vegaSpec.$schema).toMatch(/vega\/v6/);
    expect(JSON.stringify(vegaSpec.data)).toContain('"x":3');
  });

  it("reads the Vega browser runtime from the installed package", async () => {
    const source = await vegaRuntimeSource();
    expect(source.length).toBeGreaterThan(100_000);
    expect(source).toContain("vega");
  });
});
