import type { Runner } from "../core/runner.js";
import { isTrialChangeNotifier } from "../core/runner.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import type { Clock } from "../util/clock.js";

/**
 * Cuts the loop's waits short when the runner says a trial may have changed (a `TrialChangeNotifier`):
 * the poll interval stays the longest wait, but a runner that knows at once when a trial finished gets
 * it polled at once, which is what lets an in-process or queue runner go through hundreds of trials a
 * second. A change heard while polling makes the next wait return at once, so none is missed.
 * @internal
 */
export class TrialChangeWake {
  private changed = false;
  private waiting: (() => void) | null = null;
  private readonly unsubscribe: () => void;

  constructor(runner: Runner | null) {
    this.unsubscribe = isTrialChangeNotifier(runner)
      ? runner.onTrialChange(() => this.onChange())
      : () => undefined;
  }

  /** A poll starts: it sees every change so far. */
  beforePoll(): void {
    this.changed = false;
  }

  /** Sleeps `ms` on `clock`, or less when `signal` aborts or a trial changes. */
  async sleep(clock: Clock, ms: number, signal: AbortSignalLike): Promise<void> {
    if (this.changed || signal.aborted) return;
    const cut = new AbortController();
    const onAbort = (): void => cut.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    this.waiting = onAbort;
    try {
      await clock.sleep(ms, cut.signal);
    } finally {
      this.waiting = null;
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Stops listening to the runner (the run ended). */
  dispose(): void {
    this.unsubscribe();
  }

  private onChange(): void {
    this.changed = true;
    this.waiting?.();
  }
}
