import { type CompletionDecision, Scheduler } from "../../scheduler/scheduler.js";

/**
 * The Scheduler the `ascent` commands run: the library's Scheduler, plus a stop that lets running trials
 * finish. {@link CliScheduler.requestStop} makes the completion criterion hold, so the loop launches no
 * more trials and waits for the running ones (as when the total is reached), unlike `stop()`, which
 * returns at once and leaves them running.
 */
export class CliScheduler extends Scheduler {
  private stopMessage: string | null = null;

  /**
   * Launch no more trials; running ones finish. Idempotent (the first message is kept).
   * @param message why, as the run's summary says it.
   */
  requestStop(message: string): void {
    this.stopMessage ??= message;
  }

  /** Whether {@link requestStop} was called. */
  get stopRequested(): boolean {
    return this.stopMessage !== null;
  }

  /** Holds once a stop was requested; otherwise the library's criterion (the total reached). */
  override completionCriterion(): CompletionDecision {
    if (this.stopMessage !== null) return { shouldStop: true, message: this.stopMessage };
    return super.completionCriterion();
  }
}
