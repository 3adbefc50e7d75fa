import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseExperimentConfig } from "../../../src/cli/config/index.js";
import { ConfigError } from "../../../src/errors.js";

const valid = {
  name: "robust",
  parameters: [
    { name: "x", type: "range", bounds: [0, 1] },
    { name: "c", type: "choice", values: ["a", "b"] },
  ],
  parameterConstraints: ["x <= 0.9"],
  objectives: { loss: { minimize: true } },
  outcomeConstraints: ["mem <= 5"],
  runner: { type: "command", command: ["node", "e.mjs", "{x}"], timeoutSeconds: 10 },
  scheduler: { totalTrials: 10, maxParallelism: 2 },
  generationStrategy: [{ generator: "sobol", numTrials: 3 }, { generator: "botorch" }],
  storage: "sqlite::memory:",
  seed: 0,
};

/** Paths of every value in `valid`, so that any one of them can be replaced. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function replaced(base: object, path: (string | number)[], next: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  if (path.length === 0) return next;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = next;
  return copy;
}

const runners = {
  command: valid.runner,
  function: { type: "function", module: "e.mjs", export: "run", stopGraceSeconds: 1 },
  queue: { type: "queue", queueName: "q", redis: "redis://127.0.0.1:6379", attempts: 2 },
};

describe("config validation never fails other than with a ConfigError", () => {
  it.each(Object.entries(runners))(
    "for any value at any path of a valid config (%s runner)",
    (_type, runner) => {
      const base = { ...valid, runner };
      const paths = pathsOf(base);
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, next) => {
          const text = stringify(replaced(base, path, next));
          try {
            parseExperimentConfig(text, { env: {} });
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            for (const problem of (error as ConfigError).problems) {
              expect(problem.message).not.toMatch(/Invalid input|expected .*, received/);
            }
          }
        }),
        { numRuns: 150 },
      );
    },
  );
});
