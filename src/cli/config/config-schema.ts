/**
 * The schema of an experiment config file, in zod: the shape and types of every key. The rules about
 * values (bounds in order, rates in [0, 1), constraints that parse) are the library's own, run after
 * this schema (see `check-experiment.ts`), so a file and `Client.createExperiment` accept the same things.
 * The published JSON Schema is generated from this one (`json-schema.ts`).
 */
import { z } from "zod";
import { hint } from "./config-hints.js";

const scalar = hint(z.union([z.string(), z.number(), z.boolean()]), {
  expected: "a string, a number or true/false",
});
const valueType = z.enum(["float", "int", "string", "bool"]);
const stringList = (description: string, example: string) =>
  hint(z.array(z.string()).meta({ description, examples: [[example]] }), {
    expected: `a list of strings such as ["${example}"]`,
  });

const rangeParameter = z.strictObject({
  name: z.string().min(1).meta({ description: "Parameter name, as the runner receives it." }),
  type: z.literal("range"),
  bounds: hint(
    z
      .tuple([z.number(), z.number()])
      .meta({ description: "[lower, upper], lower below upper.", examples: [[1, 64]] }),
    { expected: "two numbers [lower, upper]" },
  ),
  valueType: z.enum(["float", "int"]).optional().meta({ description: '"float" (default) or "int".' }),
  logScale: z.boolean().optional().meta({ description: "Search in log space (needs lower > 0)." }),
  digits: z.int().optional().meta({ description: "Round float values to this many decimal digits." }),
});

const choiceParameter = z.strictObject({
  name: z.string().min(1).meta({ description: "Parameter name, as the runner receives it." }),
  type: z.literal("choice"),
  values: z.array(scalar).meta({ description: "The values to choose from.", examples: [["lru", "lfu"]] }),
  isOrdered: z
    .boolean()
    .optional()
    .meta({ description: "Whether the values have an order; default true for numbers, false otherwise." }),
  valueType: valueType.optional().meta({ description: "Defaults to the type of the values." }),
});

const fixedParameter = z.strictObject({
  name: z.string().min(1).meta({ description: "Parameter name, as the runner receives it." }),
  type: z.literal("fixed"),
  value: scalar,
  valueType: valueType.optional().meta({ description: "Defaults to the type of the value." }),
});

const parameter = z
  .discriminatedUnion("type", [rangeParameter, choiceParameter, fixedParameter])
  .meta({ description: "One parameter, as in Client.createExperiment." });

const objective = z.strictObject({
  minimize: z.boolean().meta({ description: "true to minimize the metric, false to maximize it." }),
  threshold: z.number().optional().meta({
    description: "Multi-objective only: the worst acceptable value (reference point of the Pareto frontier).",
  }),
});

/** The command a user wrote as one string, split into the array to write instead. */
function commandFix(input: unknown): string {
  if (typeof input !== "string" || input.trim() === "") return 'e.g. ["node", "evaluate.mjs", "{x}"]';
  return `write ${JSON.stringify(input.trim().split(/\s+/)).replaceAll('","', '", "')}`;
}

const seconds = (description: string) => z.number().meta({ description });
const nullableSeconds = (description: string) => z.number().nullable().meta({ description });

const commandRunner = z.strictObject({
  type: z.literal("command"),
  command: hint(
    z
      .array(z.string())
      .min(1)
      .meta({
        description: "Program and arguments (no shell); {name} is replaced by the value of parameter name.",
        examples: [["node", "evaluate.mjs", "--threads", "{threads}"]],
      }),
    { expected: "a non-empty array of strings", fix: commandFix },
  ),
  cwd: z.string().optional().meta({ description: "Working directory; the config file's folder by default." }),
  env: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: "Variables added to the environment." }),
  timeoutSeconds: nullableSeconds("Seconds a trial may run before it is killed and FAILED.").optional(),
  killGraceSeconds: seconds("Seconds between SIGTERM and SIGKILL (default 5).").optional(),
  workDir: z
    .string()
    .optional()
    .meta({ description: "Root of the trial directories; ./ascent-trials next to the config by default." }),
});

const functionRunner = z.strictObject({
  type: z.literal("function"),
  module: z.string().min(1).meta({ description: "JavaScript module, relative to the config file." }),
  export: z.string().min(1).optional().meta({
    description:
      'Exported function; "evaluate", else the default export, by default (as ascent worker --module).',
  }),
  stopGraceSeconds: seconds("Seconds a stopped function is waited for (default 1).").optional(),
});

