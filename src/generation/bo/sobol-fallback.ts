import { GeneratorRun } from "../../core/generator-run.js";
import type { JsonValue } from "../../core/json.js";
import type { SearchSpace } from "../../core/search-space.js";
import type { ModelFittingError, NumericalError } from "../../errors.js";
import type { GenerateArgs } from "../generator.js";
import { SobolGenerator } from "../sobol-generator.js";

/**
 * The arms of one generation step from scrambled Sobol points instead of the model, seeded for this
 * step: the run is named "Sobol" (what produced the arms) and its metadata says which generator fell
 * back and why (`fallbackFrom`, `fallbackReason`), so the trial table and logs show it.
 */
export async function sobolFallbackRun(
  args: GenerateArgs,
  searchSpace: SearchSpace,
  seed: number,
  fallback: { from: string; reason: ModelFittingError | NumericalError; metadata: Record<string, JsonValue> },
): Promise<GeneratorRun> {
  const run = await new SobolGenerator({ searchSpace, seed }).gen(args);
  return new GeneratorRun({
    arms: run.arms,
    generatorName: run.generatorName,
    candidateMetadata: run.candidateMetadata,
    metadata: {
      ...run.metadata,
      ...fallback.metadata,
      fallbackFrom: fallback.from,
      fallbackReason: `${fallback.reason.name}: ${fallback.reason.message}`,
    },
    timeCreated: run.timeCreated,
  });
}
