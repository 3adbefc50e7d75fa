/** What {@link handleInterrupts} returns. */
export interface Interrupts {
  /** The signal received first, once there was one. */
  readonly received: NodeJS.Signals | null;
  /** Removes the handlers. */
  dispose(): void;
}

/** What to do on the first signal, and before the process ends on a second one. */
export interface InterruptHooks {
  /** The first signal: stop launching trials (abort the run, or let running trials finish). */
  onFirst(signal: NodeJS.Signals): void;
  /** The second signal, just before the process ends by it (restore the terminal, say how to resume). */
  onSecond(signal: NodeJS.Signals): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/**
 * Ctrl-C (SIGINT) and SIGTERM for a running command: the first calls `onFirst`; a second one ends the
 * process at once, by that same signal (so that the shell sees an interrupted process). Ending at once
 * is safe for the store: every save is one transaction, which either committed or left nothing behind.
 * @example
 * const interrupts = handleInterrupts({ onFirst: () => controller.abort(), onSecond: () => {} });
 * try { await scheduler.runNTrials({ maxTrials: 10, signal: controller.signal }); } finally { interrupts.dispose(); }
 */
export function handleInterrupts(hooks: InterruptHooks): Interrupts {
  let received: NodeJS.Signals | null = null;
  const dispose = (): void => {
    for (const s of SIGNALS) process.removeListener(s, handler);
  };
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== null) {
      hooks.onSecond(signal);
      dispose();
      process.kill(process.pid, signal);
      return;
    }
    received = signal;
    hooks.onFirst(signal);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    get received() {
      return received;
    },
    dispose,
  };
}
