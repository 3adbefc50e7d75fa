import { z } from "zod";
import { experimentConfigSchema } from "./config-schema.js";

/** Where the JSON Schema of experiment configs is published inside the package. */
export const CONFIG_SCHEMA_FILE = "schema/ascent-config.schema.json";

/**
 * The JSON Schema (draft 2020-12) of experiment config files, generated from the same zod schema that
 * validates them, for editors to complete and check configs (`# yaml-language-server: $schema=...`).
 * It describes shapes and types; the library's value checks (bounds in order and so on) run in
 * `ascent run` only.
 * @example writeFileSync("schema.json", `${JSON.stringify(experimentConfigJsonSchema(), null, 2)}\n`)
 */
export function experimentConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(experimentConfigSchema, { target: "draft-2020-12", unrepresentable: "any" });
}

/** The JSON Schema as the published file holds it: two-space indented, with a final newline. */
export function experimentConfigJsonSchemaText(): string {
  return `${JSON.stringify(experimentConfigJsonSchema(), null, 2)}\n`;
}
