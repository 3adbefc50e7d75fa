import type { JsonObject } from "../../core/json.js";
import type { Chart } from "../charts/chart.js";
import { contentSecurityPolicy } from "../html/content-security-policy.js";
import { html, rawHtml, type SafeHtml } from "../html/html.js";
import { checkInlineScript, jsonForScript } from "../html/json-for-script.js";
import { packJson, UNPACK_JSON_SOURCE } from "../html/packed-json.js";
import { REPORT_SCRIPT } from "./report-script.js";
import { REPORT_STYLES } from "./report-styles.js";

/** The parts of a report page, rendered; user strings in them are already escaped. */
export interface ReportPage {
  readonly title: string;
  /** The line under the heading (experiment, description, when). */
  readonly meta: SafeHtml;
  readonly summary: SafeHtml;
  readonly charts: readonly { readonly chart: Chart; readonly vegaSpec: JsonObject }[];
  readonly trials: SafeHtml;
  readonly failures: SafeHtml | null;
  /** The Vega runtime's source, inlined once. */
  readonly vegaRuntime: string;
}

/**
 * The whole report as one HTML document: styles, data and scripts inline, a Content-Security-Policy
 * that lets only the page's own two scripts run (by hash; Vega needs `unsafe-eval` for its
 * expressions) and loads nothing from anywhere. Charts' compiled specs are a JSON data block (packed:
 * see `packJson`), parsed by the script: the data is in the page once.
 */
export function reportDocument(page: ReportPage): string {
  const runtime = checkInlineScript(page.vegaRuntime);
  const script = checkInlineScript(`${UNPACK_JSON_SOURCE}\n${REPORT_SCRIPT}`);
  const csp = contentSecurityPolicy({ scripts: [runtime, script], allowEval: true });
  const specs = packJson(page.charts.map((c) => c.vegaSpec));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Ascent">
<title>${page.title}</title>
<style>${rawHtml(REPORT_STYLES)}</style>
</head>
<body>
<main>
<header class="report-head"><h1>${page.title}</h1><p class="meta">${page.meta}</p>
<nav class="toc"><a href="#summary">Summary</a>${page.charts.length > 0 ? html`<a href="#charts">Charts</a>` : ""}<a href="#trials">Trials</a>${
    page.failures ? html`<a href="#failures">Failures</a>` : ""
  }</nav></header>
<section id="summary"><h2>Summary</h2>${page.summary}</section>
${chartsSection(page.charts.map((c) => c.chart))}
<section id="trials"><h2>Trials</h2><p class="muted">One row per arm. Click a column's header to sort by it; click again to reverse.</p>${page.trials}</section>
${page.failures ? html`<section id="failures"><h2>Failures</h2>${page.failures}</section>` : ""}
<footer>Made by Ascent. This file is self-contained: it loads nothing from the network.</footer>
</main>
<script type="application/json" id="report-charts">${rawHtml(jsonForScript(specs))}</script>
<script>${rawHtml(runtime)}</script>
<script>${rawHtml(script)}</script>
</body>
</html>
`.html;
}

function chartsSection(charts: readonly Chart[]): SafeHtml {
  if (charts.length === 0) return html``;
  return html`<section id="charts"><h2>Charts</h2><div class="charts">${charts.map(
    (chart, i) => html`<figure class="chart" data-kind="${chart.kind}"><h3>${chart.title}</h3>
<div class="chart-view" id="chart-${i}" role="img" aria-label="${chart.title}"></div>${
      chart.caption ? html`<figcaption>${chart.caption}</figcaption>` : ""
    }</figure>`,
  )}</div></section>`;
}
