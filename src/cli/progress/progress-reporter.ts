import type { ProgressEvent, ProgressSnapshot } from "./progress-event.js";

/** How much a command prints while it runs. */
export type Verbosity = "quiet" | "normal" | "verbose";

/**
 * Shows a run's progress: a live display on a terminal ({@link LiveDisplay}) or one line per event
 * elsewhere ({@link PlainReporter}), so that logs of CI jobs and files stay readable.
 */
export interface ProgressReporter {
  /** Whether the display changes with time alone (elapsed time), so it wants {@link refresh} calls. */
  readonly live: boolean;
  /** Reports what happened since the last call, and where the run stands now. */
  report(events: readonly ProgressEvent[], snapshot: ProgressSnapshot): void;
  /** Redraws with the time passed (a no-op for plain lines). */
  refresh(snapshot: ProgressSnapshot): void;
  /** Prints a line that stays (a notice, a log line), above the live display when there is one. */
  message(line: string): void;
  /** Ends the display: the live lines are erased, printed lines stay. Idempotent. */
  close(): void;
}
