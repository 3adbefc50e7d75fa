import { SchedulerError } from "../errors.js";

/** Arguments of a Scheduler run. */
export interface RunArgs {
  /** Most trials to deploy in this run (new ones and earlier CANDIDATE trials). */
  maxTrials: number;
  /** Stop launching trials after this many hours; default `options.timeoutHours`. */
  timeoutHours?: number | null;
  /** Aborting stops launching trials and returns promptly, leaving running trials RUNNING. */
  signal?: AbortSignal;
}

/**
 * The state of one run: its limits, what it deployed, and why it stopped launching trials.
 * @internal
 */
export class RunState {
  readonly startMs: number;
  readonly maxTrials: number;
  readonly timeoutHours: number | null;
  /** Trials created by this run. */
  readonly added: number[] = [];
  /** Trials this run deployed (or tried to deploy). */
  readonly deployed = new Set<number>();
  timedOut = false;
  aborted = false;
  generationExhausted = false;
  failureRateExceeded = false;
  completionCriterionMet = false;
  /** Whether the next "nothing can be generated now" reason is logged (once per wait, as in Ax). */
  logNoTrialsReason = true;
  private readonly controller = new AbortController();
  private readonly external: AbortSignal | undefined;
  private readonly onExternalAbort = (): void => this.controller.abort();

  constructor(args: RunArgs, defaultTimeoutHours: number | null, nowMs: number) {
    if (!Number.isInteger(args?.maxTrials) || args.maxTrials < 0) {
      throw new SchedulerError(`maxTrials must be an integer >= 0, got ${String(args?.maxTrials)}.`);
    }
    const timeout = args.timeoutHours === undefined ? defaultTimeoutHours : args.timeoutHours;
    if (timeout !== null && (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0)) {
      throw new SchedulerError(`timeoutHours must be a number >= 0 or null, got ${String(timeout)}.`);
    }
    this.maxTrials = args.maxTrials;
    this.timeoutHours = timeout;
    this.startMs = nowMs;
    this.external = args.signal;
    if (this.external?.aborted) this.controller.abort();
    else this.external?.addEventListener("abort", this.onExternalAbort, { once: true });
  }

  /** Aborted by the caller's signal or by `Scheduler.stop()`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Trials this run may still deploy. */
  get remaining(): number {
    return this.maxTrials - this.deployed.size;
  }

  /** Aborts the run (`Scheduler.stop()`). */
  abort(): void {
    this.controller.abort();
  }

  /** Whether the run's timeout has passed at `nowMs`. */
  isTimeoutReached(nowMs: number): boolean {
    return this.timeoutHours !== null && nowMs - this.startMs >= this.timeoutHours * 3_600_000;
  }

  /** Detaches from the caller's signal. */
  dispose(): void {
    this.external?.removeEventListener("abort", this.onExternalAbort);
  }
}
