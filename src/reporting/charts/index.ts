export type { Chart } from "./chart.js";
export { compileChart, renderChartSvg } from "./render-chart.js";
export { vegaRuntimeSource } from "./vega-runtime.js";
