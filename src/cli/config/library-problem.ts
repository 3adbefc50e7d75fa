import { AscentError, type ConfigProblem } from "../../errors.js";
import { type ConfigPath, formatConfigPath } from "./config-path.js";

/**
 * Subjects the library starts its messages with; in a config problem the path already says which
 * parameter or objective is meant.
 */
const SUBJECT_PREFIXES: readonly RegExp[] = [
  /^(?:Range|Choice|Fixed) parameter "[^"]*"(?: \(type "\w+"\))?:?\s*/,
  /^Parameter "[^"]*"(?: \(type "\w+"\))?:?\s*/,
  /^Objective "[^"]*":\s*/,
  /^QueueRunner option\s*/,
  /^GenerationStep \([^)]*\):\s*/,
  /^ImprovementGlobalStoppingStrategy:\s*/,
  /^Command element \d+ \(.*?\) (?=has )/,
];

/** Library wordings that read better in a config file, with the file's own way to fix them. */
const REWORDINGS: readonly [RegExp, string][] = [
  [
    /^lower \((.+?)\) must be strictly less than upper \((.+?)\)\..*$/s,
    "lower ($1) must be below upper ($2); for a single value write type: fixed, value: $1",
  ],
  [/^(\w[\w.]*) must be (.+), got (.+?)\.?$/s, "must be $2 (got $3)"],
];

/**
 * Turns an error the library threw while checking part of a config into a problem at `path`: the
 * library's own rule and explanation, without the subject its message starts with (the path names it).
 * @throws the error itself when it is not an {@link AscentError}: a bug, not a problem of the file.
 * @example libraryProblem(["parameters", 2, "bounds"], rangeError) // "lower (5) must be below upper (1); ..."
 */
export function libraryProblem(path: ConfigPath, error: unknown): ConfigProblem {
  if (!(error instanceof AscentError)) throw error;
  let message = error.message;
  for (const prefix of SUBJECT_PREFIXES) message = message.replace(prefix, "");
  for (const [pattern, wording] of REWORDINGS) {
    if (pattern.test(message)) {
      message = message.replace(pattern, wording);
      break;
    }
  }
  message = message.replace(/\.$/, "");
  return { path: formatConfigPath(path), message: lowerFirst(message) };
}

/**
 * Runs a library check and records the problem it raises, if any, at `path` (or at the path
 * `path(error)` returns, for checks whose errors may concern several keys).
 * @returns the check's result, or undefined when it threw an {@link AscentError}.
 * @throws what `run` throws when it is not an AscentError (a bug, not a problem of the file).
 */
export function check<T>(
  problems: ConfigProblem[],
  path: ConfigPath | ((error: unknown) => ConfigPath),
  run: () => T,
): T | undefined {
  try {
    return run();
  } catch (error) {
    problems.push(libraryProblem(typeof path === "function" ? path(error) : path, error));
    return undefined;
  }
}

/** The key a library message is about, when it starts with one of `keys` (`"timeoutSeconds must be..."`). */
export function keyInMessage(error: unknown, keys: readonly string[]): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const text = error.message.replace(/^QueueRunner option /, "");
  return keys.find((key) => text.startsWith(`${key} `) || text.startsWith(`${key}.`));
}

function lowerFirst(text: string): string {
  // Keep names that start with a capital as written ("SchedulerOptions"); lower plain sentence starts.
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
