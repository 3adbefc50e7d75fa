import { GenerationStrategyError } from "../errors.js";
import { boTorchGeneratorSpec } from "./bo-generator.js";
import type { GeneratorSpec } from "./generator.js";
import { sobolGeneratorSpec } from "./sobol-generator.js";
import { uniformGeneratorSpec } from "./uniform-generator.js";

/**
 * The built-in generators, as specs for `GenerationStep` (Ax's `Models.SOBOL`, ...).
 * @example new GenerationStep({ generator: Generators.SOBOL, numTrials: 5 })
 */
export const Generators = {
  /** Scrambled Sobol quasi-random points. */
  SOBOL: sobolGeneratorSpec,
  /** Independent uniform random points. */
  UNIFORM: uniformGeneratorSpec,
  /** Bayesian optimization: a GP per metric with LogEI (noiseless) or qLogNEI (noisy). */
  BOTORCH: boTorchGeneratorSpec,
} as const satisfies Record<string, GeneratorSpec>;

// Explicit, not filled by import side effects of user modules: users call registerGenerator themselves.
const registry = new Map<string, GeneratorSpec>(Object.values(Generators).map((spec) => [spec.name, spec]));
const builtInNames = new Set(registry.keys());

/**
 * Makes a user-written generator known by name, so that a stored generation strategy using it can be
 * restored (`GenerationStrategy.fromState`). Registering the same spec again is a no-op.
 * @throws GenerationStrategyError when the name is empty, belongs to a built-in generator, or is already
 * registered for another spec (unregister it first).
 * @example registerGenerator({ name: "MyGrid", create: (o) => new MyGridGenerator(o) });
 */
export function registerGenerator(spec: GeneratorSpec): void {
  if (typeof spec?.name !== "string" || spec.name.trim() === "" || typeof spec.create !== "function") {
    throw new GenerationStrategyError(
      "registerGenerator needs a spec with a non-empty name and a create(options) function.",
    );
  }
  const existing = registry.get(spec.name);
  if (existing === spec) return;
  if (builtInNames.has(spec.name)) {
    throw new GenerationStrategyError(
      `Generator name "${spec.name}" belongs to a built-in generator; choose another name.`,
    );
  }
  if (existing) {
    throw new GenerationStrategyError(
      `A different generator is already registered as "${spec.name}"; call unregisterGenerator("${spec.name}") first to replace it.`,
    );
  }
  registry.set(spec.name, spec);
}

/**
 * Removes a user-registered generator (built-in ones stay).
 * @returns whether a generator was removed.
 */
export function unregisterGenerator(name: string): boolean {
  if (builtInNames.has(name)) return false;
  return registry.delete(name);
}

/**
 * The spec registered under `name`.
 * @throws GenerationStrategyError naming the generator and how to register it when it is unknown.
 */
export function getGeneratorSpec(name: string): GeneratorSpec {
  const spec = registry.get(name);
  if (!spec) {
    throw new GenerationStrategyError(
      `Unknown generator "${name}" (registered: ${registeredGeneratorNames().join(", ")}). If it is a ` +
        `user-written generator, register it before restoring: registerGenerator({ name: "${name}", ` +
        "create: (options) => new MyGenerator(options) }).",
    );
  }
  return spec;
}

/** Names of every registered generator, built-in ones first. */
export function registeredGeneratorNames(): string[] {
  return [...registry.keys()];
}
