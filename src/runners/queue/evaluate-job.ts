import type { Parameterization } from "../../core/parameter-type.js";
import { type ProgressRecord, progressRecordFromReport } from "../../core/progress-record.js";
import { ProgressReportError } from "../../errors.js";
import type { PlatformAbortSignal } from "../../util/abort-signal.js";
import { type CommandOptions, executeCommandTrial, trialDirectory } from "../command/index.js";
import type { EvaluationContext, EvaluationResult } from "../function/index.js";

/** One job as a worker evaluates it. */
export interface WorkerJob {
  readonly jobId: string;
  readonly experimentName: string;
  readonly trialIndex: number;
  readonly parameters: Parameterization;
  /** Seconds the evaluation may take; null for no limit. */
  readonly timeoutSeconds: number | null;
  /** 1 for the first evaluation of the job, 2 for its first retry, ... */
  readonly attempt: number;
}

/**
 * Reports progress of a job's evaluation (see `EvaluationContext.report`); resolves to whether the job
 * has been asked to stop.
 */
export type JobProgressReporter = (report: unknown) => Promise<boolean>;

/**
 * Evaluates one job: resolves to its result (a number or `{ metric: value }`), rejects with an Error
 * whose message is the failure reason. `signal` fires when the job is stopped, discarded, timed out or
 * handed back at shutdown; the evaluation should end soon after. `report` delivers progress.
 */
export type JobEvaluator = (
  job: WorkerJob,
  signal: PlatformAbortSignal,
  report: JobProgressReporter,
) => Promise<unknown>;

/** What a worker's evaluate function is told: a FunctionRunner's context, and the attempt. */
export interface QueueEvaluationContext extends EvaluationContext {
  /** 1 for the first evaluation of the trial, 2 for its first retry, ... */
  readonly attempt: number;
}

/**
 * A worker's evaluate function: a FunctionRunner's (any `EvaluateFunction` fits), whose context also
 * tells the attempt.
 */
export type QueueEvaluateFunction = (
  parameters: Parameterization,
  context: QueueEvaluationContext,
) => EvaluationResult | PromiseLike<EvaluationResult>;

/**
 * The module form: calls `evaluate(parameters, ctx)` as a FunctionRunner does (a number or a result
 * object; a throw is the failure reason).
 */
export function functionEvaluator(evaluate: QueueEvaluateFunction): JobEvaluator {
  return async (job, signal, report) => {
    const context: QueueEvaluationContext = {
      trialIndex: job.trialIndex,
      experimentName: job.experimentName,
      signal,
      attempt: job.attempt,
      report,
    };
    return evaluate({ ...job.parameters }, context);
  };
}

/** The command form's options: how to run the command, and where trial directories go. */
export interface WorkerCommandOptions extends CommandOptions {
  /** Root of the trial directories (`<workDir>/<experiment>/<trial>`). Default `./ascent-trials`. */
  readonly workDir?: string;
}

/**
 * The command form: runs one process per job with exactly CommandRunner's rules (placeholders, ASCENT_*
 * environment, trial directory, result parsing, progress lines in `$ASCENT_PROGRESS_FILE`, killing the
 * process group on abort or timeout). `warn` receives what is wrong with a malformed progress line.
 */
export function commandEvaluator(
  options: WorkerCommandOptions,
  warn: (line: string) => void = () => undefined,
): JobEvaluator {
  const { workDir = "ascent-trials", ...command } = options;
  return async (job, signal, report) => {
    const outcome = await executeCommandTrial({
      // The job's own limit (the runner's jobTimeoutSeconds) is enforced around every evaluator; this one
      // is the worker's.
      ...command,
      trialDir: trialDirectory(workDir, job.experimentName, job.trialIndex),
      parameters: job.parameters,
      trialIndex: job.trialIndex,
      experimentName: job.experimentName,
      signal,
      // Each record is checked again by report and delivered in order; a failed delivery is logged there.
      onProgress: (records) => {
        for (const record of records) report(record).catch(() => undefined);
      },
      onMalformedProgress: (line, why) =>
        warn(`Trial ${job.trialIndex}: skipping line ${line} of its progress file: ${why}.`),
    });
    if (outcome.status === "FAILED") throw new Error(outcome.reason);
    return outcome.result;
  };
}

/** Why an evaluation was aborted, as the worker decided it. */
export type AbortKind = "stop" | "discard" | "shutdown" | "lockLost" | "timeout";

/** An evaluation's abort: why, and the reason to report. */
export interface EvaluationAbort {
  readonly kind: AbortKind;
  readonly reason: string;
}

/**
 * A running evaluation: its signal fires when {@link RunningEvaluation.abort} is called or its time limit
 * passes, and {@link RunningEvaluation.result} then rejects at once (an evaluate function that ignores the
 * signal does not hold its worker slot).
 */
export class RunningEvaluation {
  private readonly controller = new AbortController();
  private aborted: EvaluationAbort | null = null;
  private rejectNow: ((error: Error) => void) | null = null;

  /**
   * Starts `evaluator` on `job`; `deliver` sends each checked progress record on (to Redis), and is not
   * called once the evaluation was aborted.
   */
  constructor(
    private readonly evaluator: JobEvaluator,
    private readonly job: WorkerJob,
    private readonly deliver: (record: ProgressRecord) => Promise<void> = async () => undefined,
  ) {}

  /**
   * The evaluation's `report`: checks the report, delivers it, and resolves to whether the job was
   * asked to stop (or otherwise aborted).
   * @throws ProgressReportError (as a rejection) for a malformed report.
   */
  readonly report = async (report: unknown): Promise<boolean> => {
    const record = progressRecordFromReport(report);
    if (typeof record === "string") {
      throw new ProgressReportError(`Trial ${this.job.trialIndex}: ${record}.`, {
        trialIndex: this.job.trialIndex,
      });
    }
    if (this.aborted === null) await this.deliver(record);
    return this.aborted !== null;
  };

  /** Why it was aborted, or null. */
  get abortedAs(): EvaluationAbort | null {
    return this.aborted;
  }

  /** Aborts the evaluation (the first abort wins). */
  abort(abort: EvaluationAbort): void {
    if (this.aborted !== null) return;
    this.aborted = abort;
    const error = new Error(abort.reason);
    error.name = "AbortError";
    this.controller.abort(error);
    this.rejectNow?.(error);
  }

  /** The evaluation's result; rejects with the failure, or at once on abort or timeout. */
  async result(): Promise<unknown> {
    const { timeoutSeconds } = this.job;
    const timer =
      timeoutSeconds === null
        ? undefined
        : setTimeout(
            () => this.abort({ kind: "timeout", reason: `timed out after ${timeoutSeconds} s` }),
            timeoutSeconds * 1000,
          );
    const interrupted = new Promise<never>((_, reject) => {
      this.rejectNow = reject;
    });
    if (this.aborted !== null) this.rejectNow?.(new Error(this.aborted.reason));
    try {
      const evaluation = Promise.resolve().then(() =>
        this.evaluator(this.job, this.controller.signal, this.report),
      );
      // An evaluation still going when the race is lost must not become an unhandled rejection.
      evaluation.catch(() => undefined);
      return await Promise.race([evaluation, interrupted]);
    } finally {
      clearTimeout(timer);
      this.rejectNow = null;
    }
  }
}
