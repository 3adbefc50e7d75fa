import { resolve } from "node:path";
import type { Experiment } from "../../core/experiment.js";
import type { ConfigProblem } from "../../errors.js";
import { GlobalStoppingStrategyError } from "../../errors.js";
import {
  chooseGenerationStrategy,
  GenerationStep,
  GenerationStrategy,
  type GeneratorSpec,
  Generators,
} from "../../generation/index.js";
import {
  type GlobalStoppingStrategy,
  globalStoppingStrategyFromConfig,
} from "../../scheduler/global-stopping/index.js";
import { SchedulerOptions, type SchedulerOptionsInit } from "../../scheduler/scheduler-options.js";
import { Logger, LogLevel } from "../../util/logger.js";
import type {
  ExperimentConfigInput,
  GenerationStepConfig,
  GlobalStoppingConfigInput,
  SchedulerConfig,
} from "./config-schema.js";
import { check } from "./library-problem.js";

/** The file's generator names and the built-in generators they stand for. */
const GENERATORS: Readonly<Record<GenerationStepConfig["generator"], GeneratorSpec>> = {
  sobol: Generators.SOBOL,
  uniform: Generators.UNIFORM,
  botorch: Generators.BOTORCH,
};

/** How trials are generated, as the file says: the default strategy (with its options) or explicit steps. */
export type StrategyConfig =
  | {
      readonly kind: "default";
      readonly maxParallelismCap: number | undefined;
      readonly seed: number | undefined;
    }
  | {
      readonly kind: "steps";
      readonly steps: readonly GenerationStepConfig[];
      readonly seed: number | undefined;
    };

/**
 * Builds `SchedulerOptions` from the `scheduler:` section, each key checked by `SchedulerOptions` itself
 * (one at a time, so every bad key is reported), then all together. `maxParallelism`, a file-only key,
 * sets `maxPendingTrials` unless that is given; `loggingLevel` may be a name ("INFO") or a number; a
 * relative `logFilepath` starts at `baseDir`.
 * @param isClean whether the schema accepted a path: keys it refused are not checked again.
 * @returns the options, or undefined when problems were recorded.
 */
export function checkSchedulerOptions(
  section: SchedulerConfig | undefined,
  baseDir: string,
  isClean: (path: string) => boolean,
  problems: ConfigProblem[],
): SchedulerOptions | undefined {
  const init = schedulerInit(section ?? {}, baseDir);
  const start = problems.length;
  for (const [key, value] of Object.entries(section ?? {})) {
    if (!isClean(`scheduler.${key}`)) continue;
    const one = schedulerInit({ [key]: value }, baseDir);
    check(problems, ["scheduler", key], () => new SchedulerOptions(one));
  }
  if (problems.length > start || !isClean("scheduler")) return undefined;
  return check(problems, ["scheduler"], () => new SchedulerOptions(init));
}

/**
 * Builds the strategy of the `globalStopping:` section, its options checked by the strategy itself (a
 * bad value is reported at `globalStopping.<option>`).
 * @returns the strategy, null without the section, or undefined when a problem was recorded.
 */
export function checkGlobalStopping(
  section: GlobalStoppingConfigInput | undefined,
  isClean: (path: string) => boolean,
  problems: ConfigProblem[],
): GlobalStoppingStrategy | null | undefined {
  if (section === undefined) return null;
  if (!isClean("globalStopping")) return undefined;
  return check(
    problems,
    (error) => ["globalStopping", ...(error instanceof GlobalStoppingStrategyError ? [error.option] : [])],
    () => globalStoppingStrategyFromConfig(section),
  );
}

function schedulerInit(section: SchedulerConfig, baseDir: string): SchedulerOptionsInit {
  const { maxParallelism, loggingLevel, logFilepath, ...rest } = section;
  const init: SchedulerOptionsInit = { ...(rest as SchedulerOptionsInit) };
  if (maxParallelism !== undefined && rest.maxPendingTrials === undefined)
    init.maxPendingTrials = maxParallelism;
  if (loggingLevel !== undefined) {
    init.loggingLevel = (
      typeof loggingLevel === "string" ? LogLevel[loggingLevel] : loggingLevel
    ) as LogLevel;
  }
  if (logFilepath !== undefined)
    init.logFilepath = logFilepath === null ? null : resolve(baseDir, logFilepath);
  return init;
}

