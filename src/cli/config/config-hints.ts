import { type ZodType, z } from "zod";

/** How a schema's value is described in messages, beyond zod's type names. */
export interface ConfigHint {
  /** What the value must be, e.g. "a non-empty array of strings". */
  readonly expected: string;
  /** A fix for a given wrong value, e.g. `write ["node", "evaluate.mjs"]`; undefined for none. */
  readonly fix?: (input: unknown) => string | undefined;
}

/**
 * Hints by schema instance. A registry of its own, not zod's global one, so hints never reach the
 * published JSON Schema.
 */
export const configHints = z.registry<ConfigHint>();

/**
 * Attaches a message hint to `schema` and returns the same instance. Apply it last (after `.meta()`,
 * which copies the schema), so the instance that validates is the one that carries the hint.
 */
export function hint<T extends ZodType>(schema: T, value: ConfigHint): T {
  configHints.add(schema, value);
  return schema;
}
