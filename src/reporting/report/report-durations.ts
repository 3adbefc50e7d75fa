import type { Experiment } from "../../core/experiment.js";
import { quantileOfSorted } from "../../numerics/stats/index.js";

/** How long an experiment and its trials took, from the trials' timestamps (milliseconds). */
export interface ReportDurations {
  /** From the first trial's creation to the last trial's end (or last start, while trials run); null without trials. */
  readonly wallTimeMs: number | null;
  /** Run times (end − run start) of the trials that ran and ended, for the percentiles below. */
  readonly numTimed: number;
  /** Median, 10th and 90th percentile and longest run time; null when no trial ran to an end. */
  readonly runTimeMs: {
    readonly median: number;
    readonly p10: number;
    readonly p90: number;
    readonly max: number;
  } | null;
}

/** A trial's run time in ms (end − run start), or null when it has not both started running and ended. */
export function trialRunTimeMs(trial: {
  timeRunStarted: number | null;
  timeCompleted: number | null;
}): number | null {
  const { timeRunStarted, timeCompleted } = trial;
  return timeRunStarted === null || timeCompleted === null
    ? null
    : Math.max(0, timeCompleted - timeRunStarted);
}

/**
 * The wall time of the experiment and the distribution of its trials' run times. Percentiles
 * interpolate linearly between order statistics (the usual "type 7" definition, as numpy's default).
 */
export function reportDurations(experiment: Experiment): ReportDurations {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const runTimes: number[] = [];
  for (const trial of experiment.trials.values()) {
    first = Math.min(first, trial.timeCreated);
    last = Math.max(last, trial.timeCompleted ?? trial.timeRunStarted ?? trial.timeCreated);
    const runTime = trialRunTimeMs(trial);
    if (runTime !== null) runTimes.push(runTime);
  }
  runTimes.sort((a, b) => a - b);
  return {
    wallTimeMs: Number.isFinite(first) ? last - first : null,
    numTimed: runTimes.length,
    runTimeMs:
      runTimes.length === 0
        ? null
        : {
            median: quantileOfSorted(runTimes, 0.5),
            p10: quantileOfSorted(runTimes, 0.1),
            p90: quantileOfSorted(runTimes, 0.9),
            max: runTimes[runTimes.length - 1]!,
          },
  };
}

/** A duration for people: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
}
