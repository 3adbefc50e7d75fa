import { UserCallInterruptedError, UserCallTimeoutError } from "../errors.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import type { Clock } from "../util/clock.js";

/**
 * Event-loop turns a call gets to settle before its timer starts. A fake clock's `sleep` moves time at
 * once, so starting the timer only for calls still pending after a few turns keeps calls that settle
 * promptly from moving fake time (or timing out); with the system clock the delay is negligible.
 */
const TURNS_BEFORE_TIMER = 10;

/** Options of {@link boundedCall}. */
export interface BoundedCallOptions {
  /** What is called, as a message names it: `Runner.run of trial 3`, `reportResults`. */
  readonly operation: string;
  /** The clock the timeout is measured on. */
  readonly clock: Clock;
  /** Longest wait in seconds; null for no limit. */
  readonly timeoutSeconds: number | null;
  /**
   * The run's signal: aborting it while the call is pending ends the wait. A call that starts after the
   * abort (the final report) is bounded by the timeout alone.
   */
  readonly signal?: AbortSignalLike | null;
  /** Trial the call is about, for the error's fields. */
  readonly trialIndex?: number;
}

/**
 * Calls user code and waits for it at most `timeoutSeconds` (by `clock`), or until `signal` aborts. The
 * call itself cannot be cancelled (JavaScript has no way to), but the Scheduler stops waiting for it;
 * what it settles with later is ignored.
 * @throws UserCallTimeoutError when the time limit passed; UserCallInterruptedError when the signal
 * aborted first; otherwise whatever the call threw.
 * @internal
 */
export function boundedCall<T>(fn: () => T | Promise<T>, options: BoundedCallOptions): Promise<T> {
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (error) {
    return Promise.reject(error);
  }
  // A call that returned a plain value has settled already: there is nothing to wait for or bound.
  if (!isThenable(result)) return Promise.resolve(result);
  const promise = Promise.resolve(result);
  const signal = options.signal && !options.signal.aborted ? options.signal : null;
  if (options.timeoutSeconds === null && signal === null) return promise;
  return new Promise<T>((resolve, reject) => {
    // A plain flag rather than an AbortController per call: calls that settle promptly (nearly all) then
    // cost no controller and no abort event; the timer makes a controller only if it has to sleep.
    const timer: TimerState = { settled: false, cancel: null };
    const settle = (finish: () => void): void => {
      if (timer.settled) return;
      timer.settled = true;
      timer.cancel?.();
      signal?.removeEventListener("abort", onAbort);
      finish();
    };
    const onAbort = (): void => settle(() => reject(interruptedError(options)));
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
    const seconds = options.timeoutSeconds;
    if (seconds !== null) {
      void runTimer(options.clock, seconds * 1000, timer).then((fired) => {
        if (fired) settle(() => reject(timeoutError(options, seconds)));
      });
    }
  });
}

/** Whether the call settled, and how to cut the timer's sleep short once it does. */
interface TimerState {
  settled: boolean;
  cancel: (() => void) | null;
}

/** Resolves true once `ms` passed on `clock` (after a few event-loop turns), false when the call settled. */
async function runTimer(clock: Clock, ms: number, timer: TimerState): Promise<boolean> {
  for (let turn = 0; turn < TURNS_BEFORE_TIMER; turn++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (timer.settled) return false;
  }
  const cancelled = new AbortController();
  timer.cancel = () => cancelled.abort();
  await clock.sleep(ms, cancelled.signal);
  return !timer.settled;
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function timeoutError(options: BoundedCallOptions, seconds: number): UserCallTimeoutError {
  return new UserCallTimeoutError(
    `${options.operation} did not settle within ${seconds} seconds (userCallTimeoutSeconds), so the Scheduler ` +
      "stopped waiting and counts it as a failure of that call. Make it return sooner (start long work and " +
      "return; report progress through polling), or raise SchedulerOptions.userCallTimeoutSeconds (null for no limit).",
    {
      operation: options.operation,
      timeoutSeconds: seconds,
      ...(options.trialIndex === undefined ? {} : { trialIndex: options.trialIndex }),
    },
  );
}

function interruptedError(options: BoundedCallOptions): UserCallInterruptedError {
  return new UserCallInterruptedError(
    `${options.operation} was still pending when the run was aborted (stop() or its AbortSignal); the ` +
      "Scheduler stopped waiting for it. Whatever it does later is ignored.",
    {
      operation: options.operation,
      ...(options.trialIndex === undefined ? {} : { trialIndex: options.trialIndex }),
    },
  );
}
