import type { Experiment } from "../../core/experiment.js";
import type { Parameterization } from "../../core/parameter-type.js";
import { TrialStatus } from "../../core/trial-status.js";
import { bestPoint } from "../../reporting/best-point.js";
import { paretoFrontier } from "../../reporting/pareto-frontier.js";
import type { BestSoFar, ProgressEvent, ProgressSnapshot } from "./progress-event.js";

const ENDED: readonly TrialStatus[] = [
  TrialStatus.COMPLETED,
  TrialStatus.FAILED,
  TrialStatus.ABANDONED,
  TrialStatus.EARLY_STOPPED,
];

/**
 * Turns an experiment's changing trials into progress events, by comparing what it sees at each
 * {@link TrialWatcher.scan} with the last scan. It only reads the experiment (the Scheduler owns it),
 * so it can be called at any moment: from the Scheduler's idle callback, after a report, or on a timer.
 * Trials that ended before the watcher was made are counted but not reported again.
 */
export class TrialWatcher {
  private readonly seen = new Map<number, TrialStatus>();
  private readonly open = new Set<number>();
  private nextIndex = 0;
  private bestValue: BestSoFar | null = null;
  private pareto: number | null = null;
  private readonly startMs: number;
  private readonly doneAtStart: number;

  /**
   * @param total the number of trials the run goes to, for done/total and the estimate of time left.
   * @param now the clock (ms), injectable for tests.
   */
  constructor(
    private readonly experiment: Experiment,
    private readonly total: number | null,
    private readonly now: () => number = Date.now,
  ) {
    this.startMs = now();
    for (let i = 0; i < experiment.numTrials; i++) this.remember(i, experiment.getTrial(i).status);
    this.nextIndex = experiment.numTrials;
    this.doneAtStart = this.countDone();
    this.refreshBest();
  }

  /** The events since the last scan, in order: starts, then ends, then a better best point. */
  scan(): ProgressEvent[] {
    const events: ProgressEvent[] = [];
    for (; this.nextIndex < this.experiment.numTrials; this.nextIndex++) this.open.add(this.nextIndex);
    let anyCompleted = false;
    for (const index of [...this.open].sort((a, b) => a - b)) {
      const trial = this.experiment.getTrial(index);
      const before = this.seen.get(index);
      const status = trial.status;
      if (status === before) continue;
      const parameters = trial.arms[0]?.parameters ?? {};
      if (status === TrialStatus.RUNNING || (before === undefined && ENDED.includes(status))) {
        events.push({ kind: "started", trialIndex: index, parameters, generator: trial.generatorName });
      }
      if (status === TrialStatus.COMPLETED) {
        events.push({ kind: "completed", trialIndex: index, parameters, values: this.valuesOf(index) });
        anyCompleted = true;
      } else if (ENDED.includes(status)) {
        events.push({ kind: "failed", trialIndex: index, status, reason: trial.failureReason });
      }
      this.remember(index, status);
    }
    if (anyCompleted) {
      const previous = this.bestValue;
      this.refreshBest();
      const best = this.bestValue;
      if (best && (previous === null || best.trialIndex !== previous.trialIndex))
        events.push({ kind: "best", best });
    }
    return events;
  }

  /** Where the run stands now (as of the last scan for the best point). */
  snapshot(): ProgressSnapshot {
    const e = this.experiment;
    const done = this.countDone();
    const elapsedMs = this.now() - this.startMs;
    const doneHere = done - this.doneAtStart;
    const left = this.total === null ? null : Math.max(0, this.total - done);
    return {
      experimentName: e.name,
      done,
      total: this.total,
      running: e.countTrialsWithStatus(TrialStatus.RUNNING),
      failed: e.countTrialsWithStatus(TrialStatus.FAILED) + e.countTrialsWithStatus(TrialStatus.ABANDONED),
      best: this.bestValue,
      paretoSize: this.pareto,
      elapsedMs,
      remainingMs: left === null || doneHere <= 0 ? null : (elapsedMs / doneHere) * left,
    };
  }

  /** The best point so far (single objective), as of the last scan. */
  get best(): BestSoFar | null {
    return this.bestValue;
  }

  private remember(index: number, status: TrialStatus): void {
    this.seen.set(index, status);
    if (ENDED.includes(status)) this.open.delete(index);
    else this.open.add(index);
  }

  private countDone(): number {
    let n = 0;
    for (const s of ENDED) n += this.experiment.countTrialsWithStatus(s);
    return n;
  }

  private valuesOf(index: number): Record<string, number> {
    const values: Record<string, number> = {};
    for (const row of this.experiment.lookupTrialData(index).rows) values[row.metricName] = row.mean;
    return values;
  }

  private refreshBest(): void {
    const config = this.experiment.optimizationConfig;
    if (!config) return;
    if (config.isMultiObjective) {
      this.pareto = paretoFrontier(this.experiment).points.length;
      return;
    }
    const best = bestPoint(this.experiment);
    const metric = config.objectives[0]!.metric.name;
    const value = best?.values[metric];
    this.bestValue =
      best && value !== undefined
        ? { trialIndex: best.trialIndex, parameters: best.parameters as Parameterization, metric, value }
        : null;
  }
}
