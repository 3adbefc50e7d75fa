import type { TableCell } from "./experiment-to-table.js";

/** Any table: rows of named cells, such as the rows of `experimentToTable`. */
export type Table = readonly Readonly<Record<string, TableCell>>[];

/** Options of {@link tableToCsv}. */
export interface CsvOptions {
  /** Record separator; RFC 4180 says CRLF (the default). */
  lineEnding?: "\r\n" | "\n";
}

/**
 * The union of the rows' keys, in first-seen order: the columns of the table.
 * @example tableColumns([{ a: 1 }, { b: 2, a: 3 }]) // ["a", "b"]
 */
export function tableColumns(rows: Table): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key in row) columns.add(key);
  return [...columns];
}

/**
 * Writes rows as CSV (RFC 4180): a header of {@link tableColumns}, then one record per row, each record
 * ended by the line ending. A field holding a comma, a double quote, CR or LF is wrapped in double
 * quotes, with inner quotes doubled. `undefined` and `null` become empty fields, numbers and booleans
 * their `String` form. An empty table gives an empty string.
 * @example tableToCsv(experimentToTable(experiment)) // "branin,trialIndex,armName,x1,...\r\n1.5,0,0_0,..."
 */
export function tableToCsv(rows: Table, options: CsvOptions = {}): string {
  const eol = options.lineEnding ?? "\r\n";
  const columns = tableColumns(rows);
  if (columns.length === 0) return "";
  const lines = [columns.map(csvField).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(","));
  return lines.join(eol) + eol;
}

/**
 * Writes rows as a JSON array of objects. Every object has every column of the table
 * ({@link tableColumns}, in order), with `null` where a value is missing, so tools that read JSON
 * records (pandas, jq, spreadsheets) see one consistent set of columns.
 * @param indent spaces of indentation (none by default).
 * @example tableToJson(experimentToTable(experiment), 2)
 */
export function tableToJson(rows: Table, indent?: number): string {
  const columns = tableColumns(rows);
  const records = rows.map((row) => {
    const record: Record<string, string | number | boolean | null> = {};
    for (const c of columns) record[c] = row[c] ?? null;
    return record;
  });
  return JSON.stringify(records, null, indent);
}

function csvField(value: TableCell): string {
  if (value === undefined || value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
