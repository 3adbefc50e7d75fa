import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { experimentConfigJsonSchema, parseExperimentConfig } from "../../../src/cli/config/index.js";
import { tempDir } from "../../support/temp-dir.js";
import { ISSUE_EXAMPLE } from "./config-fixtures.js";

const doc = readFileSync("docs/config.md", "utf8");

/** Property names of every object in a JSON Schema, at any depth. */
function keysOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keysOf(item, out);
  else if (schema !== null && typeof schema === "object") {
    const record = schema as Record<string, unknown>;
    const properties = record.properties as Record<string, unknown> | undefined;
    for (const key of Object.keys(properties ?? {})) out.add(key);
    for (const value of Object.values(record)) keysOf(value, out);
  }
  return out;
}

describe("docs/config.md", () => {
  it("opens with the example, which loads as written", () => {
    const first = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(first).toBe(ISSUE_EXAMPLE);
    expect(parseExperimentConfig(first!, { baseDir: tempDir() }).name).toBe("cache_tuning");
  });

  it("documents every key of the schema", () => {
    const missing = [...keysOf(experimentConfigJsonSchema())].filter((key) => !doc.includes(`\`${key}`));
    expect(missing).toEqual([]);
  });
});
