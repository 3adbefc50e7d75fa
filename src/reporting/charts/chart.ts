import type { JsonObject } from "../../core/json.js";

/**
 * A chart: a Vega-Lite specification with its data inlined, plus the words a report shows around it.
 * Plain JSON, so it can be stored, sent to a browser, or rendered to SVG on the server with
 * {@link renderChartSvg}; in a browser, {@link compileChart}'s Vega spec renders it interactively.
 */
export interface Chart {
  /** What the chart shows, as a stable identifier (`"optimization-trace"`, `"slice"`, ...). */
  readonly kind: string;
  /** A one-line title for a report's heading. */
  readonly title: string;
  /** One or two sentences on how to read the chart (what the band is, which estimate, ...). */
  readonly caption?: string;
  /** The Vega-Lite (v6) specification, data inlined as `data.values` or `datasets`. */
  readonly spec: JsonObject;
}
