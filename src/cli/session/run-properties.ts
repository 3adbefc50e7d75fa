import type { Experiment } from "../../core/experiment.js";
import type { JsonValue } from "../../core/json.js";
import { earlyStoppingStrategyFromConfig } from "../../scheduler/early-stopping/index.js";
import {
  type GlobalStoppingConfig,
  globalStoppingConfigOf,
  globalStoppingStrategyFromConfig,
} from "../../scheduler/global-stopping/index.js";
import {
  type EarlyStoppingStrategy,
  SchedulerOptions,
  type SchedulerOptionsInit,
} from "../../scheduler/scheduler-options.js";

/**
 * Experiment property where `ascent run` keeps what `ascent resume` needs and the store does not hold
 * otherwise: the config file (whose module a function runner needs again) and the Scheduler's settings
 * (the total, parallelism, failure rate, TTL, the global stopping rule), so that resume goes to the same
 * total, and stops by the same rule, without the file.
 */
export const RUN_PROPERTY = "ascentRun";

/** What {@link RUN_PROPERTY} holds. */
export interface StoredRunSettings {
  /** Absolute path of the config file `ascent run` read. */
  readonly configFile: string | null;
  /** The Scheduler's settings that are plain values (callbacks and strategies are not stored). */
  readonly schedulerOptions: Readonly<Record<string, string | number | boolean | null>>;
  /** The `globalStopping:` section as the strategy describes itself, or null (absent in older records). */
  readonly globalStopping?: GlobalStoppingConfig | null;
  /** The early-stopping strategy as its config (`toJSON()` of a built-in one), or null (absent in older records). */
  readonly earlyStopping?: JsonValue;
}

/** Records the run settings in the experiment's properties (saved with the experiment). */
export function recordRunSettings(
  experiment: Experiment,
  configFile: string | undefined,
  options: SchedulerOptions,
): void {
  const plain: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(options.toInit())) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      plain[key] = value as string | number | boolean | null;
    }
  }
  const settings: StoredRunSettings = {
    configFile: configFile ?? null,
    schedulerOptions: plain,
    globalStopping: globalStoppingConfigOf(options.globalStoppingStrategy),
    earlyStopping: strategyConfig(options.earlyStoppingStrategy),
  };
  experiment.properties[RUN_PROPERTY] = settings as unknown as JsonValue;
}

/** The run settings `ascent run` stored, or null for an experiment made otherwise. */
export function storedRunSettings(experiment: Experiment): StoredRunSettings | null {
  const value = experiment.properties[RUN_PROPERTY];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const configFile = typeof value.configFile === "string" ? value.configFile : null;
  const options = value.schedulerOptions;
  const schedulerOptions =
    options !== null && typeof options === "object" && !Array.isArray(options)
      ? (options as Record<string, string | number | boolean | null>)
      : {};
  const globalStopping =
    value.globalStopping !== null &&
    typeof value.globalStopping === "object" &&
    !Array.isArray(value.globalStopping)
      ? (value.globalStopping as unknown as GlobalStoppingConfig)
      : null;
  return { configFile, schedulerOptions, globalStopping, earlyStopping: value.earlyStopping ?? null };
}

/** A strategy's config when it can give one (the built-in strategies' `toJSON()`), else null. */
function strategyConfig(strategy: EarlyStoppingStrategy | null): JsonValue {
  const toJSON = (strategy as { toJSON?: unknown } | null)?.toJSON;
  return typeof toJSON === "function" ? (toJSON.call(strategy) as JsonValue) : null;
}

/**
 * Scheduler options rebuilt from stored settings, with the recorded global and early stopping
 * strategies (rebuilt from their stored configs); keys this version does not know are dropped (a newer
 * version may have stored more).
 * @throws SchedulerError (GlobalStoppingStrategyError, EarlyStoppingConfigError for the strategies) when
 * a stored value is no longer valid.
 */
export function schedulerOptionsOf(settings: StoredRunSettings): SchedulerOptions {
  const known = new Set(Object.keys(new SchedulerOptions().toInit()));
  const init = Object.fromEntries(Object.entries(settings.schedulerOptions).filter(([k]) => known.has(k)));
  const globalStoppingStrategy = settings.globalStopping
    ? globalStoppingStrategyFromConfig(settings.globalStopping)
    : null;
  const earlyStopping = settings.earlyStopping ?? null;
  const earlyStoppingStrategy =
    earlyStopping === null ? null : earlyStoppingStrategyFromConfig(earlyStopping, "earlyStopping");
  return new SchedulerOptions({
    ...(init as SchedulerOptionsInit),
    globalStoppingStrategy,
    earlyStoppingStrategy,
  });
}
