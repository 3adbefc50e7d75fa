/** The dashboard's stylesheet, served as an asset (no file is read from disk: the package is bundled). */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6472; --line: #d9dee6; --accent: #2457c5; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 16px; padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header a.home { font-weight: 700; color: var(--fg); text-decoration: none; }
header .where { color: var(--muted); font-size: 12px; }
header .live { margin-left: auto; font-size: 12px; color: var(--muted); }
header .live[data-state=live]::before { content: "\\25CF "; color: #2a9d4b; }
header .live[data-state=down]::before { content: "\\25CF "; color: #c53030; }
main { padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 20px; margin: 4px 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 16px; margin: 24px 0 8px; }
h3 { font-size: 14px; margin: 0 0 4px; }
.banner { display: none; padding: 8px 12px; margin-bottom: 12px; border-radius: 6px; background: #fdecec; color: #8a1f1f; border: 1px solid #f3b9b9; white-space: pre-wrap; }
.banner.shown { display: block; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 140px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 18px; font-weight: 600; overflow-wrap: anywhere; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 12px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; min-width: 0; }
figure .chart { width: 100%; overflow-x: auto; }
#charts figure .chart:empty { min-height: 320px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
.note { color: var(--muted); }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; max-width: 360px; overflow: hidden; text-overflow: ellipsis; }
th { position: sticky; top: 0; background: #eef1f5; cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \\25B2"; }
th[aria-sort=descending]::after { content: " \\25BC"; }
td.num { text-align: right; }
.table-wrap { max-height: 70vh; overflow: auto; border-radius: 8px; }
td[data-status]::before { content: "\\25CF "; }
td[data-status=COMPLETED]::before { color: #2a9d4b; }
td[data-status=RUNNING]::before, td[data-status=STAGED]::before { color: #d08c00; }
td[data-status=FAILED]::before { color: #c53030; }
td[data-status=ABANDONED]::before, td[data-status=EARLY_STOPPED]::before, td[data-status=CANDIDATE]::before { color: #8a8f98; }
tr.flash td { animation: flash 1.5s ease-out; }
@keyframes flash { from { background: #fff4c2; } to { background: transparent; } }
a { color: var(--accent); }
.pager { display: flex; align-items: center; gap: 12px; margin-top: 8px; color: var(--muted); }
.pager button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
.pager button:disabled { opacity: 0.4; cursor: default; }
`;
