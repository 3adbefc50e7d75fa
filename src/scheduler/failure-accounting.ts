import { FailureRateExceededError } from "../errors.js";
import { formatPythonNumber } from "./format.js";

/** Why a trial this scheduler ran ended FAILED or ABANDONED. */
export type FailureKind = "run" | "fetch";

/** One failure, as quoted in a {@link FailureRateExceededError}. */
export interface TrialFailure {
  readonly trialIndex: number;
  readonly kind: FailureKind;
  readonly message: string;
}

/** Failures quoted in the error message. */
const QUOTED = 3;

/**
 * Counts, among the trials this scheduler deployed, those that failed or were abandoned, and why:
 * "run" (the runner's `run` threw, polling reported FAILED/ABANDONED or threw, the TTL expired) or
 * "fetch" (an objective or constraint metric could not be fetched). Costs O(1) per event.
 * @internal
 */
export class FailureAccounting {
  private readonly ran = new Set<number>();
  private readonly failed = new Map<number, TrialFailure>();
  private numFetch = 0;
  private readonly tolerated: number;
  private readonly minFailed: number;

  constructor(options: { toleratedTrialFailureRate: number; minFailedTrialsForFailureRateCheck: number }) {
    this.tolerated = options.toleratedTrialFailureRate;
    this.minFailed = options.minFailedTrialsForFailureRateCheck;
  }

  /** Number of trials this scheduler deployed. */
  get numRan(): number {
    return this.ran.size;
  }

  /** Number of those that failed or were abandoned. */
  get numFailed(): number {
    return this.failed.size;
  }

  /** Records that this scheduler deployed (or tried to deploy) trial `index`. */
  recordRan(index: number): void {
    this.ran.add(index);
  }

  /** Records that a trial this scheduler ran failed; a trial counts once, and only if this scheduler ran it. */
  recordFailure(index: number, kind: FailureKind, message: string): void {
    if (!this.ran.has(index) || this.failed.has(index)) return;
    this.failed.set(index, { trialIndex: index, kind, message });
    if (kind === "fetch") this.numFetch++;
  }

  /**
   * Whether the tolerated failure rate is exceeded. Without `force`, only once at least
   * `minFailedTrialsForFailureRateCheck` trials failed; with `force` (Ax's end-of-run check), as soon as
   * one did.
   */
  isExceeded(force = false): boolean {
    const n = this.failed.size;
    if (n === 0 || (!force && n < this.minFailed)) return false;
    return n / Math.max(1, this.ran.size) > this.tolerated;
  }

  /** The error to throw once {@link isExceeded}: counts, what failed (running or fetching) and the first messages. */
  toError(): FailureRateExceededError {
    const numFailed = this.failed.size;
    const numRan = this.ran.size;
    const numRun = numFailed - this.numFetch;
    const failureKind = this.numFetch === 0 ? "run" : numRun === 0 ? "fetch" : "mixed";
    const cause =
      failureKind === "run"
        ? "running them failed (the runner's run threw, polling reported or caused a failure, or the TTL expired)"
        : failureKind === "fetch"
          ? "fetching their objective or constraint data failed (Metric.fetchTrialData threw)"
          : `running failed for ${numRun} and fetching objective or constraint data failed for ${this.numFetch}`;
    const quoted = [...this.failed.values()]
      .slice(0, QUOTED)
      .map((f) => `trial ${f.trialIndex} (${f.kind}): ${f.message.replace(/\.$/, "")}`)
      .join("; ");
    const message =
      `Failure rate exceeds the tolerated trial failure rate of ${formatPythonNumber(this.tolerated)}: ` +
      `${numFailed} of the ${numRan} trials run by this scheduler failed or were abandoned, because ${cause}. ` +
      `First errors: ${quoted}. Checks run at the end of each run and once at least ${this.minFailed} ` +
      "trials have failed; fix the cause, or raise toleratedTrialFailureRate.";
    return new FailureRateExceededError(message, {
      numFailed,
      numRan,
      toleratedFailureRate: this.tolerated,
      failureKind,
    });
  }
}
