/**
 * What must hold after any number of SIGKILLs and resumes: the stored experiment has trial indices
 * 0..n-1, exactly the requested number of trials, all completed; every completed trial has its one data
 * row, equal to the function of its parameters; no trial was launched again once it was stored as running
 * or completed, no completion a process committed was lost, and no two trials share parameters; every
 * process could resume the stored experiment. Each breach is one violation.
 */
import type { Experiment } from "../src/index.js";
import type { Commit } from "./soak-child.js";
import { expectedValue, SOAK_METRIC } from "./soak-experiment.js";
import type { ProcessRecord } from "./soak-process.js";

export interface Violation {
  kind: string;
  detail: string;
}

/** Violations found in the processes' own records (resume failures, errors, hangs). */
export function processViolations(processes: readonly ProcessRecord[]): Violation[] {
  const out: Violation[] = [];
  processes.forEach((p, i) => {
    if (p.outcome === "resume-failed")
      out.push({ kind: "resumeFailed", detail: `process ${i}: ${p.message}` });
    if (p.outcome === "error") out.push({ kind: "processError", detail: `process ${i}: ${p.message}` });
    if (p.outcome === "hung")
      out.push({ kind: "hung", detail: `process ${i} neither finished nor failed in time` });
    if (p.outcome === "exited") {
      out.push({
        kind: "processError",
        detail: `process ${i} exited without reporting: ${p.stderrTail.slice(-300)}`,
      });
    }
  });
  return out;
}

/**
 * Launches of a trial after an earlier process had committed it as RUNNING or COMPLETED (a resume must
 * poll such a trial, never deploy it again). A trial launched but killed before its RUNNING state was
 * committed may be launched again: that is at-least-once deployment, counted apart, not a violation.
 */
export function duplicateRuns(processes: readonly ProcessRecord[]): {
  violations: Violation[];
  relaunches: number;
} {
  const violations: Violation[] = [];
  const storedLaunched = new Map<number, string>();
  const launched = new Set<number>();
  let relaunches = 0;
  const committed = (c: Commit): void => {
    for (const [index, status] of c.trials) if (status !== "CANDIDATE") storedLaunched.set(index, status);
  };
  processes.forEach((p, i) => {
    let applied = 0;
    for (const { index, afterCommits } of p.runs) {
      // Replays this process's commits up to the launch, so launches and commits are seen in order.
      for (; applied < afterCommits; applied++) committed(p.commits[applied]!);
      const stored = storedLaunched.get(index);
      if (stored) {
        violations.push({
          kind: "duplicateRun",
          detail: `process ${i} launched trial ${index}, which was already stored as ${stored}`,
        });
      } else if (launched.has(index)) relaunches++;
      launched.add(index);
    }
    for (; applied < p.commits.length; applied++) committed(p.commits[applied]!);
  });
  return { violations, relaunches };
}

/** Checks the final stored experiment against the request and against what the processes committed. */
export function experimentViolations(
  experiment: Experiment | null,
  requestedTrials: number,
  processes: readonly ProcessRecord[],
): Violation[] {
  if (!experiment) return [{ kind: "notStored", detail: "the experiment is not in the store" }];
  const out: Violation[] = [];
  const indices = [...experiment.trials.keys()].sort((a, b) => a - b);
  if (indices.some((index, i) => index !== i)) {
    out.push({ kind: "nonContiguousIndices", detail: `stored trial indices ${indices.join(",")}` });
  }
  if (experiment.numTrials !== requestedTrials) {
    out.push({
      kind: "wrongTrialCount",
      detail: `${experiment.numTrials} trials stored, ${requestedTrials} requested`,
    });
  }
  const seen = new Map<string, number>();
  for (const trial of experiment.trials.values()) {
    if (trial.status !== "COMPLETED") {
      out.push({ kind: "notCompleted", detail: `trial ${trial.index} is ${trial.status}` });
      continue;
    }
    const rows = experiment.lookupTrialData(trial.index).rows.filter((r) => r.metricName === SOAK_METRIC);
    for (const arm of trial.arms) {
      const key = JSON.stringify(arm.parameters);
      const other = seen.get(key);
      if (other !== undefined) {
        out.push({ kind: "duplicateParameters", detail: `trials ${other} and ${trial.index} share ${key}` });
      }
      seen.set(key, trial.index);
      const armRows = rows.filter((r) => r.armName === arm.name);
      if (armRows.length !== 1) {
        out.push({
          kind: "missingData",
          detail: `trial ${trial.index} arm ${arm.name}: ${armRows.length} rows`,
        });
      } else if (armRows[0]!.mean !== expectedValue(arm.parameters)) {
        out.push({
          kind: "dataMismatch",
          detail: `trial ${trial.index}: stored ${armRows[0]!.mean}, expected ${expectedValue(arm.parameters)}`,
        });
      }
    }
  }
  for (const index of committedCompletions(processes)) {
    const trial = experiment.trials.get(index);
    if (trial?.status !== "COMPLETED") {
      out.push({
        kind: "lostCompletion",
        detail: `trial ${index} was committed COMPLETED, now ${trial?.status ?? "missing"}`,
      });
    }
  }
  return out;
}

/** Indices of the trials some process committed as COMPLETED. */
export function committedCompletions(processes: readonly ProcessRecord[]): Set<number> {
  return new Set(
    processes.flatMap((p) =>
      p.commits.flatMap((c) => c.trials.filter(([, s]) => s === "COMPLETED").map(([i]) => i)),
    ),
  );
}
