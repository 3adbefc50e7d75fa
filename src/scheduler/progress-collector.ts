import type { BaseTrial } from "../core/base-trial.js";
import { Data, type DataRow } from "../core/data.js";
import {
  type ProgressRecord,
  progressionKeyText,
  progressRecordFromReport,
} from "../core/progress-record.js";
import { isProgressSource } from "../core/runner.js";
import { errorMessage } from "./format.js";
import type { LoopHost } from "./loop-host.js";

/**
 * Takes the progress of running trials from a runner that is a `ProgressSource` and stores it: each
 * value becomes a data row with its progression, attached to the experiment and queued for saving as
 * new rows (append-only). A value of a metric the experiment does not declare is skipped (said once per
 * name), and so is a (metric, progression) the trial already has stored, so a source that hands records
 * again after a restart (a command's progress file read from its start) adds no duplicates. A source
 * that throws costs only that round's progress of that trial.
 * @internal
 */
export class ProgressCollector {
  private readonly host: LoopHost;
  /** The (metric, progression) pairs stored per trial, read from the experiment on first use. */
  private readonly stored = new Map<number, Set<string>>();
  private readonly unknownNames = new Set<string>();

  constructor(host: LoopHost) {
    this.host = host;
  }

  /** Whether the experiment's runner reports progress at all. */
  get active(): boolean {
    return isProgressSource(this.host.experiment.runner);
  }

  /** Takes and stores the new progress of each of `trials`. */
  async collect(trials: readonly BaseTrial[]): Promise<void> {
    const runner = this.host.experiment.runner;
    if (!isProgressSource(runner)) return;
    for (const trial of trials) {
      let records: readonly ProgressRecord[];
      try {
        records = await this.host.callUser(
          `takeProgress of trial ${trial.index}`,
          () => runner.takeProgress(trial),
          trial.index,
        );
      } catch (error) {
        this.host.logger.warn(`Could not take the progress of trial ${trial.index}: ${errorMessage(error)}.`);
        continue;
      }
      if (records.length > 0) this.store(trial, records);
    }
  }

  /** Forgets what was stored for a trial that ended (it reports no more progress). */
  forget(trialIndex: number): void {
    this.stored.delete(trialIndex);
  }

  private store(trial: BaseTrial, records: readonly ProgressRecord[]): void {
    const armName = trial.arms.length === 1 ? trial.arms[0]!.name : undefined;
    if (armName === undefined) {
      this.host.logger.warn(
        `Trial ${trial.index} has ${trial.arms.length} arms; progress is kept for one-arm trials only.`,
      );
      return;
    }
    const seen = this.seenOf(trial.index);
    const declared = new Set(this.host.experiment.metrics.map((m) => m.name));
    const rows: DataRow[] = [];
    for (const given of records) {
      // A source of the user's own may hand anything: a malformed record is skipped, not stored.
      const record = progressRecordFromReport(given);
      if (typeof record === "string") {
        this.host.logger.warn(`Skipping a progress record of trial ${trial.index}: ${record}.`);
        continue;
      }
      const where = progressionKeyText(record.progression);
      for (const [metricName, value] of Object.entries(record.values)) {
        if (!declared.has(metricName)) {
          this.warnUnknown(metricName, trial.index);
          continue;
        }
        const key = `${metricName}\u0000${where}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const [mean, sem] = meanAndSem(value);
        rows.push({
          trialIndex: trial.index,
          armName,
          metricName,
          mean,
          sem,
          progression: record.progression,
        });
      }
    }
    if (rows.length === 0) return;
    const data = Data.fromRows(rows);
    this.host.experiment.attachData(data);
    this.host.sync.dataAdded(data);
  }

  private seenOf(trialIndex: number): Set<string> {
    let seen = this.stored.get(trialIndex);
    if (seen === undefined) {
      seen = new Set();
      for (const row of this.host.experiment.lookupCurveData({ trialIndices: [trialIndex] }).rows) {
        if (row.progression) seen.add(`${row.metricName}\u0000${progressionKeyText(row.progression)}`);
      }
      this.stored.set(trialIndex, seen);
    }
    return seen;
  }

  private warnUnknown(metricName: string, trialIndex: number): void {
    if (this.unknownNames.has(metricName)) return;
    this.unknownNames.add(metricName);
    this.host.logger.warn(
      `Trial ${trialIndex} reported progress of "${metricName}", which the experiment does not declare; ` +
        "skipping it (declare it as an objective, constraint or tracking metric to keep its curve).",
    );
  }
}

/** A checked progress value (see `progressRecordFromReport`) as mean and sem. */
function meanAndSem(value: ProgressRecord["values"][string]): [number, number | null] {
  if (typeof value === "number") return [value, null];
  if (Array.isArray(value)) return [value[0] as number, (value[1] as number | null | undefined) ?? null];
  const { mean, sem } = value as { mean: number; sem?: number | null };
  return [mean, sem ?? null];
}
