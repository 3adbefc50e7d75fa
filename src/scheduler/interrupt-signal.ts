import type { AbortSignalLike } from "../util/abort-signal.js";

/**
 * Process signals that can ask a run to stop. Named here rather than through `NodeJS.Signals`, so that
 * Ascent's type declarations compile without `@types/node`.
 */
export type InterruptSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT" | "SIGBREAK" | "SIGUSR2";

/** What {@link abortOnInterrupt} returns. */
export interface InterruptHandle {
  /** Aborts on the first Ctrl-C (SIGINT) or SIGTERM. */
  readonly signal: AbortSignalLike;
  /** Removes the handlers; call it when the run is over. */
  dispose(): void;
}

/**
 * Turns Ctrl-C into a graceful stop: pass `signal` to `runNTrials` / `runAllTrials`, and the first
 * SIGINT or SIGTERM makes the Scheduler stop launching trials and return, leaving running trials RUNNING
 * in the record (a later run picks them up). A second interrupt exits at once, as Ctrl-C normally does.
 * The library never installs process handlers by itself; this is opt-in.
 * @example
 * const interrupt = abortOnInterrupt();
 * try { await scheduler.runAllTrials({ signal: interrupt.signal }); } finally { interrupt.dispose(); }
 */
export function abortOnInterrupt(
  options: { signals?: readonly InterruptSignal[]; onInterrupt?: (signal: InterruptSignal) => void } = {},
): InterruptHandle {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  const controller = new AbortController();
  const handler = (received: InterruptSignal): void => {
    if (controller.signal.aborted) {
      dispose();
      process.kill(process.pid, received);
      return;
    }
    options.onInterrupt?.(received);
    controller.abort(new Error(`Interrupted by ${received}`));
  };
  const dispose = (): void => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return { signal: controller.signal, dispose };
}
