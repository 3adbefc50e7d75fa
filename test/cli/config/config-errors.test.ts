// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  loadExperimentConfig,
  type ParseExperimentConfigOptions,
  parseExperimentConfig,
} from "../../../src/cli/config/index.js";
import { ConfigError } from "../../../src/errors.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../../integration/postgres-fixture.js";
import { tempDir } from "../../support/temp-dir.js";
import { ISSUE_EXAMPLE, smallConfig, writeConfig } from "./config-fixtures.js";

/** Every problem of an invalid config as `path: message` lines. */
function problems(text: string, options: ParseExperimentConfigOptions = {}): string[] {
  try {
    parseExperimentConfig(text, { baseDir: tempDir(), env: {}, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) =>
      p.path === "" ? p.message : `${p.path}: ${p.message}`,
    );
  }
  throw new Error("the config was accepted");
}

const replaceRunner = (runner: string) => smallConfig().replace(/runner:[\s\S]*$/, runner);

describe("config errors: the documented messages", () => {
  it("names bounds out of order with both values", () => {
    const text = smallConfig().replace(
      "bounds: [1, 5], valueType: int }",
      "bounds: [1, 5], valueType: int }\n  - { name: z, type: range, bounds: [5, 1] }",
    );
    expect(problems(text)).toEqual([
      "parameters[2].bounds: lower (5) must be below upper (1); for a single value write type: fixed, value: 5",
    ]);
  });

  it("refuses an objective named like a parameter", () => {
    expect(problems(smallConfig().replace("loss:", "x:"))).toEqual([
      'objectives: "x" is also a parameter name; give the metric and the parameter different names',
    ]);
  });

  it("shows the array to write for a command given as one string", () => {
    expect(problems(replaceRunner('runner: { type: command, command: "node evaluate.mjs" }\n'))).toEqual([
      'runner.command: must be a non-empty array of strings (got a string; write ["node", "evaluate.mjs"])',
    ]);
  });

  it("suggests the nearest known key for an unknown one", () => {
    expect(problems(smallConfig("scheduler: { totalTrial: 30 }\n"))).toEqual([
      'scheduler.totalTrial: unknown key; did you mean "totalTrials"?',
    ]);
    expect(problems(smallConfig("parameterConstraint: []\n"))).toEqual([
      'parameterConstraint: unknown key; did you mean "parameterConstraints"?',
    ]);
    expect(problems(smallConfig("scheduler: { total_trials: 30 }\n"))).toEqual([
      'scheduler.total_trials: unknown key; did you mean "totalTrials"?',
    ]);
  });
});

