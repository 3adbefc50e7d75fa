import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { BaseTrial, RunMetadata } from "../../core/base-trial.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { type ProgressRecord, progressRecordFromReport } from "../../core/progress-record.js";
import { ProgressReportError } from "../../errors.js";
import type { EvaluateFunction } from "./evaluate-function.js";

/** Run-metadata key of the id that finds a trial's evaluation in this process. */
export const EVALUATION_ID_KEY = "evaluationId";

/** How an evaluation ended, or that it has not yet. */
export type EvaluationOutcome =
  | { readonly kind: "running" }
  /** The function returned (or its promise resolved with) `value`, kept as it was. */
  | { readonly kind: "returned"; readonly value: unknown }
  /** The function threw (or its promise rejected); `message` says what with. */
  | { readonly kind: "threw"; readonly message: string };

const RUNNING: EvaluationOutcome = Object.freeze({ kind: "running" });

/**
 * Evaluations started in this process and not forgotten yet, by id. Process-wide rather than per runner,
 * so that a Scheduler resumed in the same process with a new `FunctionRunner` (after `stop()`, a timeout,
 * or a failed run) finds the evaluations the earlier runner started instead of declaring them lost.
 */
const inProcess = new Map<string, Evaluation>();

/** This process, as run metadata names it (for the message when another process's evaluation is lost). */
const PROCESS = { pid: process.pid, hostname: hostname() };

/**
 * One call of an evaluate function for one trial: its abort controller and its outcome. Settling calls
 * `onSettle` once (the runner tells the Scheduler a trial may have changed).
 * @internal
 */
export class Evaluation {
  readonly id = randomUUID();
  /** Made when the function first reads its signal, or when it is aborted: most functions never read it. */
  private controller: AbortController | null = null;
  /** The trial object it was last polled or stopped for; once that trial ended, it is forgotten. */
  trial: BaseTrial;
  /**
   * The Scheduler stopped the trial (`stop`): it gives the trial its status itself, so polls leave the
   * trial out rather than race it with an outcome the stop itself provoked.
   */
  stopRequested = false;
  private current: EvaluationOutcome = RUNNING;
  /** Progress reported and not yet taken by the Scheduler. */
  private progress: ProgressRecord[] = [];
  private readonly onSettle: () => void;
  private waiters: (() => void)[] = [];

  private constructor(trial: BaseTrial, onSettle: () => void) {
    this.trial = trial;
    this.onSettle = onSettle;
  }

  /**
   * Calls `evaluate` for `trial` (synchronously: a synchronous function has finished when this returns)
   * and keeps its outcome; the evaluation is findable in this process by its id until forgotten.
   */
  static start(
    evaluate: EvaluateFunction,
    trial: BaseTrial,
    parameters: Parameterization,
    onSettle: () => void,
  ): Evaluation {
    const evaluation = new Evaluation(trial, onSettle);
    inProcess.set(evaluation.id, evaluation);
    const context = {
      trialIndex: trial.index,
      experimentName: trial.experimentName,
      get signal(): AbortSignal {
        return evaluation.signal;
      },
      report: (report: unknown): Promise<boolean> => evaluation.report(report),
    };
    let out: unknown;
    try {
      out = evaluate({ ...parameters }, context);
    } catch (error) {
      evaluation.settle({ kind: "threw", message: evaluation.describe(error) });
      return evaluation;
    }
    if (isThenable(out)) {
      out.then(
        (value) => evaluation.settle({ kind: "returned", value }),
        (error: unknown) => evaluation.settle({ kind: "threw", message: evaluation.describe(error) }),
      );
    } else evaluation.settle({ kind: "returned", value: out });
    return evaluation;
  }

  /** The evaluation of `trial` started in this process (by the id in its run metadata), if any. */
  static find(trial: BaseTrial): Evaluation | undefined {
    const id = trial.runMetadata[EVALUATION_ID_KEY];
    return typeof id === "string" ? inProcess.get(id) : undefined;
  }

  /** Where the evaluation runs, as kept in the trial's run metadata. */
  get runMetadata(): RunMetadata {
    return { [EVALUATION_ID_KEY]: this.id, pid: PROCESS.pid, hostname: PROCESS.hostname };
  }

  get outcome(): EvaluationOutcome {
    return this.current;
  }

  /** The signal the function is given. */
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  /** Whether the signal fired. */
  get aborted(): boolean {
    return this.controller?.signal.aborted ?? false;
  }

  /** Fires the signal with an AbortError whose message is `reason` (what `signal.reason` then holds). */
  abort(reason: string): void {
    if (this.aborted) return;
    const error = new Error(reason);
    error.name = "AbortError";
    this.controller ??= new AbortController();
    this.controller.abort(error);
  }

  /** Resolves once the evaluation settled, or after `ms` (whichever comes first); never rejects. */
  settledWithin(ms: number): Promise<void> {
    if (this.current.kind !== "running" || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      // A function that never settles must not keep the process alive for its grace period.
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  /**
   * Keeps a progress report for the Scheduler to take; resolves to whether the trial has been asked to
   * stop (its signal fired). Reports after the evaluation settled are dropped.
   * @throws ProgressReportError (as a rejection) for a malformed report.
   */
  report(report: unknown): Promise<boolean> {
    const record = progressRecordFromReport(report);
    if (typeof record === "string") {
      return Promise.reject(
        new ProgressReportError(`Trial ${this.trial.index}: ${record}.`, { trialIndex: this.trial.index }),
      );
    }
    if (this.current.kind === "running") this.progress.push(record);
    return Promise.resolve(this.stopRequested || this.aborted);
  }

  /** The progress reported since the last call, in order. */
  takeProgress(): ProgressRecord[] {
    const taken = this.progress;
    this.progress = [];
    return taken;
  }

  /** Drops it from the process's evaluations (its trial ended: nobody will ask again). */
  forget(): void {
    inProcess.delete(this.id);
  }

  private settle(outcome: EvaluationOutcome): void {
    if (this.current.kind !== "running") return;
    this.current = outcome;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
    this.onSettle();
  }

  /**
   * What an evaluation threw, as a failure reason: the error's message (with its class name unless it is
   * a plain Error), and the abort reason when the signal had fired and the error is not that reason.
   */
  private describe(error: unknown): string {
    if (!this.aborted) return describeError(error);
    const reason = this.signal.reason as Error;
    if (error === reason) return reason.message;
    return `${describeError(error)} (after its signal fired: ${reason.message})`;
  }
}

/** An error's message, with its class name unless it is a plain Error; a non-Error as its `String`. */
function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error) {
    text = error.name === "Error" || error.name === "" ? error.message : `${error.name}: ${error.message}`;
  } else text = String(error);
  if (text !== "") return text;
  return `${error instanceof Error ? error.name || "Error" : typeof error} without a message`;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
