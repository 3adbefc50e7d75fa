import type { BaseTrial, RunMetadata } from "./base-trial.js";
import type { ProgressRecord } from "./progress-record.js";
import type { TrialStatus } from "./trial-status.js";

/** Trial indices by status, as status polling returns them. */
export type TrialStatusMap = Map<TrialStatus, Set<number>>;

/**
 * Deploys trials to the system that evaluates them. Subclass it and implement `run(trial)`, which starts
 * the evaluation and returns run metadata (e.g. a job id) that is kept as `trial.runMetadata`.
 * Optional capabilities are separate interfaces: {@link TrialStatusPoller} (the runner can report trial
 * statuses), {@link TrialStopper}, {@link CapacityReporter} and {@link MultiTrialRunner}.
 */
export abstract class Runner {
  /** Starts evaluating `trial`; returns its run metadata. */
  abstract run(trial: BaseTrial): Promise<RunMetadata>;
}

/** A runner that can report the status of trials in its system. */
export interface TrialStatusPoller {
  pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap>;
}

/** A runner that can stop a running trial. */
export interface TrialStopper {
  stop(trial: BaseTrial, reason: string | null): Promise<RunMetadata | undefined>;
}

/** A runner that knows how many more trials its system can take right now. */
export interface CapacityReporter {
  /** Number of trials that can start now; -1 for unlimited. */
  pollAvailableCapacity(): Promise<number>;
}

/** A runner that deploys several trials in one call (used with `runTrialsInBatches`). */
export interface MultiTrialRunner {
  runMultiple(trials: readonly BaseTrial[]): Promise<Map<number, RunMetadata>>;
}

/**
 * A runner that can tell why a trial failed or was abandoned (Ax's `poll_exception`): asked after a poll
 * reports the trial FAILED or ABANDONED; the reason is kept as the trial's `failureReason` and stored.
 */
export interface TrialFailureReporter {
  /** Why `trial` ended FAILED or ABANDONED (e.g. the job's exit message), or null when unknown. */
  pollException(trial: BaseTrial): Promise<string | null> | string | null;
}

export function isTrialStatusPoller(runner: unknown): runner is TrialStatusPoller {
  return typeof (runner as Partial<TrialStatusPoller> | null)?.pollTrialStatus === "function";
}
export function isTrialStopper(runner: unknown): runner is TrialStopper {
  return typeof (runner as Partial<TrialStopper> | null)?.stop === "function";
}
export function isCapacityReporter(runner: unknown): runner is CapacityReporter {
  return typeof (runner as Partial<CapacityReporter> | null)?.pollAvailableCapacity === "function";
}
export function isMultiTrialRunner(runner: unknown): runner is MultiTrialRunner {
  return typeof (runner as Partial<MultiTrialRunner> | null)?.runMultiple === "function";
}
export function isTrialFailureReporter(runner: unknown): runner is TrialFailureReporter {
  return typeof (runner as Partial<TrialFailureReporter> | null)?.pollException === "function";
}

/**
 * A runner that evaluates trials itself and knows each one's result (the built-in function, command and
 * queue runners). After a poll reports a trial COMPLETED or EARLY_STOPPED, the Scheduler asks for its
 * result and keeps it in the trial's run metadata under `result` (saved in the same transaction as the
 * status change), where {@link ResultMetric} reads it. A result is a number (the single objective) or an
 * object `{ metricName: number | [mean, sem] | { mean, sem } }`.
 */
export interface TrialResultReporter {
  /** The result of `trial`, which the last poll reported finished; null or undefined when there is none. */
  pollTrialResult(trial: BaseTrial): Promise<unknown> | unknown;
}

/**
 * A runner that can tell the Scheduler at once when a trial may have changed status, so the loop polls
 * then instead of waiting out `initSecondsBetweenPolls` (the interval stays the longest wait). Events are
 * hints: the Scheduler still learns statuses only from `pollTrialStatus`.
 */
export interface TrialChangeNotifier {
  /** Calls `listener` whenever a trial may have changed status; returns a function that removes it. */
  onTrialChange(listener: () => void): () => void;
}

export function isTrialResultReporter(runner: unknown): runner is TrialResultReporter {
  return typeof (runner as Partial<TrialResultReporter> | null)?.pollTrialResult === "function";
}
export function isTrialChangeNotifier(runner: unknown): runner is TrialChangeNotifier {
  return typeof (runner as Partial<TrialChangeNotifier> | null)?.onTrialChange === "function";
}

/**
 * A runner whose trials report progress while they run (values at steps or epochs: a learning curve).
 * The Scheduler takes the new records of each RUNNING trial at every poll round (and once more as a trial
 * ends), stores each value as a data row with its progression (append-only: the trial itself is not
 * rewritten), and an early-stopping strategy then reads the trials' curves. Records a resumed Scheduler
 * already stored are skipped, so a source may hand the same records again after a restart.
 */
export interface ProgressSource {
  /**
   * The progress records of `trial` reported since the last call, in the order reported; empty when none.
   * Each call hands records over once: the source may forget them.
   */
  takeProgress(trial: BaseTrial): Promise<readonly ProgressRecord[]> | readonly ProgressRecord[];
}

export function isProgressSource(runner: unknown): runner is ProgressSource {
  return typeof (runner as Partial<ProgressSource> | null)?.takeProgress === "function";
}