const queueRunner = z.strictObject({
  type: z.literal("queue"),
  redis: z
    .string()
    .optional()
    .meta({ description: "redis://host:port (default: $ASCENT_REDIS_URL, else redis://127.0.0.1:6379)." }),
  queueName: z.string().meta({ description: "The BullMQ queue the workers serve (ascent worker --queue)." }),
  attempts: z.int().optional().meta({ description: "Evaluations a trial gets before it FAILs (default 1)." }),
  backoffSeconds: seconds(
    "Wait before the first retry, doubled for each further one (default 5).",
  ).optional(),
  jobTimeoutSeconds: nullableSeconds("Seconds an evaluation may run (default: no limit).").optional(),
  trialLeaseSeconds: seconds("Seconds trials stay alive without the runner renewing them (900).").optional(),
  keepJobsSeconds: seconds("Seconds finished jobs are kept in Redis (7 days).").optional(),
  prefix: z.string().optional().meta({ description: 'BullMQ key prefix (default "bull").' }),
});

const runner = hint(
  z
    .discriminatedUnion("type", [commandRunner, functionRunner, queueRunner])
    .meta({ description: "How trials are run: a command, a function in a module, or a queue of workers." }),
  { expected: 'an object such as { type: command, command: ["node", "evaluate.mjs", "{x}"] }' },
);

const scheduler = z
  .strictObject({
    totalTrials: z.int().nullable().optional().meta({ description: "Trials to run in all." }),
    maxParallelism: z.int().optional().meta({
      description:
        "Most trials running at once: maxPendingTrials and the default strategy's parallelism cap.",
    }),
    trialType: z.enum(["Trial", "BatchTrial"]).optional(),
    batchSize: z.int().nullable().optional(),
    toleratedTrialFailureRate: z.number().optional().meta({ description: "In [0, 1); default 0.5." }),
    minFailedTrialsForFailureRateCheck: z.int().optional(),
    logFilepath: z.string().nullable().optional().meta({ description: "Relative to the config file." }),
    loggingLevel: z.union([z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "SILENT"]), z.int()]).optional(),
    ttlSecondsForTrials: nullableSeconds("Trials running longer are FAILED.").optional(),
    initSecondsBetweenPolls: seconds("First wait between polls (default 1).").optional(),
    minSecondsBeforePoll: seconds(
      "Least time between a deployment and the next poll (default 1).",
    ).optional(),
    secondsBetweenPollsBackoffFactor: z.number().optional(),
    timeoutHours: z.number().nullable().optional(),
    runTrialsInBatches: z.boolean().optional(),
    maxPendingTrials: z.int().optional(),
    suppressStorageErrors: z.boolean().optional(),
    waitForRunningTrials: z.boolean().optional(),
    storageRetrySeconds: seconds(
      "With suppressStorageErrors: how long unsaved changes are retried.",
    ).optional(),
    leaseTtlSeconds: seconds("Lifetime of the experiment's lease without renewal (default 60).").optional(),
    userCallTimeoutSeconds: nullableSeconds("Longest wait for one call into user code (600).").optional(),
  })
  .meta({ description: "SchedulerOptions, with the same names." });

const improvementGlobalStopping = z.strictObject({
  type: z.literal("improvement"),
  minTrials: z
    .int()
    .optional()
    .meta({ description: "Completed trials before stopping is considered (default 5)." }),
  windowSize: z.int().optional().meta({
    description: "Completed trials the improvement is measured over, at least 2 (default 5).",
  }),
  improvementBar: z.number().optional().meta({
    description:
      "Least improvement that keeps going: a fraction of the IQR of the objective values, or of the hypervolume for several objectives (default 0.1).",
  }),
  inactiveWhenPendingTrials: z
    .boolean()
    .optional()
    .meta({ description: "Never stop while trials are running (default true)." }),
});

const globalStopping = hint(
  z.discriminatedUnion("type", [improvementGlobalStopping]).meta({
    description: "Ends the optimization before totalTrials when it stops improving (global stopping).",
  }),
  { expected: "an object such as { type: improvement, minTrials: 10, improvementBar: 0.05 }" },
);

const generationStep = z.strictObject({
  generator: z.enum(["sobol", "uniform", "botorch"]).meta({ description: "Which generator proposes arms." }),
  numTrials: z
    .int()
    .optional()
    .meta({ description: "Trials of this step; the last step may omit it (no limit)." }),
  minTrialsObserved: z.int().optional(),
  maxParallelism: z.int().nullable().optional(),
  enforceNumTrials: z.boolean().optional(),
  generatorKwargs: z.record(z.string(), z.json()).optional(),
  name: z.string().optional(),
});

