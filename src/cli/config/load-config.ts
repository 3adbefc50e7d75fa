import { readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { ConfigError, type ConfigProblem } from "../../errors.js";
import { SchedulerOptions } from "../../scheduler/scheduler-options.js";
import { checkExperiment, type IsClean } from "./check-experiment.js";
import { type ExperimentConfigInput, experimentConfigSchema } from "./config-schema.js";
import { checkEarlyStopping } from "./config-to-early-stopping.js";
import { checkRunner } from "./config-to-runner.js";
import {
  checkGenerationStrategy,
  checkGlobalStopping,
  checkSchedulerOptions,
  strategyConfigOf,
} from "./config-to-scheduler.js";
import { expandEnv } from "./env-expansion.js";
import { ExperimentConfig } from "./experiment-config.js";
import { parseConfigText } from "./parse-config-text.js";
import { schemaProblems } from "./schema-problems.js";
import { checkStorage } from "./storage-url.js";

/** Options of {@link parseExperimentConfig}. */
export interface ParseExperimentConfigOptions {
  /** Folder relative paths in the config start at; the working directory by default. */
  baseDir?: string;
  /** "yaml" (default) or "json"; YAML also reads JSON, so this only words syntax errors. */
  format?: "yaml" | "json";
  /** Variables `${VAR}` in `storage` and `runner` are expanded from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The file the text came from, for messages. */
  file?: string;
}

/**
 * Reads, checks and resolves an experiment config file (YAML, or JSON for a `.json` file). Relative
 * paths in it start at the file's folder. Nothing is opened, imported or written: see
 * {@link ExperimentConfig} for building the experiment, runner, strategy and store from it.
 * @throws ConfigError listing every problem, each with its path, line and fix; also when the file
 * cannot be read.
 * @example
 * const config = await loadExperimentConfig("experiment.yaml");
 * console.log(config.name, config.storageUrl);
 */
export async function loadExperimentConfig(
  path: string,
  options: Pick<ParseExperimentConfigOptions, "env"> = {},
): Promise<ExperimentConfig> {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error);
    throw configError(file, [{ path: "", message: `cannot read the config file: ${reason}` }], error);
  }
  const format = extname(file).toLowerCase() === ".json" ? "json" : "yaml";
  return parseExperimentConfig(text, { ...options, baseDir: dirname(file), format, file });
}

/**
 * Checks and resolves an experiment config from its text: syntax, then the schema (types, unknown keys),
 * then the library's own checks of every part, all problems collected before anything is reported.
 * @throws ConfigError listing every problem found.
 * @example parseExperimentConfig(yamlText, { baseDir: "/work/exp", env: { PGPASSWORD: "..." } })
 */
export function parseExperimentConfig(
  text: string,
  options: ParseExperimentConfigOptions = {},
): ExperimentConfig {
  const baseDir = resolve(options.baseDir ?? ".");
  const parsed = parseConfigText(text, options.format ?? "yaml");
  if (parsed.problems.length > 0) throw configError(options.file, parsed.problems);
  const problems: ConfigProblem[] = [];
  const data = expandEnv(parsed.data, options.env ?? process.env, problems);
  const shapeProblems = schemaProblems(experimentConfigSchema, data);
  problems.push(...shapeProblems);
  // An unknown key leaves its neighbours valid, so they are still checked (and reported) further.
  // `strict` counts unknown keys too, for library checks that refuse them on their own.
  const blocking = shapeProblems.filter((p) => !p.message.startsWith("unknown key"));
  const isClean = (prefix: string, strict = false) =>
    !(strict ? shapeProblems : blocking).some((p) => within(p.path, prefix) || within(prefix, p.path));
  const result = checkAll(data as ExperimentConfigInput, baseDir, isClean, problems);
  if (problems.length > 0 || !result) {
    throw configError(options.file, sortByPosition(firstPerPath(problems).map((p) => parsed.locate(p))));
  }
  return new ExperimentConfig({ file: options.file, baseDir, ...result });
}