describe("config errors: every problem at once", () => {
  it("reports problems of every section together, in file order, with lines", () => {
    const text = `name: many
parameters:
  - { name: a, type: range, bounds: [5, 1] }
  - { name: b, type: choice, values: [1, 1] }
  - { name: a, type: fixed, value: 3 }
objectives:
  m: { minimize: true }
outcomeConstraints: ["m <= 3", "mem < 4"]
runner:
  type: command
  command: ["node", "e.mjs", "{x"]
  timeoutSeconds: -60
scheduler: { totalTrial: 30, totalTrials: -3, maxParallelism: 0, toleratedTrialFailureRate: 1.5 }
generationStrategy: [{ generator: sobol }, { generator: botorch, numTrials: 0 }]
storage: mysql://db/x
`;
    let error: ConfigError | undefined;
    try {
      parseExperimentConfig(text, { baseDir: tempDir(), file: "many.yaml" });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => [p.path, p.line])).toEqual([
      ["parameters[0].bounds", 3],
      ["parameters[1].values", 4],
      ["parameters[2].name", 5],
      ["outcomeConstraints[0]", 8],
      ["outcomeConstraints[1]", 8],
      ["runner.command[2]", 11],
      ["runner.timeoutSeconds", 12],
      ["scheduler.totalTrial", 13],
      ["scheduler.totalTrials", 13],
      ["scheduler.maxParallelism", 13],
      ["scheduler.toleratedTrialFailureRate", 13],
      ["generationStrategy[0].numTrials", 14],
      ["generationStrategy[1].numTrials", 14],
      ["storage", 15],
    ]);
    expect(error?.path).toBe("many.yaml");
    expect(error?.message).toContain("The experiment config many.yaml has 14 problems:\n");
    expect(error?.message).toContain(
      "  scheduler.totalTrials: must be an integer >= 0 (got -3) (line 13, column",
    );
  });

  it("gives the line and column of a YAML syntax error", () => {
    const text = "name: x\nparameters: [\n  { name: a, type: range\n";
    const [problem] = (() => {
      try {
        parseExperimentConfig(text, { baseDir: tempDir() });
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    })();
    expect(problem?.message).toMatch(/^YAML syntax error: /);
    expect(problem?.line).toBeGreaterThan(1);
    expect(problem?.column).toBeGreaterThan(0);
  });

  it("refuses duplicate keys as syntax errors", () => {
    expect(problems(smallConfig("name: again\n"))[0]).toMatch(/^YAML syntax error: Map keys must be unique/);
  });

  it("reads a JSON syntax error as a JSON one", () => {
    const out = problems('{ "name": "x", }', { format: "json" });
    expect(out[0]).toMatch(/^JSON syntax error/);
  });

  it("refuses a value of the wrong type", () => {
    expect(problems(smallConfig().replace("name: small", "name: 5"))).toEqual([
      "name: must be a string (got a number)",
    ]);
  });

  it("refuses a file that is not a mapping", () => {
    expect(problems("- just\n- a list\n")).toEqual(["must be an object (got a list)"]);
  });
});