const generationStrategy = hint(
  z
    .union([z.literal("default"), z.array(generationStep).min(1)])
    .meta({ description: '"default" (chosen for the search space) or explicit steps.' }),
  {
    expected:
      '"default" or a list of steps such as [{ generator: sobol, numTrials: 8 }, { generator: botorch }]',
  },
);

/**
 * The `earlyStopping:` section: a strategy by `type` and its options, which the library checks
 * (`earlyStoppingStrategyFromConfig`), so the schema names the types only.
 */
const earlyStopping = hint(
  z
    .looseObject({
      type: z.enum(["percentile", "threshold", "curve-prediction", "and", "or"]).optional().meta({
        description:
          "Which strategy (default curve-prediction); and/or combine the strategies listed under strategies.",
      }),
    })
    .meta({
      description:
        "Stops running trials early from the progress they report (see docs/early-stopping.md): " +
        "{ type: percentile, percentileThreshold: 50, minProgression: 5 }.",
      examples: [{ type: "percentile", percentileThreshold: 50, minProgression: 5 }],
    }),
  { expected: "an object such as { type: percentile, minProgression: 5 }" },
);

/** The zod schema of an experiment config file (every object strict: unknown keys are errors). */
export const experimentConfigSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: "URL or path of this JSON Schema, for editors." }),
    name: z.string().min(1).meta({ description: "Unique name of the experiment in the store." }),
    description: z.string().optional(),
    isTest: z.boolean().optional(),
    parameters: hint(z.array(parameter).min(1), {
      expected: "a list of parameters such as [{ name: x, type: range, bounds: [0, 1] }]",
    }),
    parameterConstraints: stringList(
      "Linear constraints between range parameters.",
      "x1 + x2 <= 10",
    ).optional(),
    objectives: hint(
      z
        .record(z.string(), objective)
        .refine((o) => Object.keys(o).length > 0, {
          message: "must name at least one metric, e.g. objectives: { loss: { minimize: true } }",
        })
        .meta({ description: "Objectives by metric name; two or more make it multi-objective." }),
      { expected: "an object of metric names such as { loss: { minimize: true } }" },
    ),
    outcomeConstraints: stringList("Constraints on other metrics.", "memoryMb <= 2048").optional(),
    trackingMetrics: stringList("Metrics recorded but not optimized.", "throughput").optional(),
    trackingMetricNames: stringList(
      "Client.createExperiment's name for trackingMetrics.",
      "throughput",
    ).optional(),
    statusQuo: z
      .record(z.string(), scalar)
      .optional()
      .meta({ description: "The current setting, for relative constraints." }),
    runner,
    scheduler: scheduler.optional(),
    globalStopping: globalStopping.optional(),
    generationStrategy: generationStrategy.optional(),
    earlyStopping: earlyStopping.optional(),
    storage: z.string().optional().meta({ description: "sqlite:./ascent.db (default) or postgres://..." }),
    seed: z.int().optional().meta({ description: "Seed of the generation strategy." }),
  })
  .meta({ title: "Ascent experiment config", description: "An experiment for `ascent run`." });

/** An experiment config file's contents, as written (after `${VAR}` expansion). */
export type ExperimentConfigInput = z.infer<typeof experimentConfigSchema>;
/** The `runner:` section. */
export type RunnerConfig = ExperimentConfigInput["runner"];
/** The `runner:` section of a command runner. */
export type CommandRunnerConfig = z.infer<typeof commandRunner>;
/** The `runner:` section of a function runner. */
export type FunctionRunnerConfig = z.infer<typeof functionRunner>;
/** The `runner:` section of a queue runner. */
export type QueueRunnerConfig = z.infer<typeof queueRunner>;
/** The `scheduler:` section. */
export type SchedulerConfig = z.infer<typeof scheduler>;
/** The `globalStopping:` section. */
export type GlobalStoppingConfigInput = z.infer<typeof globalStopping>;
/** The `earlyStopping:` section. */
export type EarlyStoppingSectionConfig = z.infer<typeof earlyStopping>;
/** One step of an explicit `generationStrategy:`. */
export type GenerationStepConfig = z.infer<typeof generationStep>;
/** One entry of `parameters:`. */
export type ParameterConfig = z.infer<typeof parameter>;
