import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CONFIG_SCHEMA_FILE,
  experimentConfigJsonSchema,
  experimentConfigJsonSchemaText,
} from "../../../src/cli/config/index.js";

describe("the published JSON Schema of config files", () => {
  it("is the committed file, generated from the zod schema (run scripts/write-config-schema.ts)", () => {
    expect(readFileSync(CONFIG_SCHEMA_FILE, "utf8")).toBe(experimentConfigJsonSchemaText());
  });

  it("is published in the package", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { files: string[] };
    expect(pkg.files).toContain("schema");
  });

  it("lists every top-level key, refuses others, and requires name, parameters, objectives, runner", () => {
    const schema = experimentConfigJsonSchema() as {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual([
      "$schema",
      "name",
      "description",
      "isTest",
      "parameters",
      "parameterConstraints",
      "objectives",
      "outcomeConstraints",
      "trackingMetrics",
      "trackingMetricNames",
      "statusQuo",
      "runner",
      "scheduler",
      "globalStopping",
      "generationStrategy",
      "earlyStopping",
      "storage",
      "seed",
    ]);
    expect(schema.required).toEqual(["name", "parameters", "objectives", "runner"]);
    expect(schema.additionalProperties).toBe(false);
  });

  it("offers the runner types and the scheduler keys for completion", () => {
    const text = experimentConfigJsonSchemaText();
    for (const key of ['"const": "command"', '"const": "function"', '"const": "queue"', '"totalTrials"']) {
      expect(text).toContain(key);
    }
    for (const type of ['"percentile"', '"threshold"', '"curve-prediction"', '"and"', '"or"']) {
      expect(text).toContain(type);
    }
  });
});
