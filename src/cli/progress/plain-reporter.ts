import { formatBest, formatParameters, formatValues } from "./format.js";
import type { ProgressEvent, ProgressSnapshot } from "./progress-event.js";
import type { ProgressReporter, Verbosity } from "./progress-reporter.js";

/**
 * One plain line per event (trial started, completed, failed, best improved), for output that is not a
 * terminal: CI logs and files read top to bottom, without control characters. Quiet prints no events.
 * @example
 * trial 3 started (Sobol): threads=8, cacheMb=512
 * trial 3 completed: p99Ms = 12.5 (4/30 done, 2 running, 0 failed)
 * best so far: p99Ms = 12.5 (trial 3: threads=8, cacheMb=512)
 */
export class PlainReporter implements ProgressReporter {
  readonly live = false;

  /** @param write prints one line. */
  constructor(
    private readonly write: (line: string) => void,
    private readonly verbosity: Verbosity = "normal",
  ) {}

  report(events: readonly ProgressEvent[], snapshot: ProgressSnapshot): void {
    if (this.verbosity === "quiet") return;
    for (const event of events) this.write(describeEvent(event, snapshot));
  }

  refresh(): void {}

  message(line: string): void {
    this.write(line);
  }

  close(): void {}
}

/** One event as a line; a trial's end carries the counts after it. */
export function describeEvent(event: ProgressEvent, snapshot: ProgressSnapshot): string {
  switch (event.kind) {
    case "started":
      return `trial ${event.trialIndex} started${event.generator ? ` (${event.generator})` : ""}: ${formatParameters(event.parameters)}`;
    case "completed":
      return `trial ${event.trialIndex} completed: ${formatValues(event.values)} (${counts(snapshot)})`;
    case "failed": {
      const what = event.status === "EARLY_STOPPED" ? "stopped early" : event.status.toLowerCase();
      const reason = event.reason ? `: ${event.reason}` : "";
      return `trial ${event.trialIndex} ${what}${reason} (${counts(snapshot)})`;
    }
    case "best":
      return `best so far: ${formatBest(event.best)}`;
  }
}

/** `4/30 done, 2 running, 0 failed`. */
export function counts(snapshot: ProgressSnapshot): string {
  const of = snapshot.total === null ? "" : `/${snapshot.total}`;
  return `${snapshot.done}${of} done, ${snapshot.running} running, ${snapshot.failed} failed`;
}
