import type { Experiment } from "../core/experiment.js";
import type { TrialStatus } from "../core/trial-status.js";
import type { GenerationStrategy } from "../generation/index.js";
import { FunctionRunner } from "../runners/function/index.js";
import type { OptimizationResult } from "../scheduler/index.js";
import { type OptimizeBest, optimizeBest } from "./optimize-best.js";
import { type OptimizeOptions, resolveOptimizeOptions } from "./optimize-options.js";
import { setUpOptimize } from "./optimize-scheduler.js";

export type { OptimizeBest } from "./optimize-best.js";
export type { OptimizeOptions } from "./optimize-options.js";

/** What {@link optimize} returns: the best point, the experiment, and how the run went. */
export interface OptimizeResult extends OptimizeBest {
  /** The experiment with every trial and its data (also in the store, when one was given). */
  experiment: Experiment;
  /** The strategy that proposed the trials, in its final state. */
  generationStrategy: GenerationStrategy;
  /** Number of the experiment's trials in each status at the end. */
  trialCounts: Readonly<Record<TrialStatus, number>>;
  /** The Scheduler's summary of the run (why it ended, trials it added, duration). */
  optimizationResult: OptimizationResult;
  /**
   * Why the global stopping strategy ended the optimization before `totalTrials` (e.g. "The best loss
   * improved by 0.02 times ..."), or null when it did not.
   */
  globalStoppingReason: string | null;
  /** Whether a stored experiment was continued (`resume: true`). */
  resumed: boolean;
}

/**
 * Optimizes in one call (Ax's `optimize`): builds the experiment from plain objects (the shapes of
 * `Client.createExperiment`), runs a Scheduler until the experiment has `totalTrials` trials, and returns
 * the best parameters with their values (model predictions where a model judged them).
 *
 * Trials are evaluated by `evaluate` in this process (a {@link FunctionRunner}) or by any `runner`
 * (`CommandRunner`, `QueueRunner`, your own). Results are `{ metric: number | [mean, sem] | { mean, sem } }`
 * or a number for the single objective; result keys that are not objectives or constraints become
 * tracking metrics. A trial whose evaluation throws is FAILED; one whose result lacks an objective or
 * holds NaN is ABANDONED with a reason quoting it (both count toward `toleratedTrialFailureRate`).
 *
 * At most `maxParallelism` trials (default 1) are evaluated at once. `seed` makes the default strategy
 * reproducible: with `maxParallelism: 1` the same seed gives the same trials. With `dbSettings` every
 * change is saved; the name must be new unless `resume: true`, which continues the stored experiment
 * (the function cannot be stored: it is given again by this call). With `globalStoppingStrategy`, the run
 * may end before `totalTrials` when the optimization stops improving (`globalStoppingReason` says why).
 * On `timeoutHours` or `signal`, the run
 * returns promptly and the running evaluations' signals fire; their trials stay RUNNING (a resumed run
 * reports them FAILED unless they finished in this process).
 *
 * @throws OptimizeArgumentError for missing or conflicting arguments (neither or both of evaluate and
 * runner, no totalTrials, ...), naming the argument; SearchSpaceError, OptimizationConfigError for a bad
 * spec; ExperimentExistsError when the stored name exists without `resume`; FailureRateExceededError when
 * too many trials failed; StorageError when the store fails.
 * @example
 * const { bestParameters, values } = await optimize({
 *   parameters: [
 *     { name: "x1", type: "range", bounds: [-5, 10] },
 *     { name: "x2", type: "range", bounds: [0, 15] },
 *   ],
 *   objectives: { branin: { minimize: true } },
 *   evaluate: ({ x1, x2 }) => branin(Number(x1), Number(x2)),
 *   totalTrials: 30,
 *   seed: 0,
 * });
 */
export async function optimize(options: OptimizeOptions): Promise<OptimizeResult> {
  const resolved = resolveOptimizeOptions(options);
  const setup = await setUpOptimize(options, resolved);
  const { scheduler } = setup;
  try {
    let run: OptimizationResult;
    try {
      run = await scheduler.runAllTrials({
        ...(options.timeoutHours === undefined ? {} : { timeoutHours: options.timeoutHours }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      abortEvaluations(
        resolved.runner,
        `optimize ended with an error: ${(error as Error)?.message ?? String(error)}`,
      );
      throw error;
    }
    if (run.timedOut) abortEvaluations(resolved.runner, "optimize timed out (timeoutHours).");
    else if (run.aborted) abortEvaluations(resolved.runner, "optimize was aborted.");
    return {
      ...optimizeBest(scheduler.experiment, scheduler.generationStrategy),
      experiment: scheduler.experiment,
      generationStrategy: scheduler.generationStrategy,
      trialCounts: run.trialCountsByStatus,
      optimizationResult: run,
      globalStoppingReason: run.globalStoppingReason,
      resumed: setup.resumed,
    };
  } finally {
    await setup.close();
  }
}

/**
 * Fires the signals of evaluations still running in this process: the run that waited for them is over,
 * and nothing can resume an in-process evaluation later. Other runners' work (processes, queue jobs) is
 * left to run, since a resumed run re-attaches to it.
 */
function abortEvaluations(runner: unknown, reason: string): void {
  if (runner instanceof FunctionRunner) runner.abortAll(reason);
}
