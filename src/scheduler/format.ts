/**
 * Formatting of the Scheduler's log lines, matching Ax's output (`Running trials [3, 4]...`,
 * `Retrieved COMPLETED trials: {0, 2}.`, `timeout hours: 1e-05`).
 * @internal
 */

/** `[3, 4]`: indices in ascending order, as Ax prints a list. */
export function formatIndexList(indices: Iterable<number>): string {
  return `[${[...indices].sort((a, b) => a - b).join(", ")}]`;
}

/** `{0, 2}`: indices in ascending order, as Ax prints a set. */
export function formatIndexSet(indices: Iterable<number>): string {
  return `{${[...indices].sort((a, b) => a - b).join(", ")}}`;
}

/** A number as Python's `repr` shows it: exponent form below 1e-4 (`1e-05`), plain otherwise. */
export function formatPythonNumber(x: number): string {
  if (x !== 0 && Number.isFinite(x) && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16)) {
    return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return String(x);
}

/** A poll wait as Ax logs it: whole seconds above 2, otherwise the value (1, 1.5). */
export function formatPollSeconds(seconds: number): string {
  return seconds > 2 ? String(Math.trunc(seconds)) : String(Number(seconds.toFixed(3)));
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === "string" ? error : String(error);
}
