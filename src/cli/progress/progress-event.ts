import type { Parameterization } from "../../core/parameter-type.js";

/** The best point so far of a single-objective run. */
export interface BestSoFar {
  readonly trialIndex: number;
  readonly parameters: Parameterization;
  /** The objective's metric name. */
  readonly metric: string;
  /** Its observed mean. */
  readonly value: number;
}

/** Something that happened to a trial, as the progress display reports it. */
export type ProgressEvent =
  | {
      readonly kind: "started";
      readonly trialIndex: number;
      readonly parameters: Parameterization;
      /** What proposed the trial (Sobol, BoTorch, ...), when known. */
      readonly generator: string | null;
    }
  | {
      readonly kind: "completed";
      readonly trialIndex: number;
      readonly parameters: Parameterization;
      /** Observed means by metric name. */
      readonly values: Readonly<Record<string, number>>;
    }
  | {
      readonly kind: "failed";
      readonly trialIndex: number;
      /** FAILED, ABANDONED or EARLY_STOPPED. */
      readonly status: string;
      readonly reason: string | null;
    }
  | { readonly kind: "best"; readonly best: BestSoFar };

/** Where a run stands, for the live display's lines. */
export interface ProgressSnapshot {
  readonly experimentName: string;
  /** Trials that ended (completed, failed, abandoned or stopped early). */
  readonly done: number;
  /** The total the run goes to, when known. */
  readonly total: number | null;
  readonly running: number;
  /** Trials that failed or were abandoned. */
  readonly failed: number;
  readonly best: BestSoFar | null;
  /** Size of the Pareto frontier so far, for several objectives (null for one). */
  readonly paretoSize: number | null;
  readonly elapsedMs: number;
  /** Estimated time to reach the total, from this run's pace; null until a trial ended. */
  readonly remainingMs: number | null;
}
