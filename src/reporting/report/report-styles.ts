/**
 * The report's stylesheet: light, system fonts, compact; cards for the summary, figures for charts, a
 * sticky-header table. Print: no buttons' chrome, figures and rows not split across pages.
 */
export const REPORT_STYLES = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
header.report-head { border-bottom: 1px solid var(--line); margin-bottom: 16px; padding-bottom: 8px; }
h1 { font-size: 22px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 13px; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.card h3 + * { margin-top: 0; }
.card h3:not(:first-child) { margin-top: 14px; }
p { margin: 4px 0 8px; }
.muted, .meta { color: var(--muted); }
nav.toc { font-size: 13px; }
nav.toc a { color: var(--accent); margin-right: 14px; text-decoration: none; }
.summary-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; background: #fff; overflow-wrap: break-word; }
.point .where { font-weight: 600; margin: 2px 0 4px; }
table.kv { border-collapse: collapse; }
table.kv th { text-align: left; font-weight: 500; color: var(--muted); padding: 1px 12px 1px 0; vertical-align: top; }
table.kv td { font-variant-numeric: tabular-nums; padding: 1px 0; }
table.kv tr.metric th { color: var(--fg); font-weight: 600; }
.predicted { color: var(--muted); }
ul.statuses { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.total { font-size: 20px; font-weight: 600; margin: 0 0 4px; }
dl.facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
ol.steps { margin: 4px 0 8px; padding-left: 20px; }
ol.steps li.current { font-weight: 600; }
.status { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 10px; background: #eef1f4; color: #3d444d; }
.s-COMPLETED { background: #dafbe1; color: #116329; }
.s-FAILED { background: #ffebe9; color: #a40e26; }
.s-ABANDONED { background: #fff1e5; color: #953800; }
.s-EARLY_STOPPED { background: #fff8c5; color: #7d4e00; }
.s-RUNNING, .s-STAGED, .s-CANDIDATE { background: #ddf4ff; color: #0a3069; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure.chart { margin: 0; flex: 0 1 auto; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; break-inside: avoid; }
figure.chart figcaption { max-width: 720px; }
figure.chart h3 { text-transform: none; letter-spacing: 0; font-size: 14px; color: var(--fg); }
figure.chart figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
.chart-view { min-height: 40px; }
.chart-view.failed { color: #a40e26; }
.table-wrap { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table.trials { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
table.trials th { position: sticky; top: 0; background: var(--bg-soft); border-bottom: 1px solid var(--line); padding: 0; text-align: left; white-space: nowrap; z-index: 1; }
table.trials th button { all: unset; display: block; padding: 6px 8px; cursor: pointer; font-weight: 600; }
table.trials th button:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
table.trials th[data-type=number] button { text-align: right; }
table.trials th[aria-sort=ascending] .sort-mark::after { content: " ▲"; }
table.trials th[aria-sort=descending] .sort-mark::after { content: " ▼"; }
table.trials td { padding: 3px 8px; border-bottom: 1px solid #eaeef2; white-space: nowrap; }
table.trials td.num { text-align: right; }
table.trials td.reason { white-space: normal; min-width: 120px; max-width: 420px; overflow-wrap: anywhere; }
table.trials tbody tr:hover { background: #f3f7fb; }
ul.failures { padding-left: 18px; }
ul.failures li { margin-bottom: 6px; overflow-wrap: anywhere; }
.metadata { color: var(--muted); font-size: 12px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  .table-wrap { max-height: none; overflow: visible; border: 0; }
  table.trials th { position: static; }
  .sort-mark { display: none; }
  tr, figure.chart, .card { break-inside: avoid; }
  .charts { display: block; }
  figure.chart { margin-bottom: 12px; }
}
`;