function checkAll(
  input: ExperimentConfigInput,
  baseDir: string,
  isClean: IsClean,
  problems: ConfigProblem[],
) {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const experiment = checkExperiment(input, isClean, problems);
  const names = isClean("parameters") ? experiment.parameterNames : [];
  const runner = isClean("runner.type")
    ? checkRunner(input.runner, baseDir, names, isClean, problems)
    : undefined;
  const scheduler = checkSchedulerOptions(input.scheduler, baseDir, isClean, problems);
  const globalStoppingStrategy = checkGlobalStopping(input.globalStopping, isClean, problems);
  const earlyStoppingStrategy = checkEarlyStopping(input.earlyStopping, isClean, problems);
  const schedulerOptions =
    scheduler && earlyStoppingStrategy
      ? new SchedulerOptions({ ...scheduler.toInit(), earlyStoppingStrategy })
      : scheduler;
  const generationStrategy = strategyConfigOf(input);
  if (isClean("generationStrategy")) {
    // The whole strategy is built only with a valid experiment and scheduler section; steps regardless.
    const whole = schedulerOptions && isClean("seed") ? experiment.experiment : undefined;
    checkGenerationStrategy(generationStrategy, whole, schedulerOptions?.totalTrials, problems);
  }
  const storageUrl = isClean("storage") ? checkStorage(input.storage, baseDir, problems) : undefined;
  if (!experiment.options || !runner || !schedulerOptions || storageUrl === undefined) return undefined;
  if (globalStoppingStrategy === undefined || earlyStoppingStrategy === undefined) return undefined;
  return {
    input,
    experimentOptions: experiment.options,
    runner,
    // The file's global stopping rule is a Scheduler setting like the others.
    schedulerOptions: globalStoppingStrategy
      ? schedulerOptions.with({ globalStoppingStrategy })
      : schedulerOptions,
    generationStrategy,
    storageUrl,
  };
}

/** Whether formatted `path` is `prefix` or inside it (`parameters[2].bounds` is inside `parameters`). */
function within(path: string, prefix: string): boolean {
  if (path === prefix || prefix === "") return true;
  return path.startsWith(prefix) && (path[prefix.length] === "." || path[prefix.length] === "[");
}

/**
 * One problem per path, the first found: a later check of a value already reported (a URL still holding
 * an unset `${VAR}`) would only repeat the same trouble in other words.
 */
function firstPerPath(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (seen.has(p.path) && p.path !== "") return false;
    seen.add(p.path);
    return true;
  });
}

function sortByPosition(problems: ConfigProblem[]): ConfigProblem[] {
  const key = (p: ConfigProblem) => (p.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (p.column ?? 0);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => key(a.p) - key(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * The error for a config with problems: one line per problem, `path: message (line L, column C)`.
 * @example configError("exp.yaml", [{ path: "seed", message: "must be an integer (got 0.5)" }])
 */
export function configError(
  file: string | undefined,
  problems: readonly ConfigProblem[],
  cause?: unknown,
): ConfigError {
  const where = file === undefined ? "The experiment config" : `The experiment config ${file}`;
  const count = problems.length === 1 ? "a problem" : `${problems.length} problems`;
  const lines = problems.map((p) => `  ${formatProblem(p)}`);
  return new ConfigError(`${where} has ${count}:\n${lines.join("\n")}`, {
    problems,
    ...(file === undefined ? {} : { path: file }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * One problem as a line: `parameters[2].bounds: lower (5) must be below upper (1) (line 7, column 5)`.
 */
export function formatProblem(problem: ConfigProblem): string {
  const at =
    problem.line === undefined
      ? ""
      : ` (line ${problem.line}${problem.column === undefined ? "" : `, column ${problem.column}`})`;
  return `${problem.path === "" ? "" : `${problem.path}: `}${problem.message}${at}`;
}
