/**
 * A number as the report shows it: integers as they are, others with 5 significant digits (no
 * exponent between 1e-4 and 1e6), so tables stay narrow; sorting uses the full value.
 */
export function formatReportNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

/** A parameter or metric value as text: numbers formatted, strings and booleans as they are. */
export function formatReportValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  return typeof value === "number" ? formatReportNumber(value) : String(value);
}
