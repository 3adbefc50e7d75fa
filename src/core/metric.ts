import { ExperimentError } from "../errors.js";
import type { BaseTrial } from "./base-trial.js";
import { Data } from "./data.js";
import type { JsonValue } from "./json.js";
import { assertNotReservedName } from "./reserved-names.js";

/** Constructor options of {@link Metric}. */
export interface MetricOptions {
  name: string;
  /** Whether lower values are better; informational for tracking metrics. */
  lowerIsBetter?: boolean | null;
  /** Serializable settings of the metric, stored with the experiment. */
  properties?: Readonly<Record<string, JsonValue>>;
}

/**
 * Where a trial's results come from. Subclass it and implement `fetchTrialData(trial)` to read results
 * from your system; throw (or reject) when they cannot be read. The Scheduler treats a failed fetch as a
 * value it decides about: for an objective or constraint metric the trial is ABANDONED unless
 * {@link Metric.isRecoverableFetchError} says to try again later. Rows must be of the trial given, one of
 * its arms and a metric the experiment declares; an objective or constraint must have a row for every arm.
 * @example
 * class LatencyMetric extends Metric {
 *   async fetchTrialData(trial: Trial) {
 *     const ms = await myService.latency(trial.runMetadata.jobId);
 *     return Data.fromRows([{ trialIndex: trial.index, armName: trial.arm.name!, metricName: this.name, mean: ms, sem: null }]);
 *   }
 * }
 */
export abstract class Metric {
  readonly name: string;
  readonly lowerIsBetter: boolean | null;
  readonly properties: Readonly<Record<string, JsonValue>>;

  constructor(options: MetricOptions) {
    if (typeof options?.name !== "string" || options.name === "") {
      throw new ExperimentError('A Metric needs a non-empty name: new MyMetric({ name: "loss" }).');
    }
    assertNotReservedName(options.name, "metric");
    this.name = options.name;
    this.lowerIsBetter = options.lowerIsBetter ?? null;
    this.properties = Object.freeze({ ...(options.properties ?? {}) });
  }

  /** Reads this metric's results for a trial. */
  abstract fetchTrialData(trial: BaseTrial): Promise<Data>;

  /**
   * Whether a fetch error is transient (the data will be there later), so the trial is kept and fetched
   * again instead of abandoned. The Scheduler tries again at the next polls (3 in all), then gives the
   * trial its status without this metric's data and logs why, as Ax does. Default: no error is recoverable.
   */
  isRecoverableFetchError(_error: unknown): boolean {
    return false;
  }

  /** Whether partial data can be fetched while the trial is still RUNNING. Default false. */
  isAvailableWhileRunning(): boolean {
    return false;
  }
}

/**
 * A metric whose values are reported to Ascent (through the Client's `completeTrial` or
 * `experiment.attachData`) rather than fetched: fetching returns no new rows.
 */
export class ReportedMetric extends Metric {
  async fetchTrialData(_trial: BaseTrial): Promise<Data> {
    return Data.empty();
  }
}
