import { createHash } from "node:crypto";
import type { BaseTrial } from "../../core/base-trial.js";

/** Longest part of the experiment name kept readable in a job id. */
const SLUG_CHARS = 40;

/**
 * The key of an experiment in the queue: a readable part of its name (characters other than letters,
 * digits, `_`, `.` and `-` become `_`) and a hash of the whole name, so that two names that read alike
 * (`"a b"` and `"a_b"`) never share a key. It never contains `:` (BullMQ's key separator).
 * @example experimentKey("lr sweep") // "lr_sweep-1f4c8a0e92d3"
 */
export function experimentKey(experimentName: string): string {
  const slug = experimentName.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, SLUG_CHARS);
  const hash = createHash("sha256").update(experimentName, "utf8").digest("hex").slice(0, 12);
  return `${slug}-${hash}`;
}

/**
 * The BullMQ job id of a trial: the same for the same experiment name and trial index, so that a deploy
 * retried after a crash or a lost reply finds the job it already queued instead of queuing a second one.
 * BullMQ refuses custom ids that contain `:` or are integers; this id has neither (it always holds a `-`
 * and the experiment key).
 * @example trialJobId("lr sweep", 7) // "lr_sweep-1f4c8a0e92d3-t7"
 */
export function trialJobId(experimentName: string, trialIndex: number): string {
  return `${experimentKey(experimentName)}-t${trialIndex}`;
}

/** The job id of a trial: the one kept in its run metadata, else derived as `run` derives it. */
export function jobIdOf(trial: BaseTrial): string {
  const stored = trial.runMetadata.jobId;
  return typeof stored === "string" ? stored : trialJobId(trial.experimentName, trial.index);
}
