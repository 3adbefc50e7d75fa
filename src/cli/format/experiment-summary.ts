import type { Experiment } from "../../core/experiment.js";
import { ALL_TRIAL_STATUSES, type TrialStatus } from "../../core/trial-status.js";
import { bestPoint } from "../../reporting/best-point.js";
import type { TableCell } from "../../reporting/experiment-to-table.js";
import { paretoFrontier } from "../../reporting/pareto-frontier.js";
import { formatNumber } from "./text-table.js";

/** One experiment as `ascent list` shows it (and prints with `--json`). */
export interface ExperimentSummary {
  name: string;
  /** Number of trials. */
  trials: number;
  /** Trials by status, every status present (0 when none). */
  byStatus: Record<TrialStatus, number>;
  /** The objectives, in the config's order (empty without an optimization config). */
  objectives: { metric: string; minimize: boolean }[];
  /**
   * Single objective: the best observed feasible arm (`bestPoint`) with its observed means; null
   * when there is none yet or the experiment has several objectives.
   */
  best: { trialIndex: number; armName: string; values: Record<string, number> } | null;
  /** Several objectives: how many arms are on the observed Pareto frontier; else null. */
  paretoPoints: number | null;
  /** Latest time a trial was created, staged, started or ended (ISO 8601); the creation time without trials. */
  lastUpdated: string;
  /** Why the experiment could not be read (e.g. an unregistered Metric class); null when it was. */
  error: string | null;
}

/**
 * The summary of a loaded experiment. Only observed values: `list` fits no model, so it stays fast
 * however many experiments the store holds (`ascent best` gives model predictions).
 * @example summarizeExperiment(experiment).byStatus.COMPLETED
 */
export function summarizeExperiment(experiment: Experiment): ExperimentSummary {
  const byStatus = Object.fromEntries(
    ALL_TRIAL_STATUSES.map((s) => [s, experiment.trialIndicesWithStatus(s).size]),
  ) as Record<TrialStatus, number>;
  const config = experiment.optimizationConfig;
  const objectives = (config?.objectives ?? []).map((o) => ({ metric: o.metric.name, minimize: o.minimize }));
  let best: ExperimentSummary["best"] = null;
  let paretoPoints: number | null = null;
  if (config?.isMultiObjective) {
    paretoPoints = paretoFrontier(experiment).points.length;
  } else if (config) {
    const found = bestPoint(experiment);
    best = found && { trialIndex: found.trialIndex, armName: found.armName, values: found.values };
  }
  return {
    name: experiment.name,
    trials: experiment.numTrials,
    byStatus,
    objectives,
    best,
    paretoPoints,
    lastUpdated: new Date(lastUpdate(experiment)).toISOString(),
    error: null,
  };
}

/** The summary of an experiment that could not be loaded: only its name and why. */
export function unreadableSummary(name: string, error: Error): ExperimentSummary {
  const byStatus = Object.fromEntries(ALL_TRIAL_STATUSES.map((s) => [s, 0])) as Record<TrialStatus, number>;
  return {
    name,
    trials: 0,
    byStatus,
    objectives: [],
    best: null,
    paretoPoints: null,
    lastUpdated: "",
    error: error.message,
  };
}

/**
 * The rows `ascent list` prints: name, trial counts (the statuses that occur in some experiment),
 * the best objective value (or the Pareto frontier's size) and the last update.
 */
export function summaryTable(summaries: readonly ExperimentSummary[]): Record<string, TableCell>[] {
  const shown = ALL_TRIAL_STATUSES.filter((s) => summaries.some((x) => x.byStatus[s] > 0));
  return summaries.map((s) => {
    const row: Record<string, TableCell> = { name: s.name, trials: s.trials };
    for (const status of shown) row[status.toLowerCase()] = s.byStatus[status];
    row.best = s.error !== null ? `(unreadable: ${s.error})` : bestText(s);
    row.updated = s.lastUpdated.replace("T", " ").replace(/\.\d+Z$/, "Z");
    return row;
  });
}

function bestText(s: ExperimentSummary): string {
  if (s.paretoPoints !== null) return `${s.paretoPoints} Pareto-optimal (${objectiveText(s)})`;
  const objective = s.objectives[0];
  if (objective === undefined) return "(no objective)";
  const value = s.best?.values[objective.metric];
  if (value === undefined) return `${objectiveText(s)}: none yet`;
  return `${objective.metric}=${formatNumber(value)} (trial ${s.best!.trialIndex})`;
}

function objectiveText(s: ExperimentSummary): string {
  return s.objectives.map((o) => `${o.minimize ? "min" : "max"} ${o.metric}`).join(", ");
}

function lastUpdate(experiment: Experiment): number {
  let latest = experiment.timeCreated;
  for (const trial of experiment.trials.values()) {
    for (const t of [trial.timeCreated, trial.timeStaged, trial.timeRunStarted, trial.timeCompleted]) {
      if (t !== null && t > latest) latest = t;
    }
  }
  return latest;
}
