/** Longest wait between two poll rounds, in seconds (Ax re-checks its stopping criteria every 15 minutes). */
export const MAX_SECONDS_BETWEEN_POLLS = 900;

/**
 * The wait between poll rounds: starts at `initSeconds`, grows by `factor` after every round that
 * changed no trial (up to {@link MAX_SECONDS_BETWEEN_POLLS}), and goes back to `initSeconds` when a
 * trial changes status.
 * @internal
 */
export class PollBackoff {
  private readonly initSeconds: number;
  private readonly factor: number;
  private current: number;

  constructor(initSeconds: number, factor: number) {
    this.initSeconds = initSeconds;
    this.factor = factor;
    this.current = initSeconds;
  }

  /** The next wait, in seconds. */
  get seconds(): number {
    return this.current;
  }

  /** Returns the wait to use now and grows the following one. */
  next(): number {
    const s = this.current;
    this.current = Math.min(
      this.current * this.factor,
      Math.max(MAX_SECONDS_BETWEEN_POLLS, this.initSeconds),
    );
    return s;
  }

  /** Back to the initial wait (a trial changed status). */
  reset(): void {
    this.current = this.initSeconds;
  }
}
