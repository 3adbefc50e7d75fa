import type { AbortSignalLike } from "./abort-signal.js";

/**
 * Time, injected. The Scheduler and trials read time only through a `Clock`, so tests run the loop in
 * fake time (hours of polling in milliseconds) and production uses the system clock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds, or early (without throwing) when `signal` aborts.
   */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/**
 * A clock for tests. Time moves only when told: `advance(ms)` moves it, and every `sleep(ms)` moves it
 * by `ms` at once (virtual time), so a loop that waits with backoff runs instantly and its waits can be
 * read back from `sleeps`.
 */
export class FakeClock implements Clock {
  private current: number;
  /** Every duration passed to `sleep`, in order. */
  readonly sleeps: number[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }

  async sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return;
    this.current += Math.max(0, ms);
    // Yield to the event loop so concurrently started work can make progress, as with a real timer.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The process-wide default clock. */
export const systemClock: Clock = new SystemClock();
