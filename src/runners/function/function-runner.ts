import type { BaseTrial, RunMetadata } from "../../core/base-trial.js";
import type { JsonObject } from "../../core/json.js";
import type { ProgressRecord } from "../../core/progress-record.js";
import {
  type CapacityReporter,
  type ProgressSource,
  Runner,
  type TrialChangeNotifier,
  type TrialFailureReporter,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
  type TrialStopper,
} from "../../core/runner.js";
import { TrialStatus } from "../../core/trial-status.js";
import { FunctionRunnerError } from "../../errors.js";
import type { EvaluateFunction } from "./evaluate-function.js";
import { Evaluation } from "./evaluation.js";

/** Options of a {@link FunctionRunner}. */
export interface FunctionRunnerOptions {
  /**
   * The function that evaluates a trial. Absent only in a runner rebuilt from storage, which can report
   * on trials but not run new ones.
   */
  evaluate?: EvaluateFunction;
  /**
   * How long `stop` waits, after firing a trial's signal, for the function to settle, in seconds
   * (default 1): a function that returns a result when its signal fires (e.g. its best value so far)
   * then has it kept with the stopped trial. A function that ignores its signal is waited for no
   * longer, and keeps running in the background.
   */
  stopGraceSeconds?: number;
}

const DEFAULT_STOP_GRACE_SECONDS = 1;

/**
 * Runs each trial by calling a function in this process: the simplest runner, for objectives computed
 * in Node itself (a simulation, a model trained in-process, a call to a service).
 *
 * - `evaluate(parameters, { trialIndex, experimentName, signal })` returns (a promise of) a number, the
 *   single objective's value, or an object of values by metric name (`number | [mean, sem] |
 *   { mean, sem }`); a throw or rejection marks the trial FAILED with the error's message, and returning
 *   nothing (undefined or null) does too. The result is not checked here: the experiment's
 *   `ResultMetric`s read it, and a missing or non-finite objective ABANDONs the trial with a reason
 *   quoting it.
 * - Concurrency is the Scheduler's: it starts a trial whenever its parallelism allows
 *   (`maxPendingTrials` and the generation strategy's `maxParallelism`), so async functions overlap up
 *   to that many; a synchronous function finishes inside `run`, one trial at a time.
 * - Every settle tells the Scheduler at once (`onTrialChange`), so trials that take microseconds go
 *   through at thousands per second.
 * - `stop` (and a TTL passing) fires the trial's signal; the Scheduler decides the trial's status
 *   (EARLY_STOPPED for `stopTrialRuns`), and a result the function still returns is kept.
 * - `context.report({ step, values })` reports progress (a {@link ProgressSource}): the Scheduler stores
 *   it as curves for early stopping; it resolves to whether the trial was asked to stop. A trial stopped
 *   early whose function returns nothing keeps its last reported values as its result.
 * - A function cannot be stored: the stored form is `{}` and a runner rebuilt from it refuses to run
 *   (`FunctionRunnerError`); resume with the runner given again,
 *   `Scheduler.fromStoredExperiment({ ..., runner: new FunctionRunner(evaluate) })`. Trials that were
 *   RUNNING in a process that ended are reported FAILED: their evaluation was lost with that process.
 *   In the same process, any FunctionRunner finds the evaluations another one started.
 * @example
 * const runner = new FunctionRunner(async ({ x1, x2 }) => branin(Number(x1), Number(x2)));
 * const experiment = new Experiment({ name: "branin", searchSpace, optimizationConfig, runner });
 */
