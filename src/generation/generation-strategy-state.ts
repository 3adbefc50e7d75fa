import type { JsonValue } from "../core/json.js";
import { GenerationStrategyError } from "../errors.js";
import { GenerationStep, type GenerationStepState, parseGenerationStepState } from "./generation-step.js";
import { getGeneratorSpec } from "./generators.js";

/*
 * The stored form of a GenerationStrategy: its JSON shape, the check of a stored state, and the rebuild
 * of a stored step. Kept apart from the strategy's logic of moving between steps.
 */

/** Stored form of a strategy; plain JSON. */
export type GenerationStrategyState = {
  name: string;
  seed: number;
  currentStepIndex: number;
  steps: GenerationStepState[];
  /** Why the steps were chosen; absent when not recorded (states stored before it was, hand-built strategies). */
  reason?: string;
};

/**
 * A stored strategy state checked field by field.
 * @throws GenerationStrategyError naming the field that is wrong.
 */
export function parseStrategyState(state: JsonValue): GenerationStrategyState {
  const fail = (why: string): never => {
    throw new GenerationStrategyError(`Invalid stored generation strategy: ${why}.`);
  };
  if (typeof state !== "object" || state === null || Array.isArray(state)) return fail("not an object");
  const { name, seed, currentStepIndex, steps, reason } = state;
  if (typeof name !== "string") return fail("name is not a string");
  if (typeof seed !== "number" || !Number.isInteger(seed)) return fail("seed is not an integer");
  if (!Array.isArray(steps) || steps.length === 0) return fail("steps is not a non-empty array");
  if (typeof currentStepIndex !== "number" || !Number.isInteger(currentStepIndex)) {
    return fail("currentStepIndex is not an integer");
  }
  if (currentStepIndex < 0 || currentStepIndex >= steps.length) {
    return fail(`currentStepIndex ${currentStepIndex} is outside the ${steps.length} steps`);
  }
  if (reason !== undefined && typeof reason !== "string") return fail("reason is not a string");
  return {
    name,
    seed,
    currentStepIndex,
    steps: steps.map((s, i) => parseGenerationStepState(s, i)),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A stored step with its generator spec looked up in the registry. */
export function restoreStep(state: GenerationStepState, index: number, strategyName: string): GenerationStep {
  const { generator, generatorState: _state, ...options } = state;
  try {
    return new GenerationStep({ ...options, generator: getGeneratorSpec(generator) });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new GenerationStrategyError(
      `Cannot restore generation strategy '${strategyName}', step ${index}: ${why}`,
      {
        cause: e,
      },
    );
  }
}
