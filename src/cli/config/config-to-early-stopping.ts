import { type ConfigProblem, EarlyStoppingConfigError } from "../../errors.js";
import { earlyStoppingStrategyFromConfig } from "../../scheduler/early-stopping/index.js";
import type { EarlyStoppingStrategy } from "../../scheduler/scheduler-options.js";
import type { EarlyStoppingSectionConfig } from "./config-schema.js";

/**
 * Builds the early-stopping strategy of the `earlyStopping:` section with `earlyStoppingStrategyFromConfig`
 * (the library checks every option), recording a problem at the option's path
 * (`earlyStopping.strategies[1].percentileThreshold`) when it refuses one.
 * @returns the strategy; null without the section; undefined when problems were recorded.
 */
export function checkEarlyStopping(
  section: EarlyStoppingSectionConfig | undefined,
  isClean: (path: string) => boolean,
  problems: ConfigProblem[],
): EarlyStoppingStrategy | null | undefined {
  if (section === undefined) return null;
  if (!isClean("earlyStopping")) return undefined;
  try {
    return earlyStoppingStrategyFromConfig(section, "earlyStopping");
  } catch (error) {
    if (!(error instanceof EarlyStoppingConfigError)) throw error;
    const path = error.path.startsWith("earlyStopping") ? error.path : `earlyStopping.${error.path}`;
    // The message starts with its path, which the problem names apart.
    const message = error.message.replace(/^[\w.[\]]+: /, "").replace(/\.$/, "");
    problems.push({ path, message });
    return undefined;
  }
}
