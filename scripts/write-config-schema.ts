/**
 * Writes the JSON Schema of experiment config files to schema/ascent-config.schema.json, generated from
 * the zod schema that validates them. Run after changing src/cli/config/config-schema.ts:
 * `npx tsx scripts/write-config-schema.ts` (a test fails while the committed file is stale).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONFIG_SCHEMA_FILE, experimentConfigJsonSchemaText } from "../src/cli/config/json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, CONFIG_SCHEMA_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, experimentConfigJsonSchemaText());
console.log(`wrote ${CONFIG_SCHEMA_FILE}`);
