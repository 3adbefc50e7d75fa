import type { BaseTrial } from "../core/base-trial.js";
import { Data } from "../core/data.js";
import type { Metric } from "../core/metric.js";
import { errorMessage } from "./format.js";
import type { LoopHost } from "./loop-host.js";

/** Outcome of fetching a trial's data before it is given a terminal status. */
export type FetchOutcome =
  | { readonly kind: "ok" }
  /** A transient failure of an objective or constraint metric: keep the trial and fetch again later. */
  | { readonly kind: "deferred"; readonly metricName: string; readonly message: string }
  /** An objective or constraint metric could not be fetched: the trial is to be abandoned. */
  | { readonly kind: "failed"; readonly metricName: string; readonly message: string };

/**
 * Fetches every metric of the experiment for trials, attaching what it gets and queuing it for saving.
 * User errors become values: an objective or constraint metric that throws fails the fetch (or defers it
 * when the metric calls the error recoverable); a tracking metric that throws is only logged.
 * @internal
 */
export class DataFetcher {
  private readonly host: LoopHost;

  constructor(host: LoopHost) {
    this.host = host;
  }

  /**
   * Fetches all metrics for `trial`; attaches the data only when every objective and constraint metric
   * succeeded, so a trial is never half-observed.
   */
  async fetchForCompletion(trial: BaseTrial): Promise<FetchOutcome> {
    const { experiment, logger } = this.host;
    const critical = new Set((experiment.optimizationConfig?.metrics ?? []).map((m) => m.name));
    const fetched: { metric: Metric; data: Data }[] = [];
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
      if (isRecoverable(metric, result.error)) return { kind: "deferred", metricName: metric.name, message };
      return { kind: "failed", metricName: metric.name, message };
    }
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
    return { kind: "ok" };
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

  private async fetchOne(metric: Metric, trial: BaseTrial): Promise<Data | { error: unknown }> {
    try {
      const data: unknown = await metric.fetchTrialData(trial);
      if (data instanceof Data) return data;
      return {
        error: new TypeError(
          `${metric.constructor.name}.fetchTrialData returned ${data === null ? "null" : typeof data}, not a Data; ` +
            "build one with Data.fromRows([...]).",
        ),
      };
    } catch (error) {
      return { error };
    }
  }

  private attach(data: Data): void {
    if (data.isEmpty) return;
    this.host.experiment.attachData(data);
    this.host.sync.dataAdded(data);
  }
}

function isRecoverable(metric: Metric, error: unknown): boolean {
  try {
    return metric.isRecoverableFetchError(error) === true;
  } catch {
    return false;
  }
}
