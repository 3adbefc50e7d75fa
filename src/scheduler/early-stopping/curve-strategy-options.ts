import { EarlyStoppingConfigError } from "../../errors.js";

/**
 * Options shared by the strategies that read one metric's curves (Ax's `BaseEarlyStoppingStrategy`
 * arguments, in camelCase). Every field is optional; each strategy states its defaults.
 */
export interface CurveStrategyOptions {
  /**
   * The metric to watch, as a one-element list (Ax's `metric_signatures`); default: the first objective's
   * metric. Several metrics are refused: combine one strategy per metric with And/Or instead.
   */
  metricNames?: readonly string[] | null;
  /** A trial is not stopped before its latest progression reaches this. Default null (no minimum). */
  minProgression?: number | null;
  /** A trial whose latest progression is at or above this is nearly done and never stopped. Default null. */
  maxProgression?: number | null;
  /**
   * Nothing is stopped until this many curves (any trial's, running ones included) reached
   * `minProgression` (Ax's `min_curves`).
   */
  minCurves?: number;
  /**
   * Map all progressions to [0, 1] by the smallest and greatest progression seen for the metric, so
   * `minProgression`/`maxProgression` are fractions of the longest curve. Default false.
   */
  normalizeProgressions?: boolean;
  /** Trials neither stopped nor compared against (e.g. a baseline run with other settings). Default none. */
  trialIndicesToIgnore?: readonly number[] | null;
  /** The progression key of the curves (`step`, `epoch`); default "step" if present, else the first key. */
  progressionKey?: string | null;
  /** Constant wait between the Scheduler's poll rounds while this strategy is set, in seconds. */
  secondsBetweenPolls?: number;
}

/** {@link CurveStrategyOptions} after validation, every field set. */
export interface ResolvedCurveOptions {
  readonly metricNames: readonly string[] | null;
  readonly minProgression: number | null;
  readonly maxProgression: number | null;
  readonly minCurves: number;
  readonly normalizeProgressions: boolean;
  readonly trialIndicesToIgnore: readonly number[];
  readonly progressionKey: string | null;
  readonly secondsBetweenPolls: number | undefined;
}

/** Names of the shared options, for unknown-key checks. */
export const CURVE_OPTION_KEYS: readonly string[] = [
  "metricNames",
  "minProgression",
  "maxProgression",
  "minCurves",
  "normalizeProgressions",
  "trialIndicesToIgnore",
  "progressionKey",
  "secondsBetweenPolls",
];

/** Throws an {@link EarlyStoppingConfigError} about option `name` of `strategy`. */
export function optionError(strategy: string, name: string, message: string): never {
  throw new EarlyStoppingConfigError(`${strategy}: ${name} ${message}`, { path: name });
}

/**
 * Refuses keys a strategy does not know, suggesting the camelCase name for Ax's snake_case spelling.
 * @throws EarlyStoppingConfigError naming the key.
 */