describe("config errors: types and values", () => {
  it.each([
    ["seed: 0.5", "seed: must be an integer (got 0.5)"],
    ["scheduler: { totalTrials: -1 }", "scheduler.totalTrials: must be an integer >= 0 (got -1)"],
    ["scheduler: { totalTrials: ten }", "scheduler.totalTrials: must be an integer (got a string)"],
    [
      "scheduler: { runTrialsInBatches: yes }",
      "scheduler.runTrialsInBatches: must be true or false (got a string)",
    ],
    ["scheduler: { trialType: batch }", 'scheduler.trialType: must be "Trial" or "BatchTrial" (got "batch")'],
    ["scheduler: { loggingLevel: LOUD }", "scheduler.loggingLevel: must be"],
    [
      "scheduler: { leaseTtlSeconds: 0 }",
      "scheduler.leaseTtlSeconds: must be a finite number of seconds > 0 (got 0)",
    ],
    [
      "scheduler: { batchSize: 3 }",
      'scheduler.batchSize: batchSize 3 needs trialType "BatchTrial"; a Trial holds exactly one arm',
    ],
    [
      "scheduler: { earlyStoppingStrategy: x }",
      "scheduler.earlyStoppingStrategy: unknown key; write earlyStopping: { type: percentile, ... } at the top level",
    ],
    ["scheduler: { idleCallback: x }", "scheduler.idleCallback: unknown key; callbacks need the library API"],
    ["storage: mysql://db/x", 'storage: unsupported database URL scheme "mysql:"; use one of:'],
    ["storage: 'sqlite:'", 'storage: the SQLite URL "sqlite:" has no path'],
    ["generationStrategy: smart", 'generationStrategy: must be "default" or a list of steps such as'],
    [
      "generationStrategy: [{ generator: Sobol, numTrials: 3 }]",
      'generationStrategy[0].generator: must be "sobol", "uniform" or "botorch" (got "Sobol"); did you mean "sobol"?',
    ],
    [
      "generationStrategy: [{ generator: sobol, numTrials: 3, minTrialsObserved: 5 }]",
      "generationStrategy[0].minTrialsObserved: minTrialsObserved (5) cannot exceed numTrials (3)",
    ],
    [
      "generationStrategy: [{ generator: sobol, numTrials: 3 }, { generator: botorch, generatorKwargs: { numStarts: 0 } }]",
      "generationStrategy[1]: invalid BoTorch generator option numStarts=0: accepted are numRawSamples, numStarts, maxIterations (positive integers)",
    ],
    [
      "generationStrategy: [{ generator: sobol, numTrials: 3, generatorKwargs: { scrambled: true } }]",
      "generationStrategy[0]: invalid Sobol generator option scrambled=true: accepted are scramble (boolean) and maxDrawsPerArm",
    ],
    [
      "outcomeConstraints: [loss <= 3]",
      'outcomeConstraints[0]: outcome constraint loss <= 3 is on objective metric "loss"; constrain a different metric',
    ],
    ["outcomeConstraints: [x <= 3]", 'outcomeConstraints[0]: "x" is a parameter, not a metric'],
    [
      "outcomeConstraints: [mem == 3]",
      'outcomeConstraints[0]: cannot parse outcome constraint "mem == 3": only <= and >= are supported',
    ],
    [
      "trackingMetrics: [loss]",
      'trackingMetrics[0]: tracking metric "loss" is already an objective or outcome-constraint metric',
    ],
    [
      "trackingMetrics: [t, t]",
      'trackingMetrics[1]: tracking metric "t" is listed twice in trackingMetricNames',
    ],
    ["trackingMetrics: [y]", 'trackingMetrics[0]: "y" is also a parameter name'],
    [
      "trackingMetrics: [a]\ntrackingMetricNames: [a]",
      "trackingMetricNames: give trackingMetrics or trackingMetricNames (the same list), not both",
    ],
    [
      "parameterConstraints: [x + z <= 1]",
      'parameterConstraints[0]: parameter constraint x + z <= 1 names unknown parameter "z"',
    ],
    [
      "parameterConstraints: [x <= yy]",
      'parameterConstraints[0]: parameter constraint x <= yy names unknown parameter "yy"; did you mean "y"? (parameters: x, y)',
    ],
    [
      "parameterConstraints: [x * 2 <= 1]",
      'parameterConstraints[0]: cannot parse "x * 2 <= 1": expected "+" or "-"',
    ],
    [
      "statusQuo: { x: 0.5, w: 1 }",
      'statusQuo: statusQuo names parameter "w", which the search space does not have',
    ],
  ])("%s", (extra, expected) => {
    const out = problems(smallConfig(`${extra}\n`));
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(expected);
  });

  it.each([
    [
      "{ name: z, type: ranged, bounds: [0, 1] }",
      'parameters[2].type: must be "range", "choice" or "fixed" (got "ranged"); did you mean "range"?',
    ],
    ["{ name: z, bounds: [0, 1] }", 'parameters[2].type: is required: add it ("range", "choice" or "fixed")'],
    ["{ name: z, type: range, bounds: [0] }", "parameters[2].bounds: must be two numbers [lower, upper]"],
    [
      "{ name: z, type: range, bounds: [0, 1], lower: 0 }",
      "parameters[2].lower: unknown key; write bounds: [lower, upper]",
    ],
    [
      "{ name: z, type: range, bounds: [0, 1], value_type: int }",
      'parameters[2].value_type: unknown key; did you mean "valueType"?',
    ],
    [
      "{ name: z, type: range, bounds: [0, 10], logScale: true }",
      "parameters[2].logScale: has logScale but lower = 0; log scale needs lower > 0",
    ],
    [
      "{ name: z, type: range, bounds: [0.5, 10], valueType: int }",
      "parameters[2].bounds: is INT but its bounds [0.5, 10] are not integers",
    ],
    [
      "{ name: z, type: range, bounds: [0, 1], valueType: string }",
      'parameters[2].valueType: must be "float" or "int" (got "string")',
    ],
    ["{ name: z, type: choice, values: [] }", "parameters[2].values: needs a non-empty list of values"],
    [
      "{ name: z, type: choice, values: [a, {b: 1}] }",
      "parameters[2].values[1]: must be a string, a number or true/false (got an object)",
    ],
    [
      "{ name: z, type: fixed }",
      "parameters[2].value: is required: add it (a string, a number or true/false)",
    ],
    [
      "{ name: x, type: fixed, value: 1 }",
      'parameters[2].name: "x" is also the name of parameters[0]; parameter names must be unique',
    ],
    [
      "{ name: constructor, type: fixed, value: 1 }",
      'parameters[2].name: the parameter name "constructor" is reserved',
    ],
  ])("parameter %s", (parameter, expected) => {
    const text = smallConfig().replace("valueType: int }", `valueType: int }\n  - ${parameter}`);
    const out = problems(text);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(expected);
  });

  it("refuses missing and empty required sections", () => {
    expect(problems("name: x\n")).toEqual([
      "parameters: is required: add it (a list of parameters such as [{ name: x, type: range, bounds: [0, 1] }])",
      "objectives: is required: add it (an object of metric names such as { loss: { minimize: true } })",
      'runner: is required: add it (an object such as { type: command, command: ["node", "evaluate.mjs", "{x}"] })',
    ]);
    const empty = smallConfig()
      .replace("  loss: { minimize: true }\n", "")
      .replace("objectives:", "objectives: {}");
    expect(problems(empty)).toEqual([
      "objectives: must name at least one metric, e.g. objectives: { loss: { minimize: true } }",
    ]);
  });

  it("checks objectives with the library's rules", () => {
    expect(problems(smallConfig().replace("loss: { minimize: true }", "loss: { maximize: true }"))).toEqual([
      "objectives.loss.minimize: is required: add it (true or false)",
      "objectives.loss.maximize: unknown key; write minimize: false",
    ]);
    expect(
      problems(smallConfig().replace("loss: { minimize: true }", "loss: { minimize: true, threshold: 3 }")),
    ).toEqual([
      'objectives.loss.threshold: objective "loss" has a threshold, but thresholds apply only to multi-objective experiments. Remove it (with one objective, the best value is simply the best)',
    ]);
  });
});

