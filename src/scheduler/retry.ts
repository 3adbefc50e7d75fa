import { SchedulerError, UserCallInterruptedError, UserCallTimeoutError } from "../errors.js";
import type { AbortSignalLike } from "../util/abort-signal.js";
import type { Clock } from "../util/clock.js";

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Total attempts, at least 1 (Ax retries user calls 3 times). */
  attempts: number;
  /** Source of the waits between attempts. */
  clock: Clock;
  /** Wait before the second attempt, in ms; doubled before each further attempt. */
  initialDelayMs: number;
  /** Stops retrying (the last error is thrown) once aborted. */
  signal?: AbortSignalLike;
  /** Called after a failed attempt that will be retried. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/** Attempts made for calls into user code (run, poll, capacity, stop). */
export const USER_CODE_ATTEMPTS = 3;
/** First wait between attempts of user code, in ms. */
export const USER_CODE_RETRY_DELAY_MS = 100;

/**
 * Calls `fn` until it succeeds or `attempts` are used up, waiting through the clock in between
 * (100 ms, 200 ms, ... by default). A `SchedulerError` is a contract violation and is not retried;
 * neither is a call that timed out or was interrupted.
 * @throws the last error when every attempt failed.
 * @internal
 */
export async function withRetries<T>(fn: () => T | Promise<T>, options: RetryOptions): Promise<T> {
  let delay = options.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const last = attempt >= options.attempts || options.signal?.aborted === true;
      // A call that hung for its whole time limit, or was interrupted by an abort, is not tried again.
      const final =
        error instanceof SchedulerError ||
        error instanceof UserCallTimeoutError ||
        error instanceof UserCallInterruptedError;
      if (last || final) throw error;
      options.onRetry?.(error, attempt);
      await options.clock.sleep(delay, options.signal);
      delay *= 2;
    }
  }
}

/** Options of {@link retryUntil}. */
export interface RetryUntilOptions {
  clock: Clock;
  /** Clock time (ms) after which no new attempt starts; the last error is thrown. */
  deadlineMs: number;
  /** Wait before the second attempt, in ms; doubled before each further one, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Whether an error is worth retrying; others are thrown at once. */
  isRetryable: (error: unknown) => boolean;
  /** Called after a failed attempt that will be retried. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Calls `fn` until it succeeds or the deadline passes, with capped exponential backoff through the clock:
 * for outages of a store, where the number of attempts matters less than the time waited.
 * @throws the last error once the deadline passed, or at once an error that is not retryable.
 * @internal
 */
export async function retryUntil<T>(fn: () => Promise<T>, options: RetryUntilOptions): Promise<T> {
  let delay = options.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const remaining = options.deadlineMs - options.clock.now();
      if (!options.isRetryable(error) || remaining <= 0) throw error;
      options.onRetry?.(error, attempt);
      await options.clock.sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, options.maxDelayMs);
    }
  }
}
