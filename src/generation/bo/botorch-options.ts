import { isJsonObject, type JsonValue } from "../../core/json.js";
import { GenerationStrategyError } from "../../errors.js";
import type { GpHyperparameters } from "../../numerics/gp/index.js";

/** The name under which the BoTorch generator is registered (and stored in strategy states). */
export const BOTORCH_GENERATOR_NAME = "BoTorch";

/** Options of the BoTorch generator, also accepted as `GenerationStep.generatorKwargs`. */
export interface BoTorchGeneratorOptions {
  /** Scrambled Sobol points on which the acquisition is evaluated to pick starts (default 512). */
  numRawSamples?: number;
  /** Local optimizations of the acquisition, from the best raw samples (default 8). */
  numStarts?: number;
  /** L-BFGS-B iterations per start (default 100). */
  maxIterations?: number;
  /**
   * Clip observations no model can use before fitting (default true; see `winsorizeDataset`): values
   * beyond 1,000 interquartile ranges on a metric's bad side, magnitudes above 1e150. Ordinary data are
   * never changed by it. With false the models see the raw data, and a step whose models cannot be
   * fitted falls back to Sobol.
   */
  winsorize?: boolean;
}

/** The options with their defaults filled in. */
export const DEFAULT_BOTORCH_OPTIONS: Required<BoTorchGeneratorOptions> = {
  numRawSamples: 512,
  numStarts: 8,
  maxIterations: 100,
  winsorize: true,
};

/** Serialized state of the BoTorch generator. */
export interface BoTorchGeneratorState {
  seed: number;
  /** Number of `gen` calls so far; seeds of a call derive from it. */
  numGenerated: number;
  /** Hyperparameters of each metric's last GP (warm start of the next fit). */
  hyperparameters: Record<string, GpHyperparameters>;
}

const COUNT_KEYS = ["numRawSamples", "numStarts", "maxIterations"] as const;

/**
 * Generator kwargs, checked.
 * @throws GenerationStrategyError for an unknown key, a count that is not a positive integer, or a
 * `winsorize` that is not a boolean.
 */
export function parseBoTorchOptions(options: Readonly<Record<string, JsonValue>>): BoTorchGeneratorOptions {
  const out: BoTorchGeneratorOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === "winsorize" && typeof value === "boolean") {
      out.winsorize = value;
      continue;
    }
    const known = (COUNT_KEYS as readonly string[]).includes(key);
    if (!known || typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new GenerationStrategyError(
        `Invalid BoTorch generator option ${key}=${JSON.stringify(value)}: accepted are ${COUNT_KEYS.join(", ")} ` +
          "(positive integers) and winsorize (boolean).",
      );
    }
    out[key as (typeof COUNT_KEYS)[number]] = value;
  }
  return out;
}

/**
 * A saved generator state, checked; malformed hyperparameters of a metric are dropped (its next fit
 * then starts cold).
 * @throws GenerationStrategyError when the state is not `{ seed, numGenerated, hyperparameters }`.
 */
export function parseBoTorchState(state: JsonValue): BoTorchGeneratorState {
  if (
    isJsonObject(state) &&
    typeof state.seed === "number" &&
    typeof state.numGenerated === "number" &&
    Number.isInteger(state.numGenerated) &&
    state.numGenerated >= 0 &&
    isJsonObject(state.hyperparameters)
  ) {
    const hyperparameters: Record<string, GpHyperparameters> = {};
    for (const [name, h] of Object.entries(state.hyperparameters)) {
      const parsed = parseHyperparameters(h);
      if (parsed) hyperparameters[name] = parsed;
    }
    return { seed: state.seed, numGenerated: state.numGenerated, hyperparameters };
  }
  throw new GenerationStrategyError(
    `Invalid BoTorch generator state ${JSON.stringify(state)}: expected { seed, numGenerated, hyperparameters }.`,
  );
}

/** The state's JSON form. */
export function serializeBoTorchState(
  seed: number,
  numGenerated: number,
  hyperparameters: ReadonlyMap<string, GpHyperparameters>,
): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [name, h] of hyperparameters) {
    out[name] = {
      lengthscales: [...h.lengthscales],
      outputscale: h.outputscale,
      constantMean: h.constantMean,
      noiseVariance: h.noiseVariance,
    };
  }
  return { seed, numGenerated, hyperparameters: out };
}

/** Hyperparameters from JSON, or null when malformed (the next fit then starts cold). */
function parseHyperparameters(h: JsonValue | undefined): GpHyperparameters | null {
  if (!isJsonObject(h) || !Array.isArray(h.lengthscales)) return null;
  const lengthscales = h.lengthscales.filter((v): v is number => typeof v === "number");
  const { outputscale, constantMean, noiseVariance } = h;
  if (
    lengthscales.length !== h.lengthscales.length ||
    typeof outputscale !== "number" ||
    typeof constantMean !== "number" ||
    (noiseVariance !== null && typeof noiseVariance !== "number")
  ) {
    return null;
  }
  return { lengthscales, outputscale, constantMean, noiseVariance };
}

/** A 32-bit seed from the generator seed, the call number and a purpose. */
export function mixSeed(seed: number, call: number, salt: number): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (call + 0x632be59b), 0xc2b2ae35);
  h = Math.imul(h ^ (salt + 0x27d4eb2f), 0x165667b1);
  return (h ^ (h >>> 15)) >>> 0;
}
