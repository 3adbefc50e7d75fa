import type { Experiment } from "../../core/experiment.js";
import { TrialStatus } from "../../core/trial-status.js";
import { paretoFrontier } from "../../reporting/pareto-frontier.js";
import type { Scheduler } from "../../scheduler/scheduler.js";
import type { CliContext } from "../cli-context.js";
import {
  formatDuration,
  formatNumber,
  formatParameters,
  formatValues,
  type TrialWatcher,
} from "../progress/index.js";

/**
 * Prints the end of a run to `context.out`: the trial counts, the best point with its parameters (or the
 * Pareto frontier for several objectives), and the commands that show the stored results.
 */
export function printSummary(
  context: CliContext,
  scheduler: Scheduler,
  watcher: TrialWatcher,
  lookCommands: readonly string[],
): void {
  const experiment = scheduler.experiment;
  const snapshot = watcher.snapshot();
  context.out(
    `Experiment "${experiment.name}": ${describeCounts(experiment)} (this run took ${formatDuration(snapshot.elapsedMs)}).`,
  );
  for (const line of bestLines(experiment, watcher)) context.out(line);
  if (lookCommands.length > 0) {
    context.out("Look at it with:");
    for (const command of lookCommands) context.out(`  ${command}`);
  }
}

/** `30 trials: 28 completed, 2 failed`. */
export function describeCounts(experiment: Experiment): string {
  const parts: string[] = [];
  const named: [TrialStatus, string][] = [
    [TrialStatus.COMPLETED, "completed"],
    [TrialStatus.FAILED, "failed"],
    [TrialStatus.ABANDONED, "abandoned"],
    [TrialStatus.EARLY_STOPPED, "stopped early"],
    [TrialStatus.RUNNING, "running"],
    [TrialStatus.CANDIDATE, "candidate"],
  ];
  for (const [status, word] of named) {
    const n = experiment.countTrialsWithStatus(status);
    if (n > 0) parts.push(`${n} ${word}`);
  }
  const total = experiment.numTrials;
  return `${total} trial${total === 1 ? "" : "s"}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
}

function bestLines(experiment: Experiment, watcher: TrialWatcher): string[] {
  const config = experiment.optimizationConfig;
  if (config?.isMultiObjective) {
    const { points } = paretoFrontier(experiment);
    if (points.length === 0) return ["No completed trial has every objective observed yet."];
    return [
      `Pareto frontier (${points.length} point${points.length === 1 ? "" : "s"}):`,
      ...points.map(
        (p) => `  trial ${p.trialIndex}: ${formatValues(p.values)} at ${formatParameters(p.parameters)}`,
      ),
    ];
  }
  const best = watcher.best;
  if (!best) return ["No best point: no completed trial satisfies the outcome constraints yet."];
  return [
    `Best point: trial ${best.trialIndex}, ${best.metric} = ${formatNumber(best.value)}`,
    ...Object.entries(best.parameters).map(
      ([k, v]) => `  ${k} = ${typeof v === "number" ? formatNumber(v) : String(v)}`,
    ),
  ];
}
