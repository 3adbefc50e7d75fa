import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Runner } from "../../core/runner.js";
import { ConfigError, type ConfigProblem } from "../../errors.js";
import { parseArgvTemplate, renderArgv } from "../../runners/command/argv-template.js";
import { CommandRunner, type CommandRunnerOptions } from "../../runners/command/index.js";
import { type EvaluateFunction, FunctionRunner } from "../../runners/function/index.js";
import { QueueRunner, type QueueRunnerOptions } from "../../runners/queue/index.js";
import { queueRunnerSettings } from "../../runners/queue/queue-runner-options.js";
import type { IsClean } from "./check-experiment.js";
import type {
  CommandRunnerConfig,
  FunctionRunnerConfig,
  QueueRunnerConfig,
  RunnerConfig,
} from "./config-schema.js";
import { check, keyInMessage } from "./library-problem.js";
import { nearestKey } from "./nearest-key.js";

/** The queue runner's settings a config may set, by the names QueueRunnerOptions gives them. */
const QUEUE_SETTING_KEYS = [
  "attempts",
  "backoffSeconds",
  "jobTimeoutSeconds",
  "trialLeaseSeconds",
  "keepJobsSeconds",
  "prefix",
] as const;
/** The `runner:` section, checked, with paths made absolute and ready to build a runner from. */
export type ResolvedRunnerConfig =
  | { readonly type: "command"; readonly options: CommandRunnerOptions }
  | {
      readonly type: "function";
      /** Absolute path of the module. */
      readonly module: string;
      /** The export asked for; undefined for "evaluate", else "default" (as `ascent worker --module`). */
      readonly exportName: string | undefined;
      readonly stopGraceSeconds: number | undefined;
    }
  | { readonly type: "queue"; readonly options: QueueRunnerOptions };

/** Default root of a command runner's trial directories, next to the config file. */
export const DEFAULT_WORK_DIR = "ascent-trials";

/**
 * Checks the `runner:` section with the runners' own option checks (nothing is started or connected)
 * and resolves its paths against `baseDir`: a command runs in `baseDir` unless `cwd` says otherwise.
 * @param parameterNames the experiment's parameters, which a command's `{placeholders}` must name.
 * @param isClean which keys the schema accepted; a command it refused is not parsed again.
 * @returns the resolved section, or undefined when problems were recorded.
 */
export function checkRunner(
  runner: RunnerConfig,
  baseDir: string,
  parameterNames: readonly string[],
  isClean: IsClean,
  problems: ConfigProblem[],
): ResolvedRunnerConfig | undefined {
  const start = problems.length;
  // Keys the schema refused are left out: the runners' checks would only trip over their types.
  const clean = Object.fromEntries(
    Object.entries(runner).filter(([key]) => isClean(`runner.${key}`)),
  ) as RunnerConfig;
  let resolved: ResolvedRunnerConfig | undefined;
  if (clean.type === "command") {
    const names = clean.command === undefined ? null : parameterNames;
    resolved = checkCommand({ ...clean, command: clean.command ?? ["program"] }, baseDir, names, problems);
  } else if (clean.type === "function") {
    if (clean.module !== undefined) resolved = checkFunction(clean, baseDir, problems);
  } else if (clean.queueName !== undefined) {
    resolved = checkQueue(clean, problems);
  }
  return problems.length > start || isClean("runner", true) === false ? undefined : resolved;
}

function checkCommand(
  runner: CommandRunnerConfig,
  baseDir: string,
  parameterNames: readonly string[] | null,
  problems: ConfigProblem[],
): ResolvedRunnerConfig {
  const options: CommandRunnerOptions = {
    command: runner.command,
    cwd: resolve(baseDir, runner.cwd ?? "."),
    workDir: resolve(baseDir, runner.workDir ?? DEFAULT_WORK_DIR),
    ...(runner.env === undefined ? {} : { env: runner.env }),
    ...(runner.timeoutSeconds === undefined ? {} : { timeoutSeconds: runner.timeoutSeconds }),
    ...(runner.killGraceSeconds === undefined ? {} : { killGraceSeconds: runner.killGraceSeconds }),
  };
  const template =
    parameterNames === null
      ? undefined
      : check(
          problems,
          (e) => commandPath(e),
          () => parseArgvTemplate(runner.command),
        );
  if (template && parameterNames && parameterNames.length > 0) {
    checkPlaceholders(template, parameterNames, problems);
  }
  const keys = ["timeoutSeconds", "killGraceSeconds", "cwd", "env"];
  // With a command that does not parse, the other options are still checked (on a stand-in command).
  const checked = template ? options : { ...options, command: ["program"] };
  check(
    problems,
    (e) => ["runner", keyInMessage(e, keys) ?? "env"],
    () => new CommandRunner(checked),
  );
  if (runner.cwd !== undefined && !isDirectory(options.cwd!)) {
    problems.push({
      path: "runner.cwd",
      message: `no such directory: ${options.cwd} (relative paths start at the config file's folder)`,
    });
  }
  return { type: "command", options };
}