describe("config errors: runners", () => {
  it("refuses an unknown runner type with the nearest one", () => {
    expect(problems(replaceRunner("runner: { type: comand, command: [a] }\n"))).toEqual([
      'runner.type: must be "command", "function" or "queue" (got "comand"); did you mean "command"?',
    ]);
  });

  it("names a placeholder that is no parameter, with the nearest parameter", () => {
    expect(
      problems(replaceRunner('runner: { type: command, command: ["node", "e.mjs", "--x={xx}", "{y}"] }\n')),
    ).toEqual([
      "runner.command[2]: placeholder {xx} names no parameter; did you mean {x}? (parameters: x, y; write {{ and }} for literal braces)",
    ]);
  });

  it("refuses an empty command, a bad element and bad options together", () => {
    expect(problems(replaceRunner("runner: { type: command, command: [] }\n"))).toEqual([
      'runner.command: must be a non-empty array of strings (got an empty list; e.g. ["node", "evaluate.mjs", "{x}"])',
    ]);
    const dir = tempDir();
    const text = replaceRunner(
      'runner: { type: command, command: ["node", 3], killGraceSeconds: -1, cwd: nowhere }\n',
    );
    expect(problems(text, { baseDir: dir })).toEqual([
      "runner.command[1]: must be a string (got a number)",
      "runner.killGraceSeconds: must be a non-negative number of seconds (got -1)",
      `runner.cwd: no such directory: ${dir}/nowhere (relative paths start at the config file's folder)`,
    ]);
  });

  it("names keys of another runner type", () => {
    expect(problems(replaceRunner("runner: { type: command, command: [a], module: x.mjs }\n"))[0]).toMatch(
      /^runner\.module: unknown key; known keys here: type, command, cwd/,
    );
  });

  it("needs an existing module for a function runner", () => {
    expect(problems(replaceRunner("runner: { type: function, module: ./missing.mjs }\n"))[0]).toMatch(
      /^runner\.module: no such file: .*missing\.mjs \(paths are relative to the config file\)$/,
    );
  });

  it("checks queue options with the queue runner's own rules", () => {
    expect(problems(replaceRunner("runner: { type: queue, queueName: 'a:b' }\n"))[0]).toContain(
      'runner.queueName: the queue name must be a non-empty string without ":"',
    );
    expect(problems(replaceRunner("runner: { type: queue, queueName: q, attempts: 0 }\n"))).toEqual([
      "runner.attempts: must be an integer ≥ 1 (got 0)",
    ]);
    expect(problems(replaceRunner("runner: { type: queue, queueName: q, redis: http://x }\n"))[0]).toContain(
      'runner.redis: the Redis url has scheme "http:"',
    );
    expect(problems(replaceRunner("runner: { type: queue, queue: q }\n"))).toEqual([
      "runner.queueName: is required: add it (a string)",
      "runner.queue: unknown key; write queueName: <the queue workers serve>",
    ]);
  });
});

