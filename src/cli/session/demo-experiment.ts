import type { Experiment } from "../../core/experiment.js";
import { chooseGenerationStrategy, type GenerationStrategy } from "../../generation/index.js";
import { branin } from "../../numerics/test-functions.js";
import type { EvaluationContext } from "../../runners/function/evaluate-function.js";
import { FunctionRunner } from "../../runners/function/index.js";
import { experimentFromOptions } from "../../service/experiment-from-options.js";
import type { Logger } from "../../util/logger.js";

/** Name of the experiment `ascent demo` stores. */
export const DEMO_EXPERIMENT = "branin_demo";

/** Trials each `ascent demo` run adds (the budget of the Branin benchmark). */
export const DEMO_TRIALS = 30;

/** Trials the demo runs at once. */
export const DEMO_PARALLELISM = 3;

/** Known minimum of Branin, printed next to the best point found. */
export const BRANIN_OPTIMUM = 0.397887;

/**
 * The demo's experiment: minimize Branin over x1 ∈ [-5, 10], x2 ∈ [0, 15], each trial a simulated job
 * that takes `minMs`–`maxMs` (so that several run at once and progress can be watched).
 */
export function makeDemoExperiment(timing: DemoTiming = {}): Experiment {
  const experiment = experimentFromOptions({
    name: DEMO_EXPERIMENT,
    description: "Branin, minimized by ascent demo: trials are simulated jobs running in this process.",
    parameters: [
      { name: "x1", type: "range", bounds: [-5, 10] },
      { name: "x2", type: "range", bounds: [0, 15] },
    ],
    objectives: { branin: { minimize: true } },
  });
  experiment.runner = demoRunner(timing);
  return experiment;
}

/** How long the demo's simulated jobs take, in ms (default 200–1200). */
export interface DemoTiming {
  readonly minMs?: number;
  readonly maxMs?: number;
}

/**
 * The runner of the demo: evaluates Branin after a delay drawn from the trial's index (deterministic), as
 * a job on a cluster would take a while. Given again on resume (a function cannot be stored).
 */
export function demoRunner(timing: DemoTiming = {}): FunctionRunner {
  const minMs = timing.minMs ?? 200;
  const maxMs = timing.maxMs ?? 1200;
  return new FunctionRunner(async (parameters, context: EvaluationContext) => {
    // A fixed pseudo-random duration per trial (Knuth's multiplicative hash), so runs are repeatable.
    const share = ((context.trialIndex * 2654435761) % 2 ** 32) / 2 ** 32;
    await sleep(minMs + share * (maxMs - minMs), context.signal);
    return branin(Number(parameters.x1), Number(parameters.x2));
  });
}

/** The demo's strategy: Sobol for the first 5 trials, then Bayesian optimization, seeded. */
export function demoGenerationStrategy(experiment: Experiment, logger?: Logger): GenerationStrategy {
  return chooseGenerationStrategy({
    searchSpace: experiment.searchSpace,
    optimizationConfig: experiment.optimizationConfig,
    maxParallelismCap: DEMO_PARALLELISM,
    seed: 0,
    ...(logger ? { logger } : {}),
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