export class FunctionRunner
  extends Runner
  implements
    TrialStatusPoller,
    TrialResultReporter,
    TrialFailureReporter,
    TrialStopper,
    TrialChangeNotifier,
    CapacityReporter,
    ProgressSource
{
  /** Seconds `stop` waits for a stopped function to settle. */
  readonly stopGraceSeconds: number;
  private readonly evaluateFn: EvaluateFunction | null;
  /** Evaluations this runner started or was asked about whose trial has not been seen ended yet. */
  private readonly watched = new Set<Evaluation>();
  private readonly listeners = new Set<() => void>();
  private readonly notify = (): void => {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener is a hint to poll; one that throws must not cost the evaluation its outcome.
      }
    }
  };

  /**
   * @param evaluate the function, or options `{ evaluate, stopGraceSeconds }`; `{}` (the stored form)
   * for a runner that cannot run trials.
   * @throws FunctionRunnerError when `evaluate` is given but is not a function, or `stopGraceSeconds` is
   * not a number ≥ 0.
   * @example new FunctionRunner(({ x }) => (Number(x) - 0.3) ** 2)
   * @example new FunctionRunner({ evaluate, stopGraceSeconds: 5 })
   */
  constructor(evaluate: EvaluateFunction | FunctionRunnerOptions = {}) {
    super();
    const options: FunctionRunnerOptions = typeof evaluate === "function" ? { evaluate } : (evaluate ?? {});
    if (options.evaluate !== undefined && typeof options.evaluate !== "function") {
      throw new FunctionRunnerError(
        `FunctionRunner needs a function (parameters, context) => result, got ${typeof options.evaluate}. ` +
          "Example: new FunctionRunner(({ x }) => (Number(x) - 0.3) ** 2).",
      );
    }
    const grace = options.stopGraceSeconds ?? DEFAULT_STOP_GRACE_SECONDS;
    if (typeof grace !== "number" || !(grace >= 0) || !Number.isFinite(grace)) {
      throw new FunctionRunnerError(
        `FunctionRunner's stopGraceSeconds must be a finite number of seconds >= 0, got ${String(grace)}.`,
      );
    }
    this.evaluateFn = options.evaluate ?? null;
    this.stopGraceSeconds = grace;
  }

  /** The evaluate function, or null for a runner rebuilt from storage. */
  get evaluate(): EvaluateFunction | null {
    return this.evaluateFn;
  }

  /**
   * What storage keeps of this runner: not the function, which cannot be stored; only a non-default
   * `stopGraceSeconds`. `new FunctionRunner(fields)` rebuilds a runner without a function.
   */
  storedFields(): JsonObject {
    return this.stopGraceSeconds === DEFAULT_STOP_GRACE_SECONDS
      ? {}
      : { stopGraceSeconds: this.stopGraceSeconds };
  }

  /**
   * Starts evaluating `trial` (a synchronous function has finished when this returns) and returns where
   * it runs: `{ evaluationId, pid, hostname }`.
   * @throws FunctionRunnerError when this runner has no function, or the trial has several arms.
   */
  async run(trial: BaseTrial): Promise<RunMetadata> {
    const evaluate = this.requireFunction(`run trial ${trial.index}`);
    if (trial.arms.length !== 1) {
      throw new FunctionRunnerError(
        `FunctionRunner evaluates one-arm trials; trial ${trial.index} has ${trial.arms.length} arms. ` +
          'Use trialType "Trial", or a Runner of your own for batch trials.',
        { trialIndex: trial.index },
      );
    }
    const evaluation = Evaluation.start(evaluate, trial, trial.arms[0]!.parameters, this.notify);
    this.watched.add(evaluation);
    return evaluation.runMetadata;
  }

  /**
   * Statuses of `trials`: COMPLETED once the function returned a value, FAILED once it threw or returned
   * nothing, and FAILED for a trial whose evaluation this process does not hold (it ran in a process
   * that ended). Trials still being evaluated are left out (they stay RUNNING), and so are trials being
   * stopped: the Scheduler that stops a trial gives it its status (EARLY_STOPPED, or FAILED for a TTL).
   */
  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    const completed = new Set<number>();
    const failed = new Set<number>();
    for (const trial of trials) {
      const evaluation = this.evaluationOf(trial);
      if (evaluation?.stopRequested) continue;
      const outcome = evaluation?.outcome;
      if (outcome === undefined || outcome.kind === "threw") failed.add(trial.index);
      else if (outcome.kind === "returned") (isNothing(outcome.value) ? failed : completed).add(trial.index);
    }
    this.forgetEnded();
    const statuses: TrialStatusMap = new Map();
    if (completed.size > 0) statuses.set(TrialStatus.COMPLETED, completed);
    if (failed.size > 0) statuses.set(TrialStatus.FAILED, failed);
    return statuses;
  }

  /** What the function returned for `trial`, as it returned it; undefined while it runs or when it threw. */
  pollTrialResult(trial: BaseTrial): unknown {
    const outcome = this.evaluationOf(trial)?.outcome;
    return outcome?.kind === "returned" ? outcome.value : undefined;
  }

  /** What the function reported (`context.report`) since the last call, in order. */
  takeProgress(trial: BaseTrial): readonly ProgressRecord[] {
    return this.evaluationOf(trial)?.takeProgress() ?? [];
  }

  /** Why `trial` failed: the error's message, an empty result, or its evaluation lost with its process. */
  pollException(trial: BaseTrial): string | null {
    const evaluation = this.evaluationOf(trial);
    if (evaluation === undefined) return lostReason(trial);
    const outcome = evaluation.outcome;
    if (outcome.kind === "threw") return outcome.message;
    if (outcome.kind === "returned" && isNothing(outcome.value)) {
      return (
        `evaluate returned ${String(outcome.value)} for trial ${trial.index}; it must return the objective's ` +
        "value (a number) or an object of values by metric name, e.g. { loss: 0.25 }."
      );
    }
    return null;
  }

  /**
   * Fires the trial's signal with `reason` and waits up to `stopGraceSeconds` for the function to settle,
   * so that a result it returns when stopped is kept. Returns nothing to add to the run metadata.
   */
  async stop(trial: BaseTrial, reason: string | null): Promise<RunMetadata | undefined> {
    const evaluation = this.evaluationOf(trial);
    if (evaluation === undefined) return undefined;
    evaluation.stopRequested = true;
    if (evaluation.outcome.kind !== "running") return undefined;
    evaluation.abort(reason ?? `Trial ${trial.index} was stopped.`);
    await evaluation.settledWithin(this.stopGraceSeconds * 1000);
    return undefined;
  }

  /**
   * Fires the signal of every evaluation this runner watches that is still running (e.g. after a run
   * timed out or was aborted: the Scheduler leaves its trials RUNNING). Their trials stay RUNNING until
   * the next poll sees how the functions settled. `optimize()` calls it when its run ends that way.
   * @returns how many signals fired.
   */
  abortAll(reason: string): number {
    let n = 0;
    for (const evaluation of this.watched) {
      if (evaluation.outcome.kind !== "running" || evaluation.aborted) continue;
      evaluation.abort(reason);
      n++;
    }
    return n;
  }

  /** -1 (no limit of its own: the Scheduler's parallelism decides). @throws FunctionRunnerError without a function. */
  async pollAvailableCapacity(): Promise<number> {
    this.requireFunction("start trials");
    return -1;
  }

  /** Calls `listener` each time an evaluation settles; returns a function that removes it. */
  onTrialChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      // A run ended: what it finished need not be kept for a next poll.
      this.forgetEnded();
    };
  }

  /** The evaluation of `trial` in this process, now watched by this runner; undefined when none. */
  private evaluationOf(trial: BaseTrial): Evaluation | undefined {
    const evaluation = Evaluation.find(trial);
    if (evaluation === undefined) return undefined;
    // A trial object of a resumed experiment stands for the one the evaluation started with.
    evaluation.trial = trial;
    this.watched.add(evaluation);
    return evaluation;
  }

  /** Forgets evaluations whose trial ended: the Scheduler has what it needs of them. */
  private forgetEnded(): void {
    for (const evaluation of this.watched) {
      if (!evaluation.trial.isTerminal) continue;
      this.watched.delete(evaluation);
      evaluation.forget();
    }
  }

  private requireFunction(what: string): EvaluateFunction {
    if (this.evaluateFn !== null) return this.evaluateFn;
    throw new FunctionRunnerError(
      `This FunctionRunner cannot ${what}: it has no evaluate function. A function cannot be stored, so a ` +
        "FunctionRunner loaded with an experiment is only its stored form; pass the runner when resuming: " +
        "Scheduler.fromStoredExperiment({ experimentName, dbSettings, runner: new FunctionRunner(evaluate) }) " +
        "(or optimize({ ..., evaluate, resume: true })).",
    );
  }
}

function isNothing(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** Why a trial whose evaluation this process does not hold is FAILED. */
function lostReason(trial: BaseTrial): string {
  const { pid, hostname } = trial.runMetadata;
  if (pid === undefined) {
    return (
      `Trial ${trial.index} has no evaluation of a FunctionRunner in its run metadata: it was not started ` +
      "by a FunctionRunner, so a FunctionRunner cannot tell how it ended."
    );
  }
  return (
    `Trial ${trial.index}'s evaluation was lost: it ran in process ${String(pid)} on ${String(hostname)}, ` +
    "which no longer holds it (the process ended, e.g. it crashed or was killed), and a function call " +
    "cannot be re-attached to. Its result is unknown; new trials take its place."
  );
}
