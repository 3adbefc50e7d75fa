import type { OptimizationConfig } from "../../core/optimization-config.js";

/**
 * Why the BoTorch generator cannot optimize `config`, or null when it can (or no config is known):
 * bounds relative to the status quo need one (they are then made absolute with its observed values).
 * The generator refuses such a config when it generates, and the default strategy chooses Sobol only for it.
 */
export function boTorchLimitation(config: OptimizationConfig | null, hasStatusQuo = false): string | null {
  if (config === null || hasStatusQuo) return null;
  const relativeThresholds = config.objectiveThresholds.filter((t) => t.relative);
  if (relativeThresholds.length > 0) {
    return (
      `objective threshold${relativeThresholds.length > 1 ? "s" : ""} ` +
      `${relativeThresholds.map((t) => t.toString()).join(", ")} ${relativeThresholds.length > 1 ? "are" : "is"} ` +
      "relative to the status quo and the experiment has none (set a status quo, or give absolute thresholds)"
    );
  }
  const relative = config.outcomeConstraints.filter((c) => c.relative);
  if (relative.length > 0) {
    return (
      `outcome constraint${relative.length > 1 ? "s" : ""} ${relative.map((c) => c.toString()).join(", ")} ` +
      `${relative.length > 1 ? "are" : "is"} relative to the status quo and the experiment has none (set a ` +
      "status quo, or express the bound in the metric's own units)"
    );
  }
  return null;
}