/** The strategy part of a config: `generationStrategy`, `seed` and `scheduler.maxParallelism`. */
export function strategyConfigOf(input: ExperimentConfigInput): StrategyConfig {
  const gs = input.generationStrategy ?? "default";
  if (gs === "default") {
    return { kind: "default", maxParallelismCap: input.scheduler?.maxParallelism, seed: input.seed };
  }
  return { kind: "steps", steps: gs, seed: input.seed };
}

/**
 * Builds a fresh generation strategy for `experiment`: `chooseGenerationStrategy` (told the trial budget
 * `totalTrials` and the parallelism cap) for "default", else the explicit steps, where the last step may
 * leave out `numTrials` (no limit). A strategy holds generation state, so build one per run.
 * @throws GenerationStrategyError for steps or options the library refuses (checked earlier by
 * {@link checkGenerationStrategy} for configs that passed validation).
 */
export function createGenerationStrategy(
  config: StrategyConfig,
  experiment: Experiment,
  options: { totalTrials?: number | null; logger?: Logger } = {},
): GenerationStrategy {
  const seed = config.seed === undefined ? {} : { seed: config.seed };
  if (config.kind === "default") {
    return chooseGenerationStrategy({
      searchSpace: experiment.searchSpace,
      optimizationConfig: experiment.optimizationConfig,
      hasStatusQuo: experiment.statusQuo !== null,
      numTrials: options.totalTrials ?? null,
      ...(config.maxParallelismCap === undefined ? {} : { maxParallelismCap: config.maxParallelismCap }),
      ...(options.logger ? { logger: options.logger } : {}),
      ...seed,
    });
  }
  const steps = config.steps.map((step, i) => buildStep(step, i === config.steps.length - 1));
  return new GenerationStrategy({ steps, ...seed });
}

function buildStep(step: GenerationStepConfig, isLast: boolean): GenerationStep {
  const { generator, numTrials, minTrialsObserved, maxParallelism, enforceNumTrials, generatorKwargs, name } =
    step;
  return new GenerationStep({
    generator: GENERATORS[generator],
    numTrials: numTrials ?? (isLast ? -1 : Number.NaN),
    ...(minTrialsObserved === undefined ? {} : { minTrialsObserved }),
    ...(maxParallelism === undefined ? {} : { maxParallelism }),
    ...(enforceNumTrials === undefined ? {} : { enforceNumTrials }),
    ...(generatorKwargs === undefined ? {} : { generatorKwargs }),
    ...(name === undefined ? {} : { name }),
  });
}

/**
 * Checks the strategy part by building it as a run would (steps one by one, so each bad step is named),
 * with a silent logger.
 * @param experiment the experiment built from the file; undefined when it has problems (only the steps
 * are checked then).
 */
export function checkGenerationStrategy(
  config: StrategyConfig,
  experiment: Experiment | undefined,
  totalTrials: number | null | undefined,
  problems: ConfigProblem[],
): void {
  const start = problems.length;
  if (config.kind === "steps") {
    config.steps.forEach((step, i) => {
      const isLast = i === config.steps.length - 1;
      if (step.numTrials === undefined && !isLast) {
        problems.push({
          path: `generationStrategy[${i}].numTrials`,
          message: "is required for every step but the last (the last step may run without limit)",
        });
        return;
      }
      check(
        problems,
        (e) => ["generationStrategy", i, ...stepKey(e)],
        () => buildStep(step, isLast),
      );
    });
  }
  if (problems.length > start || experiment === undefined) return;
  const logger = new Logger({ name: "ascent.config", level: LogLevel.SILENT });
  const path =
    config.kind === "default" && config.maxParallelismCap !== undefined
      ? ["scheduler", "maxParallelism"]
      : ["generationStrategy"];
  check(problems, path, () =>
    createGenerationStrategy(config, experiment, { totalTrials: totalTrials ?? null, logger }),
  );
}

function stepKey(error: unknown): string[] {
  const message = error instanceof Error ? error.message : "";
  const key = ["minTrialsObserved", "numTrials", "maxParallelism"].find((k) => message.includes(k));
  return key === undefined ? [] : [key];
}
