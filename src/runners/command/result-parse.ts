import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** What a finished command reported, or why it reported nothing usable. */
export type ParsedResult =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly reason: string };

/** How much of the end of stdout is searched for the result line (a JSON line further back is not found). */
export const STDOUT_SCAN_BYTES = 4 * 1024 * 1024;
/** How much of the end of stdout or stderr a failure reason quotes. */
const TAIL_LINES = 20;
const TAIL_CHARS = 2000;
/** A bare number as programs print them: JSON numbers, `+1`, `1.`, `.5`, and nan/inf in any case. */
const BARE_NUMBER = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|nan|inf|infinity)$/i;

/**
 * The result of a command, by the rules, in order: the JSON in the result file when the command wrote
 * one (an object, or a bare number for a single objective); else the last stdout line that is a JSON
 * object; else a bare number on the last non-empty stdout line (`nan` and `inf` read as NaN and
 * Infinity, which the result metric then refuses with a reason quoting them).
 * @param resultFileText the result file's text, or null when the command did not write it
 * @param stdout the end of the command's stdout (see {@link readTail})
 * @returns the result, or (when none is found, or the result file is not JSON) a reason that names the
 * trial and, for a missing result, quotes the tails of stdout and stderr.
 */
export function parseCommandResult(args: {
  readonly trialIndex: number;
  readonly resultFileText: string | null;
  readonly stdout: string;
  readonly stderr: string;
}): ParsedResult {
  const { trialIndex, resultFileText, stdout, stderr } = args;
  if (resultFileText !== null && resultFileText.trim() !== "")
    return parseResultFile(trialIndex, resultFileText);
  const lines = stdout.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const parsed = jsonObjectLine(lines[i]!);
    if (parsed !== undefined) return { ok: true, result: parsed };
  }
  const last = lines.findLast((line) => line.trim() !== "")?.trim();
  if (last !== undefined && BARE_NUMBER.test(last)) return { ok: true, result: parseBareNumber(last) };
  return {
    ok: false,
    reason:
      `Trial ${trialIndex}: the command exited normally but reported no result: it wrote no result file ` +
      "($ASCENT_RESULT_FILE), no stdout line is a JSON object, and its last stdout line is not a number. " +
      `${tails(stdout, stderr)}`,
  };
}

function parseResultFile(trialIndex: number, text: string): ParsedResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      reason: `Trial ${trialIndex}: the result file ($ASCENT_RESULT_FILE) is not JSON (${(error as Error).message}): ${quote(text)}.`,
    };
  }
  if (typeof value === "number" || (typeof value === "object" && value !== null && !Array.isArray(value))) {
    return { ok: true, result: value };
  }
  return {
    ok: false,
    reason:
      `Trial ${trialIndex}: the result file ($ASCENT_RESULT_FILE) holds ${quote(text)}, not a JSON object ` +
      '({ "metric": value, ... }) nor a number.',
  };
}

function jsonObjectLine(line: string): Record<string, unknown> | undefined {
  const text = line.trim();
  if (!text.startsWith("{") || !text.endsWith("}")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseBareNumber(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, "");
  if (lower === "nan" || lower === "-nan") return Number.NaN;
  if (lower === "inf" || lower === "infinity") return Number.POSITIVE_INFINITY;
  if (lower === "-inf" || lower === "-infinity") return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** "stdout ends with: ... stderr ends with: ..." for failure reasons. */
export function tails(stdout: string, stderr: string): string {
  return `${describeTail("stdout", stdout)} ${describeTail("stderr", stderr)}`;
}

/** The last lines of a stream for a failure reason, or that it was empty. */
export function describeTail(name: string, text: string): string {
  const tail = tailOf(text);
  return tail === "" ? `${name} was empty.` : `${name} ends with:\n${tail}\n`;
}

function tailOf(text: string): string {
  const lines = text.replace(/\s+$/, "").split(/\r?\n/);
  let tail = lines.slice(-TAIL_LINES).join("\n");
  if (tail.length > TAIL_CHARS) tail = `…${tail.slice(-TAIL_CHARS)}`;
  return tail;
}

function quote(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= 300 ? JSON.stringify(trimmed) : `${JSON.stringify(trimmed.slice(0, 300))}…`;
}

/**
 * The last `maxBytes` of a file as text (from the first whole line when cut), "" when it is missing.
 * Reads only that much, so a command that printed gigabytes costs no more than one that printed little.
 */
export function readTail(path: string, maxBytes = STDOUT_SCAN_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return "";
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, size - length);
    const text = buffer.subarray(0, read).toString("utf8");
    return length < size ? text.slice(text.indexOf("\n") + 1) : text;
  } finally {
    closeSync(fd);
  }
}