describe("config errors: environment variables", () => {
  it("names every missing variable with its path", () => {
    const text = smallConfig('  env: { TOKEN: "${API_TOKEN}" }\nstorage: "postgres://u:${PGPASS}@db/x"\n');
    expect(problems(text)).toEqual([
      "runner.env.TOKEN: environment variable API_TOKEN is not set; set it (export API_TOKEN=...) or write the value in the file",
      "storage: environment variable PGPASS is not set; set it (export PGPASS=...) or write the value in the file",
    ]);
  });

  it("refuses a malformed reference", () => {
    expect(problems(smallConfig('storage: "sqlite:${not a name}.db"\n'))[0]).toContain(
      'storage: "${not a name}" is not a variable reference',
    );
  });
});

describe("config errors: nothing is created for an invalid file", () => {
  it("writes no database, trial directory or log file", async () => {
    const dir = tempDir();
    const text = ISSUE_EXAMPLE.replace("bounds: [1, 64]", "bounds: [64, 1]").replace(
      "ttlSecondsForTrials: 600",
      "ttlSecondsForTrials: 600, logFilepath: logs/run.log",
    );
    const file = writeConfig(dir, text);
    await expect(loadExperimentConfig(file)).rejects.toBeInstanceOf(ConfigError);
    expect(readdirSync(dir)).toEqual(["experiment.yaml"]);
  });

  it("reports a missing file as a config error", async () => {
    await expect(loadExperimentConfig("/nonexistent/experiment.yaml")).rejects.toMatchObject({
      name: "ConfigError",
      path: "/nonexistent/experiment.yaml",
      problems: [{ path: "", message: "cannot read the config file: no such file" }],
    });
  });
});

describe("config errors: storage", () => {
  it("needs the folder of a SQLite file to exist", () => {
    const dir = tempDir();
    expect(problems(smallConfig("storage: sqlite:./missing/exp.db\n"), { baseDir: dir })).toEqual([
      `storage: no such folder ${dir}/missing for the SQLite file; create it, or store elsewhere (relative paths start at the config file's folder)`,
    ]);
  });

  it("creates no schema in PostgreSQL for an invalid file", async () => {
    const schema = randomSchema();
    const text = smallConfig(`storage: "${POSTGRES_URL}?schema=${schema}"\nseed: 1.5\n`);
    expect(problems(text)).toEqual(["seed: must be an integer (got 1.5)"]);
    const found = await adminQuery("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [
      schema,
    ]);
    expect(found.rowCount).toBe(0);
  });
});
