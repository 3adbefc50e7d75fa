import { describeValue, isPlainObject } from "./json.js";
import type { TrialResultValue } from "./trial-result.js";

/**
 * What a running trial reported at one point of its progression: metric values (`number | [mean, sem] |
 * { mean, sem }`, as in a result) at a progression such as `{ step: 20 }` or `{ epoch: 3, samples: 96000 }`.
 * Runners that are a {@link ProgressSource} hand these to the Scheduler, which stores each value as a data
 * row with that progression.
 */
export interface ProgressRecord {
  readonly progression: Readonly<Record<string, number>>;
  readonly values: Readonly<Record<string, TrialResultValue>>;
}

/**
 * A progress report as an evaluation writes it: `{ step, values }`, or `{ progression, values }` for a
 * progression named otherwise (`{ progression: { epoch: 3 }, values: { loss: 0.4 } }`).
 */
export type ProgressReport =
  | { readonly step: number; readonly values: Readonly<Record<string, TrialResultValue>> }
  | {
      readonly progression: Readonly<Record<string, number>>;
      readonly values: Readonly<Record<string, TrialResultValue>>;
    };

/**
 * A progress report checked and turned into a record (frozen copies), or the reason it is not one.
 * @example progressRecordFromReport({ step: 20, values: { loss: 0.31 } })
 */
export function progressRecordFromReport(report: unknown): ProgressRecord | string {
  if (!isPlainObject(report)) {
    return `a progress report is an object { step, values } or { progression, values }, got ${describeValue(report)}`;
  }
  const { step, progression, values } = report;
  if (step !== undefined && progression !== undefined) {
    return "a progress report has either step or progression, not both";
  }
  const where = step !== undefined ? { step } : progression;
  const checkedProgression = checkProgression(where);
  if (typeof checkedProgression === "string") return checkedProgression;
  const checkedValues = checkValues(values);
  if (typeof checkedValues === "string") return checkedValues;
  return Object.freeze({ progression: checkedProgression, values: checkedValues });
}

/**
 * A JSON line of a progress file (as a command appends them) turned into a record, or why it is not one:
 * `{"step": 20, "loss": 0.31}` (the progression key `step`), or `{"progression": {"epoch": 3}, "loss": 0.4}`;
 * every other key is a metric value (`number`, `[mean, sem]` or `{ mean, sem }`).
 */
export function progressRecordFromLine(line: unknown): ProgressRecord | string {
  if (!isPlainObject(line)) return `a progress line is a JSON object, got ${describeValue(line)}`;
  const { step, progression, ...values } = line;
  if (step !== undefined && progression !== undefined) {
    return 'a progress line has either "step" or "progression", not both';
  }
  return progressRecordFromReport(
    step !== undefined ? { step, values } : { progression: progression ?? null, values },
  );
}

/** The canonical text of a progression (keys sorted), to tell two progressions apart. */
export function progressionKeyText(progression: Readonly<Record<string, number>>): string {
  return JSON.stringify(Object.entries(progression).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function checkProgression(value: unknown): Readonly<Record<string, number>> | string {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    return `the progression must be a step number or an object of numbers such as { epoch: 3 }, got ${describeValue(value)}`;
  }
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "" || typeof v !== "number" || !Number.isFinite(v)) {
      return `progression ${JSON.stringify(key)} must be a finite number with a non-empty name, got ${describeValue(v)}`;
    }
    out[key] = v;
  }
  return Object.freeze(out);
}

function checkValues(value: unknown): Readonly<Record<string, TrialResultValue>> | string {
  if (!isPlainObject(value) || Object.keys(value).length === 0) {
    return `a progress report needs values by metric name such as { loss: 0.31 }, got ${describeValue(value)}`;
  }
  const out: Record<string, TrialResultValue> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!isMetricValue(v)) {
      return `value of ${JSON.stringify(name)} must be a finite number, [mean, sem] or { mean, sem }, got ${describeValue(v)}`;
    }
    out[name] = v;
  }
  if (Object.keys(out).length === 0) return "a progress report needs at least one metric value";
  return Object.freeze(out);
}

function isMetricValue(v: unknown): v is TrialResultValue {
  const finite = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x);
  const sem = (x: unknown): boolean => x === null || x === undefined || (finite(x) && (x as number) >= 0);
  if (finite(v)) return true;
  if (Array.isArray(v)) return v.length === 2 && finite(v[0]) && sem(v[1]);
  return isPlainObject(v) && finite(v.mean) && sem(v.sem);
}
