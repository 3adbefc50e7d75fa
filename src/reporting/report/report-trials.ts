import type { Experiment } from "../../core/experiment.js";
import { experimentToTable, type TableCell } from "../experiment-to-table.js";
import { html, type SafeHtml } from "../html/html.js";
import { trialRunTimeMs } from "./report-durations.js";
import { formatReportNumber, formatReportValue } from "./report-format.js";

/** A column of the report's trials table. */
interface Column {
  readonly label: string;
  /** Numbers sort numerically; text sorts by locale. */
  readonly numeric: boolean;
  readonly cell: (row: Row) => TableCell;
  /** What the column holds: numbers are right-aligned, statuses drawn as badges, reasons wrap. */
  readonly kind: "index" | "status" | "parameter" | "metric" | "time" | "text" | "reason";
}

type Row = Record<string, TableCell> & { trialIndex: number; trialStatus: string };

/** The key of a row's run time: a symbol-like name no metric or parameter column can take. */
const RUN_TIME = "\u0000runTime";

/**
 * The trials table: one row per arm (index, arm when trials have several, status, generator, each
 * parameter, each metric's latest mean, run time, reason), every user string escaped. Headers are
 * buttons that sort the rows (the page's script); numeric cells carry their full value in `data-v`.
 */
export function trialsTableHtml(experiment: Experiment): SafeHtml {
  const rows = experimentToTable(experiment) as Row[];
  const columns = trialColumns(rows);
  const runTimes = new Map<number, number | null>();
  for (const trial of experiment.trials.values()) runTimes.set(trial.index, trialRunTimeMs(trial));
  const withTimes = rows.map((row) => ({ ...row, [RUN_TIME]: seconds(runTimes.get(row.trialIndex)) }));
  return html`<div class="table-wrap"><table class="trials sortable" id="trials-table">
<thead><tr>${columns.map((c, i) => headerCell(c, i))}</tr></thead>
<tbody>${withTimes.map((row) => html`<tr>${columns.map((c) => bodyCell(c, row))}</tr>\n`)}</tbody>
</table></div>`;
}

function seconds(ms: number | null | undefined): number | undefined {
  return ms === null || ms === undefined ? undefined : ms / 1000;
}

function trialColumns(rows: readonly Row[]): Column[] {
  const { metrics, parameters } = dataColumns(rows);
  const hasBatches = rows.some((row, i) => i > 0 && rows[i - 1]!.trialIndex === row.trialIndex);
  const numeric = (key: string) => rows.some((r) => typeof r[key] === "number");
  const columns: Column[] = [
    { label: "trial", numeric: true, cell: (r) => r.trialIndex, kind: "index" },
    ...(hasBatches
      ? [{ label: "arm", numeric: false, cell: (r: Row) => r.armName, kind: "text" } as const]
      : []),
    { label: "status", numeric: false, cell: (r) => r.trialStatus, kind: "status" },
    { label: "generator", numeric: false, cell: (r) => r.generatorModel, kind: "text" },
  ];
  for (const key of parameters) {
    columns.push({ label: key, numeric: numeric(key), cell: (r) => r[key], kind: "parameter" });
  }
  for (const key of metrics) columns.push({ label: key, numeric: true, cell: (r) => r[key], kind: "metric" });
  columns.push({ label: "run time (s)", numeric: true, cell: (r) => r[RUN_TIME], kind: "time" });
  columns.push({ label: "reason", numeric: false, cell: (r) => r.failureReason, kind: "reason" });
  return columns;
}

/**
 * Metric and parameter columns of experimentToTable's rows, from their key order: metrics before
 * `trialIndex`, parameters between `armName` and `trialStatus` (names already made unique there).
 */
function dataColumns(rows: readonly Row[]): { metrics: string[]; parameters: string[] } {
  const keys = rows[0] === undefined ? [] : Object.keys(rows[0]);
  const trialAt = keys.indexOf("trialIndex");
  const armAt = keys.indexOf("armName");
  const statusAt = keys.indexOf("trialStatus");
  return { metrics: keys.slice(0, trialAt), parameters: keys.slice(armAt + 1, statusAt) };
}

function headerCell(column: Column, index: number): SafeHtml {
  return html`<th scope="col" class="col-${column.kind}" data-type="${column.numeric ? "number" : "text"}" aria-sort="none"><button type="button" data-column="${index}">${column.label}<span class="sort-mark" aria-hidden="true"></span></button></th>`;
}

function bodyCell(column: Column, row: Row): SafeHtml {
  const value = column.cell(row);
  if (typeof value === "number") {
    const shown = column.kind === "time" ? value.toFixed(value < 10 ? 2 : 1) : formatReportNumber(value);
    const exact = String(value);
    // Only numbers shown rounded carry their full value, for sorting: the file stays small.
    return html`<td class="num"${exact === shown ? "" : html` data-v="${exact}"`}>${shown}</td>`;
  }
  if (column.kind === "status")
    return html`<td><span class="status s-${String(value)}">${String(value)}</span></td>`;
  if (column.kind === "reason") return html`<td class="reason">${formatReportValue(value)}</td>`;
  return html`<td>${formatReportValue(value)}</td>`;
}