export function checkKnownKeys(strategy: string, init: object, known: readonly string[]): void {
  if (init === null || typeof init !== "object" || Array.isArray(init)) {
    throw new EarlyStoppingConfigError(`${strategy} takes one object of options, got ${String(init)}.`);
  }
  for (const key of Object.keys(init)) {
    if (known.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    const hint = known.includes(camel) ? ` Did you mean "${camel}"?` : ` Known options: ${known.join(", ")}.`;
    throw new EarlyStoppingConfigError(`${strategy}: unknown option "${key}".${hint}`, { path: key });
  }
}

/**
 * Validates the shared options and fills in defaults.
 * @throws EarlyStoppingConfigError naming the option, the value and what is accepted.
 */
export function resolveCurveOptions(
  strategy: string,
  init: CurveStrategyOptions,
  defaults: { minCurves: number },
): ResolvedCurveOptions {
  const minProgression = nullableNumber(strategy, "minProgression", init.minProgression);
  const maxProgression = nullableNumber(strategy, "maxProgression", init.maxProgression);
  if (minProgression !== null && minProgression < 0) {
    optionError(strategy, "minProgression", `must be >= 0 (or null for none), got ${minProgression}.`);
  }
  if (minProgression !== null && maxProgression !== null && minProgression >= maxProgression) {
    optionError(
      strategy,
      "maxProgression",
      `(${maxProgression}) must be greater than minProgression (${minProgression}).`,
    );
  }
  const minCurves = init.minCurves ?? defaults.minCurves;
  if (typeof minCurves !== "number" || !Number.isInteger(minCurves) || minCurves < 1) {
    optionError(strategy, "minCurves", `must be an integer >= 1, got ${String(minCurves)}.`);
  }
  const normalize = init.normalizeProgressions ?? false;
  if (typeof normalize !== "boolean") {
    optionError(strategy, "normalizeProgressions", `must be true or false, got ${String(normalize)}.`);
  }
  return {
    metricNames: checkMetricNames(strategy, init.metricNames),
    minProgression,
    maxProgression,
    minCurves,
    normalizeProgressions: normalize,
    trialIndicesToIgnore: checkIndices(strategy, init.trialIndicesToIgnore),
    progressionKey: checkKey(strategy, init.progressionKey),
    secondsBetweenPolls: checkSeconds(strategy, init.secondsBetweenPolls),
  };
}

/** The shared options as a plain JSON-ready object (defaults included, so a config round-trips exactly). */
export function curveOptionsToJSON(o: ResolvedCurveOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    metricNames: o.metricNames === null ? null : [...o.metricNames],
    minProgression: o.minProgression,
    maxProgression: o.maxProgression,
    minCurves: o.minCurves,
    normalizeProgressions: o.normalizeProgressions,
    trialIndicesToIgnore: [...o.trialIndicesToIgnore],
    progressionKey: o.progressionKey,
  };
  if (o.secondsBetweenPolls !== undefined) out.secondsBetweenPolls = o.secondsBetweenPolls;
  return out;
}

/** Whether a trial at `progression` may be stopped: reached minProgression, not yet at maxProgression. */
export function inProgressionRange(
  progression: number,
  options: { readonly minProgression: number | null; readonly maxProgression: number | null },
): boolean {
  if (options.minProgression !== null && progression < options.minProgression) return false;
  return options.maxProgression === null || progression < options.maxProgression;
}

/** A finite number option, or null when absent. */
export function nullableNumber(strategy: string, name: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    optionError(strategy, name, `must be a finite number or null, got ${String(value)}.`);
  }
  return value;
}

function checkMetricNames(strategy: string, value: unknown): readonly string[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || !value.every((n) => typeof n === "string" && n !== "")) {
    optionError(strategy, "metricNames", `must be a list of one metric name, got ${JSON.stringify(value)}.`);
  }
  if (value.length !== 1) {
    optionError(
      strategy,
      "metricNames",
      `must name exactly one metric, got ${value.length} (${value.join(", ")}); to watch several metrics, ` +
        "build one strategy per metric and combine them with AndEarlyStoppingStrategy or OrEarlyStoppingStrategy.",
    );
  }
  return Object.freeze([...(value as string[])]);
}

function checkIndices(strategy: string, value: unknown): readonly number[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value) || !value.every((i) => Number.isInteger(i) && i >= 0)) {
    optionError(
      strategy,
      "trialIndicesToIgnore",
      `must be a list of trial indices (integers >= 0), got ${JSON.stringify(value)}.`,
    );
  }
  return Object.freeze([...(value as number[])]);
}

function checkKey(strategy: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string" || value === "") {
    optionError(
      strategy,
      "progressionKey",
      `must be a non-empty string such as "step", got ${String(value)}.`,
    );
  }
  return value;
}

function checkSeconds(strategy: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    optionError(
      strategy,
      "secondsBetweenPolls",
      `must be a finite number of seconds >= 0, got ${String(value)}.`,
    );
  }
  return value;
}
