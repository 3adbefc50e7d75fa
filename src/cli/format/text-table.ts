import type { TableCell } from "../../reporting/experiment-to-table.js";
import { type Table, tableColumns } from "../../reporting/table-format.js";

/** Options of {@link renderTextTable}. */
export interface TextTableOptions {
  /** Longest text shown in a cell; longer text is cut with "…" (default 48). */
  maxCellWidth?: number;
}

/**
 * Lines of a plain-text table for a terminal: the header ({@link tableColumns}), a rule, then one line
 * per row, columns separated by two spaces, numbers right-aligned. Cells are written by
 * {@link formatCell}; a missing value is blank. No colours or box characters, so the output stays
 * readable when piped to a file or `less`.
 * @example renderTextTable(experimentToTable(experiment)).forEach((line) => console.log(line));
 */
export function renderTextTable(rows: Table, options: TextTableOptions = {}): string[] {
  const columns = tableColumns(rows);
  if (columns.length === 0) return [];
  const maxWidth = options.maxCellWidth ?? 48;
  const cells = rows.map((row) => columns.map((c) => clip(formatCell(row[c]), maxWidth)));
  const numeric = columns.map((c) => rows.some((r) => typeof r[c] === "number"));
  const widths = columns.map((c, k) => Math.max(c.length, ...cells.map((line) => line[k]!.length)));
  const pad = (text: string, k: number): string =>
    numeric[k] ? text.padStart(widths[k]!) : text.padEnd(widths[k]!);
  const line = (texts: readonly string[]): string => texts.map(pad).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

/**
 * A cell as text: blank for a missing value, integers as they are, other numbers to 6 significant
 * digits (the table is for reading; `export` keeps full precision), booleans and strings as they are.
 * @example formatCell(0.123456789) // "0.123457"
 */
export function formatCell(value: TableCell): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

/** A number to 6 significant digits, without trailing zeros or exponent clutter for ordinary sizes. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s*\r?\n\s*/g, " ");
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
