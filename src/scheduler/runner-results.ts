import type { BaseTrial } from "../core/base-trial.js";
import type { JsonObject } from "../core/json.js";
import { ResultMetric } from "../core/result-metric.js";
import { isTrialResultReporter, type TrialResultReporter } from "../core/runner.js";
import {
  normalizeTrialResult,
  RESULT_KEY,
  resultMetricNames,
  storableTrialResult,
} from "../core/trial-result.js";
import { errorMessage } from "./format.js";
import type { LoopHost } from "./loop-host.js";

/**
 * Keeps with each finished trial the result its runner reports (a built-in runner evaluates trials itself
 * and knows their results): asked once, when a poll reports the trial COMPLETED or EARLY_STOPPED, and
 * kept in the trial's run metadata under `result`, so it is saved with the status change in one
 * transaction and a resumed Scheduler never asks for it again. `ResultMetric`s read it from there.
 * @internal
 */
export class RunnerResults {
  private readonly host: LoopHost;
  /** Result keys already found unusable as metric names (warned about once). */
  private readonly refusedNames = new Set<string>();

  constructor(host: LoopHost) {
    this.host = host;
  }

  /**
   * Asks the runner for the result of `trial` (when the runner reports results and none is kept yet) and
   * keeps it. A runner that throws (or does not answer within `userCallTimeoutSeconds`) only costs the
   * result: the trial's fetch then fails as for any missing result. A trial `stoppedEarly` without a
   * result of its own (e.g. a process killed by the stop) keeps its latest reported progress values as
   * its result, as Ax uses an early-stopped trial's last observation.
   */
  async collect(trial: BaseTrial, stoppedEarly = false): Promise<void> {
    const { experiment } = this.host;
    const runner = experiment.runner;
    if (!isTrialResultReporter(runner) || trial.runMetadata[RESULT_KEY] !== undefined) return;
    const raw = await this.reported(trial, runner);
    if (raw === null || raw === undefined) {
      if (stoppedEarly) this.keepLatestProgress(trial);
      return;
    }
    const result = normalizeTrialResult(storableTrialResult(raw), experiment);
    trial.updateRunMetadata({ [RESULT_KEY]: result });
    this.trackNewMetrics(trial.index, resultMetricNames(result));
  }

  private async reported(trial: BaseTrial, runner: TrialResultReporter): Promise<unknown> {
    const { logger } = this.host;
    let raw: unknown;
    try {
      raw = await this.host.callUser(
        `pollTrialResult of trial ${trial.index}`,
        () => runner.pollTrialResult(trial),
        trial.index,
      );
    } catch (error) {
      logger.warn(
        `Could not get the result of trial ${trial.index} from the runner: ${errorMessage(error)}.`,
      );
      return null;
    }
    return raw;
  }

  /** The latest progress values of a stopped trial's result metrics, kept as its result when there are some. */
  private keepLatestProgress(trial: BaseTrial): void {
    const { experiment } = this.host;
    const names = experiment.metrics.filter((m) => m instanceof ResultMetric).map((m) => m.name);
    const rows = experiment.lookupData({ trialIndices: [trial.index], metricNames: names }).rows;
    if (rows.length === 0) return;
    const result: JsonObject = {};
    for (const row of rows) result[row.metricName] = [row.mean, row.sem];
    trial.updateRunMetadata({ [RESULT_KEY]: result });
  }

  /**
   * Result keys the experiment does not declare become tracking `ResultMetric`s (kept, not dropped), and
   * the changed definition is saved with the next changes.
   */
  private trackNewMetrics(trialIndex: number, names: readonly string[]): void {
    const { experiment, logger, sync } = this.host;
    const known = new Set(experiment.metrics.map((m) => m.name));
    const added: string[] = [];
    for (const name of names) {
      if (known.has(name) || this.refusedNames.has(name)) continue;
      let metric: ResultMetric;
      try {
        metric = new ResultMetric({ name });
      } catch (error) {
        this.refusedNames.add(name);
        logger.warn(
          `Trial ${trialIndex}'s result key ${JSON.stringify(name)} cannot be a metric name (${errorMessage(error)}); not tracking it.`,
        );
        continue;
      }
      experiment.addTrackingMetric(metric);
      added.push(name);
    }
    if (added.length === 0) return;
    logger.info(`Tracking ${added.join(", ")} (from the result of trial ${trialIndex}) as tracking metrics.`);
    sync.definitionChanged();
  }
}
