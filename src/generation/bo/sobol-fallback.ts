import { GeneratorRun } from "../../core/generator-run.js";
import type { JsonValue } from "../../core/json.js";
import type { SearchSpace } from "../../core/search-space.js";
import { ModelFittingError, NumericalError } from "../../errors.js";
import type { GenerateArgs } from "../generator.js";
import { SobolGenerator } from "../sobol-generator.js";

/**
 * Whether a model-based generation step failed in a way that one step of space-filling points gets
 * around: the models could not be fitted, or their numerics broke down. Such a failure depends on the
 * data of this step, so the next step (with more data) tries the model again.
 */
export function isModelFailure(error: unknown): error is ModelFittingError | NumericalError {
  return error instanceof ModelFittingError || error instanceof NumericalError;
}

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