function commandPath(error: unknown): (string | number)[] {
  const argIndex = (error as { argIndex?: unknown }).argIndex;
  return typeof argIndex === "number" ? ["runner", "command", argIndex] : ["runner", "command"];
}

/** Every `{placeholder}` rendered with the experiment's parameters, one element at a time. */
function checkPlaceholders(
  template: ReturnType<typeof parseArgvTemplate>,
  parameterNames: readonly string[],
  problems: ConfigProblem[],
): void {
  const sample = Object.fromEntries(parameterNames.map((name) => [name, name]));
  template.elements.forEach((pieces, argIndex) => {
    const single = {
      command: [template.command[argIndex]!],
      elements: [pieces],
      placeholders: new Set<string>(),
    };
    const before = problems.length;
    check(problems, ["runner", "command", argIndex], () => renderArgv(single, sample));
    const problem = problems[before];
    const placeholder = problem ? /placeholder \{([^}]*)\}/.exec(problem.message)?.[1] : undefined;
    if (problem && placeholder !== undefined) {
      const near = nearestKey(placeholder, parameterNames);
      problems[before] = {
        path: problem.path,
        message:
          `placeholder {${placeholder}} names no parameter` +
          (near === undefined ? "" : `; did you mean {${near}}?`) +
          ` (parameters: ${parameterNames.join(", ")}; write {{ and }} for literal braces)`,
      };
    }
  });
}

function checkFunction(
  runner: FunctionRunnerConfig,
  baseDir: string,
  problems: ConfigProblem[],
): ResolvedRunnerConfig {
  const module = resolve(baseDir, runner.module);
  if (!existsSync(module)) {
    problems.push({
      path: "runner.module",
      message: `no such file: ${module} (paths are relative to the config file)`,
    });
  }
  if (runner.stopGraceSeconds !== undefined) {
    check(
      problems,
      ["runner", "stopGraceSeconds"],
      () => new FunctionRunner({ stopGraceSeconds: runner.stopGraceSeconds! }),
    );
  }
  return { type: "function", module, exportName: runner.export, stopGraceSeconds: runner.stopGraceSeconds };
}

function checkQueue(runner: QueueRunnerConfig, problems: ConfigProblem[]): ResolvedRunnerConfig {
  const options: QueueRunnerOptions = {
    queueName: runner.queueName,
    ...(runner.redis === undefined ? {} : { connection: { url: runner.redis } }),
    ...pickDefined(runner, QUEUE_SETTING_KEYS),
  };
  const keys = QUEUE_SETTING_KEYS;
  check(
    problems,
    (e) => [
      "runner",
      keyInMessage(e, keys) ?? (/queue name/i.test(String((e as Error).message)) ? "queueName" : "redis"),
    ],
    () => queueRunnerSettings(options),
  );
  return { type: "queue", options };
}

function pickDefined<T extends object, K extends keyof T>(
  source: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Builds the runner of a resolved `runner:` section. A function runner's module is imported here (not
 * during validation: importing runs the module's code).
 * @throws ConfigError at `runner.module` when the module cannot be imported, or at `runner.export` when
 * it has no such function.
 * @example const runner = await createRunner(config.runner);
 */
export async function createRunner(config: ResolvedRunnerConfig): Promise<Runner> {
  if (config.type === "command") return new CommandRunner(config.options);
  if (config.type === "queue") return new QueueRunner(config.options);
  const evaluate = await loadFunction(config.module, config.exportName);
  return new FunctionRunner({
    evaluate,
    ...(config.stopGraceSeconds === undefined ? {} : { stopGraceSeconds: config.stopGraceSeconds }),
  });
}

async function loadFunction(module: string, exportName: string | undefined): Promise<EvaluateFunction> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  } catch (error) {
    throw runnerError(
      "runner.module",
      `cannot be imported (${module}): ${(error as Error)?.message ?? error}`,
      error,
    );
  }
  const names = exportName === undefined ? ["evaluate", "default"] : [exportName];
  const name = names.find((n) => typeof namespace[n] === "function");
  if (name === undefined) {
    const functions = Object.keys(namespace).filter((k) => typeof namespace[k] === "function");
    const wanted =
      exportName === undefined
        ? 'an export named "evaluate" or a default export'
        : `an export named "${exportName}"`;
    throw runnerError(
      exportName === undefined ? "runner.module" : "runner.export",
      `${module} has no function as ${wanted}` +
        (functions.length > 0
          ? `; its functions: ${functions.join(", ")} (write export: ${functions[0]})`
          : ""),
    );
  }
  return namespace[name] as EvaluateFunction;
}

function runnerError(path: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError(`${path}: ${message}`, { problems: [{ path, message }], cause });
}
