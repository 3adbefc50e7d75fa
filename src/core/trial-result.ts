import { TrialResultError } from "../errors.js";
import type { BaseTrial } from "./base-trial.js";
import type { Experiment } from "./experiment.js";
import { describeValue, isPlainObject, type JsonObject, type JsonValue } from "./json.js";

/**
 * One metric's value in a trial result: a mean (noise unknown), `[mean, sem]`, or `{ mean, sem }`;
 * a `sem` of null means the noise is unknown (to be inferred), 0 means noiseless.
 */
export type TrialResultValue =
  | number
  | readonly [mean: number, sem: number | null]
  | { readonly mean: number; readonly sem?: number | null };

/** What an evaluation returns: a number (the single objective) or values by metric name. */
export type TrialResult = number | Readonly<Record<string, TrialResultValue>>;

/** The run-metadata key under which a trial's result is kept with the trial. */
export const RESULT_KEY = "result";

/** Longest quotation of a result in an error message, in characters. */
const QUOTE_CHARS = 300;

/**
 * A JSON copy of a result as a runner reported it, to keep with the trial. Nothing is refused here, so a
 * bad result is stored as it was and its fetch fails with a reason that quotes it: numbers that JSON
 * cannot hold (NaN, ±Infinity) become the strings "NaN", "Infinity" and "-Infinity", values JSON has no
 * form for become their `String()`, undefined fields are left out and a circular reference becomes
 * "[circular]".
 */
export function storableTrialResult(raw: unknown): JsonValue {
  return storable(raw, new Set<object>());
}

function storable(value: unknown, stack: Set<object>): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value !== "object") return String(value);
  if (stack.has(value)) return "[circular]";
  stack.add(value);
  let out: JsonValue;
  if (Array.isArray(value)) out = value.map((v) => storable(v, stack));
  else if (isPlainObject(value)) {
    const obj: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) obj[k] = storable(v, stack);
    out = obj;
  } else out = String(value);
  stack.delete(value);
  return out;
}

/**
 * The result to keep for a trial of `experiment`: a bare number is the value of the single objective
 * (`{ objective: number }`); anything else is kept as it is (and checked when it is read).
 */
export function normalizeTrialResult(result: JsonValue, experiment: Experiment): JsonValue {
  if (typeof result !== "number") return result;
  const objectives = experiment.optimizationConfig?.objectives ?? [];
  if (objectives.length !== 1) return result;
  return { [objectives[0]!.metric.name]: result };
}

/** The metric names of a result object (none for any other result). */
export function resultMetricNames(result: JsonValue | undefined): string[] {
  return isResultObject(result) ? Object.keys(result) : [];
}

function isResultObject(result: JsonValue | undefined): result is JsonObject {
  return typeof result === "object" && result !== null && !Array.isArray(result);
}

/**
 * Reads one metric's value from the result kept with `trial`.
 * @throws TrialResultError naming the trial and the metric and quoting the result when the trial has no
 * result, the result is not an object, the metric is missing, or its value is not a finite number (with a
 * sem that is null or a finite number ≥ 0).
 */
export function trialResultValue(trial: BaseTrial, metricName: string): { mean: number; sem: number | null } {
  const result = trial.runMetadata[RESULT_KEY];
  const fail = (why: string): TrialResultError =>
    new TrialResultError(`Trial ${trial.index}: ${why}.`, { trialIndex: trial.index, metricName });
  if (result === undefined) {
    throw fail(
      `no result is stored for ${JSON.stringify(metricName)} (its runner reported none; a ResultMetric ` +
        "reads the result a built-in runner keeps with the trial)",
    );
  }
  if (!isResultObject(result)) {
    throw fail(
      `the result ${quote(result)} has no value for "${metricName}": it is not an object of metric values`,
    );
  }
  const value = result[metricName];
  if (value === undefined) {
    throw fail(`the result has no "${metricName}": got ${quote(result)}`);
  }
  const parsed = parseValue(value);
  if (typeof parsed === "string") {
    throw fail(`"${metricName}" ${parsed} in the result ${quote(result)}`);
  }
  return parsed;
}

/** `{ mean, sem }` of one result value, or why it is not one. */
function parseValue(value: JsonValue): { mean: number; sem: number | null } | string {
  let mean: JsonValue | undefined;
  let sem: JsonValue | undefined = null;
  if (typeof value === "number") mean = value;
  else if (Array.isArray(value)) {
    if (value.length !== 2) return `is an array of ${value.length} values, not [mean, sem]`;
    [mean, sem] = value;
  } else if (isResultObject(value)) {
    mean = value.mean;
    sem = value.sem ?? null;
  } else return `is ${quote(value)}, not a finite number`;
  if (typeof mean !== "number" || !Number.isFinite(mean))
    return `has mean ${quote(mean ?? null)}, not a finite number`;
  if (sem !== null && (typeof sem !== "number" || !Number.isFinite(sem) || sem < 0)) {
    return `has sem ${quote(sem ?? null)}, not null or a finite number ≥ 0`;
  }
  return { mean, sem };
}

function quote(value: JsonValue): string {
  return describeValue(value, QUOTE_CHARS);
}
