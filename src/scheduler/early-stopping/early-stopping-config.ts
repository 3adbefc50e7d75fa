import { EarlyStoppingConfigError } from "../../errors.js";
import type { EarlyStoppingStrategy } from "../scheduler-options.js";
import {
  type CurvePredictionEarlyStoppingConfig,
  CurvePredictionEarlyStoppingStrategy,
} from "./curve-prediction-early-stopping-strategy.js";
import {
  AndEarlyStoppingStrategy,
  type LogicalEarlyStoppingConfig,
  OrEarlyStoppingStrategy,
} from "./logical-early-stopping-strategy.js";
import {
  type PercentileEarlyStoppingConfig,
  PercentileEarlyStoppingStrategy,
} from "./percentile-early-stopping-strategy.js";
import {
  type ThresholdEarlyStoppingConfig,
  ThresholdEarlyStoppingStrategy,
} from "./threshold-early-stopping-strategy.js";

/**
 * A built-in early-stopping strategy as plain data (what a config file holds and what each strategy's
 * `toJSON()` returns): `{ type: "percentile", percentileThreshold: 70 }`, `{ type: "threshold",
 * metricThreshold: 0.5 }`, `{ type: "curve-prediction" }`, or `{ type: "and" | "or", strategies: [...] }`.
 */
export type EarlyStoppingConfig =
  | PercentileEarlyStoppingConfig
  | ThresholdEarlyStoppingConfig
  | CurvePredictionEarlyStoppingConfig
  | LogicalEarlyStoppingConfig<EarlyStoppingConfig>;

/** A built-in strategy: one that `earlyStoppingStrategyFromConfig` builds and `toJSON()` writes back. */
export type BuiltInEarlyStoppingStrategy = EarlyStoppingStrategy & {
  readonly kind: EarlyStoppingConfig["type"];
  toJSON(): EarlyStoppingConfig;
};

/** The `type` values `earlyStoppingStrategyFromConfig` knows. */
export const EARLY_STOPPING_TYPES: readonly EarlyStoppingConfig["type"][] = [
  "percentile",
  "threshold",
  "curve-prediction",
  "and",
  "or",
];

/**
 * The strategy of a config without a `type`: curve prediction, which on the learning-curve benchmark
 * saved the most steps at no loss in the final result (docs/early-stopping.md).
 */
export const DEFAULT_EARLY_STOPPING_TYPE: EarlyStoppingConfig["type"] = "curve-prediction";

/**
 * Builds a strategy from its config (see {@link EarlyStoppingConfig}); the inverse of its `toJSON()`.
 * Without a `type`, the {@link DEFAULT_EARLY_STOPPING_TYPE} strategy with the options given.
 * @param path where the config sits, prefixed to the error path (e.g. "earlyStopping").
 * @throws EarlyStoppingConfigError naming the offending option by its path in the config
 * (`strategies[1].percentileThreshold`), what was wrong and what is accepted.
 * @example earlyStoppingStrategyFromConfig({ type: "percentile", percentileThreshold: 70, minProgression: 5 })
 */
export function earlyStoppingStrategyFromConfig(config: unknown, path = ""): BuiltInEarlyStoppingStrategy {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new EarlyStoppingConfigError(
      `${at(path)}an early-stopping config must be an object such as { "type": "percentile" }, got ${JSON.stringify(config)}.`,
      { path },
    );
  }
  const { type: given, ...options } = config as Record<string, unknown>;
  const type: unknown = given === undefined ? DEFAULT_EARLY_STOPPING_TYPE : given;
  try {
    switch (type) {
      case "percentile":
        return new PercentileEarlyStoppingStrategy(options);
      case "threshold":
        return new ThresholdEarlyStoppingStrategy(options as { metricThreshold: number });
      case "curve-prediction":
        return new CurvePredictionEarlyStoppingStrategy(options);
      case "and":
      case "or":
        return logicalFromConfig(type, options, path);
      default:
        throw new EarlyStoppingConfigError(
          `unknown early-stopping type ${JSON.stringify(type)}; use one of ${EARLY_STOPPING_TYPES.map((t) => `"${t}"`).join(", ")}.`,
          { path: "type" },
        );
    }
  } catch (error) {
    if (!(error instanceof EarlyStoppingConfigError) || type === "and" || type === "or") throw error;
    // Constructor errors name the option alone; give it its place in the whole config.
    const full = join(path, error.path);
    throw new EarlyStoppingConfigError(`${at(full)}${error.message}`, { path: full, cause: error.cause });
  }
}

function logicalFromConfig(
  type: "and" | "or",
  options: Record<string, unknown>,
  path: string,
): BuiltInEarlyStoppingStrategy {
  const { strategies, ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    const where = join(path, unknown[0]!);
    throw new EarlyStoppingConfigError(
      `${at(where)}unknown option "${unknown[0]}" of an "${type}" strategy; it takes only "strategies" (a list).`,
      { path: where },
    );
  }
  const listPath = join(path, "strategies");
  if (!Array.isArray(strategies) || strategies.length < 2) {
    throw new EarlyStoppingConfigError(
      `${at(listPath)}an "${type}" strategy needs a list of at least two strategy configs, got ${JSON.stringify(strategies)}.`,
      { path: listPath },
    );
  }
  const built = strategies.map((s, i) => earlyStoppingStrategyFromConfig(s, `${listPath}[${i}]`));
  const combined =
    type === "and" ? new AndEarlyStoppingStrategy(...built) : new OrEarlyStoppingStrategy(...built);
  // The combination's toJSON holds its parts' configs, which are EarlyStoppingConfigs since they were built here.
  return combined as BuiltInEarlyStoppingStrategy;
}

function join(path: string, key: string): string {
  if (path === "") return key;
  return key === "" ? path : `${path}.${key}`;
}

function at(path: string): string {
  return path === "" ? "" : `${path}: `;
}
