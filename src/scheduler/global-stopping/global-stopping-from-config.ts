import { GlobalStoppingStrategyError } from "../../errors.js";
import type { GlobalStoppingStrategy } from "./global-stopping-strategy.js";
import {
  type ImprovementGlobalStoppingConfig,
  ImprovementGlobalStoppingStrategy,
} from "./improvement-global-stopping-strategy.js";

/** A global stopping strategy described in plain data (a config file's `globalStopping:`). */
export type GlobalStoppingConfig = { readonly type: "improvement" } & Partial<
  Omit<ImprovementGlobalStoppingConfig, "type">
>;

/** The strategy types a config may name. */
export const GLOBAL_STOPPING_TYPES: readonly GlobalStoppingConfig["type"][] = ["improvement"];

/**
 * Builds the global stopping strategy a plain description names:
 * `{ type: "improvement", minTrials, windowSize, improvementBar, inactiveWhenPendingTrials }` (options
 * as {@link ImprovementGlobalStoppingStrategy} takes them, with its defaults).
 * @throws GlobalStoppingStrategyError naming the option for an unknown `type`, an unknown option or a bad value.
 * @example globalStoppingStrategyFromConfig({ type: "improvement", minTrials: 10, improvementBar: 0.05 })
 */
export function globalStoppingStrategyFromConfig(config: GlobalStoppingConfig): GlobalStoppingStrategy {
  if (config === null || typeof config !== "object") {
    throw new GlobalStoppingStrategyError(
      `A global stopping config must be an object such as { type: "improvement", minTrials: 10 }, got ${String(config)}.`,
      { option: "type" },
    );
  }
  const { type, ...options } = config;
  if (type !== "improvement") {
    throw new GlobalStoppingStrategyError(
      `type must be one of ${GLOBAL_STOPPING_TYPES.map((t) => `"${t}"`).join(", ")}, got ${JSON.stringify(type) ?? String(type)}.`,
      { option: "type" },
    );
  }
  return new ImprovementGlobalStoppingStrategy(options);
}

/**
 * The plain description of a strategy built by {@link globalStoppingStrategyFromConfig} (what can be
 * stored with an experiment's run settings), or null for a strategy of the user's own.
 */
export function globalStoppingConfigOf(strategy: GlobalStoppingStrategy | null): GlobalStoppingConfig | null {
  return strategy instanceof ImprovementGlobalStoppingStrategy ? strategy.toJSON() : null;
}
