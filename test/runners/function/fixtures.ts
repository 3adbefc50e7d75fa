import { Arm } from "../../../src/core/arm.js";
import type { BaseTrial } from "../../../src/core/base-trial.js";
import { Experiment } from "../../../src/core/experiment.js";
import { GeneratorRun } from "../../../src/core/generator-run.js";
import { Objective } from "../../../src/core/objective.js";
import { OptimizationConfig } from "../../../src/core/optimization-config.js";
import { ParameterType } from "../../../src/core/parameter-type.js";
import { RangeParameter } from "../../../src/core/range-parameter.js";
import { ResultMetric } from "../../../src/core/result-metric.js";
import type { Runner } from "../../../src/core/runner.js";
import { SearchSpace } from "../../../src/core/search-space.js";
import { GenerationStep, GenerationStrategy, Generators } from "../../../src/generation/index.js";
import { SchedulerOptions, type SchedulerOptionsInit } from "../../../src/scheduler/index.js";
import { registerBuiltInRunners } from "../../../src/service/builtin-runners.js";
import { LogLevel } from "../../../src/util/logger.js";

/** An experiment over x in [0, 1] minimizing the ResultMetric "loss". */
export function lossExperiment(name = "fn_runner_test", runner: Runner | null = null): Experiment {
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: [new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 })],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ResultMetric({ name: "loss" }), minimize: true }),
    }),
    runner,
  });
}

/** A new one-arm trial at `x`. */
export function trialAt(experiment: Experiment, x: number): BaseTrial {
  const arm = new Arm({ parameters: { x } });
  return experiment.newTrial({ generatorRun: new GeneratorRun({ arms: [arm], generatorName: "Manual" }) });
}

/** Runs `trial` on `runner` as the Scheduler does: run, keep the metadata, mark it RUNNING. */
export async function deploy(runner: Runner, trial: BaseTrial): Promise<BaseTrial> {
  trial.updateRunMetadata(await runner.run(trial));
  trial.markRunning();
  return trial;
}

/** A promise and the functions that settle it. */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Registers the built-in runners for storage, as importing the package does (tests import modules directly). */
export function registerFunctionRunner(): void {
  registerBuiltInRunners();
}

/** A Sobol-only strategy (seed 0) with no limit on trials in flight. */
export function sobolOnly(seed = 0): GenerationStrategy {
  return new GenerationStrategy({
    steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
    seed,
  });
}

/** Scheduler settings for tests: no waits before polling (the runner wakes the loop), quiet logs. */
export function fastOptions(init: SchedulerOptionsInit = {}): SchedulerOptions {
  return new SchedulerOptions({
    initSecondsBetweenPolls: 0.05,
    minSecondsBeforePoll: 0,
    loggingLevel: LogLevel.ERROR,
    ...init,
  });
}
