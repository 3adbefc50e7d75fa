import type { BaseTrial } from "../core/base-trial.js";
import { Data } from "../core/data.js";
import type { Metric } from "../core/metric.js";
import { DataError, UserCallInterruptedError } from "../errors.js";
import { checkFetchedData, checkRequiredFetched } from "./fetched-data-check.js";
import { errorMessage } from "./format.js";
import type { LoopHost } from "./loop-host.js";

/** Outcome of fetching a trial's data before it is given a terminal status. */
export type FetchOutcome =
  | { readonly kind: "ok" }
  /** A transient failure of an objective or constraint metric: keep the trial and fetch again later. */
  | { readonly kind: "deferred"; readonly metricName: string; readonly message: string }
  /**
   * A transient failure of an objective or constraint metric that is no longer waited for: the other
   * metrics' data is attached, this one is missing (Ax completes such a trial and carries on).
   */
  | { readonly kind: "incomplete"; readonly metricName: string; readonly message: string }
  /** An objective or constraint metric could not be fetched, or its data is wrong: the trial is to be abandoned. */
  | { readonly kind: "failed"; readonly metricName: string; readonly message: string };

/** A failed fetch of one metric; `invalid` when the metric returned data that breaks the rules. */
interface FetchFailure {
  readonly error: unknown;
  readonly invalid: boolean;
}

/**
 * Fetches every metric of the experiment for trials, checks what comes back (rows of that trial, its
 * arms and declared metrics; values for every objective and constraint), attaches it and queues it for
 * saving. User errors become values: an objective or constraint metric that throws or returns wrong
 * data fails the fetch (a throw the metric calls recoverable defers it instead); a tracking metric that
 * fails is only logged.
 * @internal
 */
export class DataFetcher {
  private readonly host: LoopHost;

  constructor(host: LoopHost) {
    this.host = host;
  }

  /**
   * Fetches all metrics for `trial`; attaches the data only when every objective and constraint metric
   * succeeded (or, with `deferRecoverable` false, failed recoverably and is given up on), so a trial is
   * never half-observed by accident.
   */
  async fetchForCompletion(trial: BaseTrial, deferRecoverable = true): Promise<FetchOutcome> {
    const { experiment, logger } = this.host;
    const critical = new Set((experiment.optimizationConfig?.metrics ?? []).map((m) => m.name));
    const fetched: { metric: Metric; data: Data }[] = [];
    let givenUp: { metricName: string; message: string } | null = null;
    for (const metric of experiment.metrics) {
      const result = await this.fetchOne(metric, trial);
      if (result instanceof Data) {
        fetched.push({ metric, data: result });
        continue;
      }
      const message = errorMessage(result.error);
      if (!critical.has(metric.name)) {
        logger.warn(
          `Failed to fetch tracking metric ${metric.name} for trial ${trial.index}: ${message}; continuing without it.`,
        );
        continue;
      }
      if (result.invalid || !isRecoverable(metric, result.error)) {
        return { kind: "failed", metricName: metric.name, message };
      }
      if (deferRecoverable) return { kind: "deferred", metricName: metric.name, message };
      givenUp ??= { metricName: metric.name, message };
    }
    const missing = this.findMissing(trial, fetched, givenUp);
    if (missing) return missing;
    for (const { metric, data } of fetched) {
      try {
        this.attach(data);
      } catch (error) {
        if (critical.has(metric.name)) {
          return { kind: "failed", metricName: metric.name, message: errorMessage(error) };
        }
        logger.warn(`Could not attach ${metric.name} data of trial ${trial.index}: ${errorMessage(error)}.`);
      }
    }
    return givenUp ? { kind: "incomplete", ...givenUp } : { kind: "ok" };
  }

  /** Fetches the metrics available while running for RUNNING trials (partial data); failures are logged. */
  async fetchWhileRunning(trials: readonly BaseTrial[], metrics: readonly Metric[]): Promise<void> {
    for (const trial of trials) {
      for (const metric of metrics) {
        const result = await this.fetchOne(metric, trial);
        try {
          if (!(result instanceof Data)) throw result.error;
          this.attach(result);
        } catch (error) {
          this.host.logger.warn(
            `Failed to fetch ${metric.name} for running trial ${trial.index}: ${errorMessage(error)}; will retry at the next poll.`,
          );
        }
      }
    }
  }

  /** A failed outcome when an objective or constraint has no value for some arm after the fetch. */
  private findMissing(
    trial: BaseTrial,
    fetched: readonly { data: Data }[],
    givenUp: { metricName: string } | null,
  ): FetchOutcome | null {
    const skipped = new Set(givenUp ? [givenUp.metricName] : []);
    try {
      checkRequiredFetched(
        this.host.experiment,
        trial,
        fetched.map((f) => f.data),
        skipped,
      );
      return null;
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      return { kind: "failed", metricName: error.metricName ?? "", message: error.message };
    }
  }

  private async fetchOne(metric: Metric, trial: BaseTrial): Promise<Data | FetchFailure> {
    let data: unknown;
    try {
      const fetch = (): Promise<Data> => metric.fetchTrialData(trial);
      data = await this.host.callUser(
        `${metric.constructor.name}.fetchTrialData of trial ${trial.index}`,
        fetch,
        trial.index,
      );
    } catch (error) {
      return { error, invalid: false };
    }
    if (!(data instanceof Data)) {
      const error = new TypeError(
        `${metric.constructor.name}.fetchTrialData returned ${data === null ? "null" : typeof data}, not a Data; ` +
          "build one with Data.fromRows([...]).",
      );
      return { error, invalid: true };
    }
    try {
      checkFetchedData(this.host.experiment, trial, metric, data);
      return data;
    } catch (error) {
      return { error, invalid: true };
    }
  }

  private attach(data: Data): void {
    if (data.isEmpty) return;
    this.host.experiment.attachData(data);
    this.host.sync.dataAdded(data);
  }
}

function isRecoverable(metric: Metric, error: unknown): boolean {
  // A fetch cut short by an abort says nothing about the data: try again at the next run.
  if (error instanceof UserCallInterruptedError) return true;
  try {
    return metric.isRecoverableFetchError(error) === true;
  } catch {
    return false;
  }
}
