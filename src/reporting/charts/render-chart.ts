import type { JsonObject } from "../../core/json.js";
import type { Chart } from "./chart.js";

/**
 * Vega-Lite and Vega are imported on first use: they weigh ~150 ms of start-up, which commands that
 * draw nothing (`ascent list`) should not pay.
 */
async function loadVega() {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  return { vega, vegaLite };
}

/**
 * The Vega specification a Vega-Lite chart compiles to: what a browser page renders with the Vega
 * runtime alone (see {@link vegaRuntimeSource}), so pages never ship the Vega-Lite compiler.
 */
export async function compileChart(chart: Chart): Promise<JsonObject> {
  const { vegaLite } = await loadVega();
  // Vega-Lite's own types describe the same JSON; the chart builders produce valid specs by construction.
  const compiled = vegaLite.compile(chart.spec as unknown as Parameters<typeof vegaLite.compile>[0]);
  return compiled.spec as unknown as JsonObject;
}

/**
 * Renders a chart to a standalone SVG document, in Node without a DOM (Vega's headless renderer):
 * for reports without scripts, images in docs and tests.
 */
export async function renderChartSvg(chart: Chart): Promise<string> {
  const { vega } = await loadVega();
  const spec = await compileChart(chart);
  const view = new vega.View(vega.parse(spec as unknown as Parameters<typeof vega.parse>[0]), {
    renderer: "none",
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
