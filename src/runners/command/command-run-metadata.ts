import type { RunMetadata } from "../../core/base-trial.js";
import { DEFAULT_KILL_GRACE_SECONDS } from "./command-options.js";
import type { ProcessIdentity } from "./process-identity.js";

/**
 * What a CommandRunner keeps in a trial's run metadata: everything a new process needs to find the
 * trial's process again and judge it, with no other state (the Scheduler may have been SIGKILLed).
 */
export interface CommandRunMetadata {
  /**
   * The process's pid; it leads its own process group, whose id is the same number. Null for a process
   * whose launcher was killed before it recorded the pid, and which had ended when it was re-attached.
   */
  readonly pid: number | null;
  /** Field 22 of `/proc/<pid>/stat` at launch (Linux), so a reused pid is not taken for the trial. */
  readonly processStartTime: string | null;
  /** The kernel boot the process started in (Linux): after a reboot, no pid is the trial's any more. */
  readonly bootId: string | null;
  /** The trial directory (absolute): logs, parameters, result file. */
  readonly trialDir: string;
  /** When the process was started, ms since epoch: timeouts count from here, also after a resume. */
  readonly startedAtMs: number;
  /** The trial's time limit in seconds, or null. */
  readonly timeoutSeconds: number | null;
  /** Seconds between SIGTERM and SIGKILL when the group is killed. */
  readonly killGraceSeconds: number;
}

/** The run metadata of a launched trial. */
export function encodeRunMetadata(meta: CommandRunMetadata): RunMetadata {
  return { ...meta };
}

/**
 * The command fields of a trial's run metadata, or why they cannot be used (the trial was not run by a
 * CommandRunner, or its metadata was edited).
 */
export function decodeRunMetadata(meta: RunMetadata): CommandRunMetadata | string {
  const { pid, processStartTime, bootId, trialDir, startedAtMs, timeoutSeconds, killGraceSeconds } = meta;
  const validPid = pid === null || (typeof pid === "number" && Number.isSafeInteger(pid) && pid > 1);
  if (!validPid) return "it has no valid pid";
  if (typeof trialDir !== "string" || trialDir === "") return "it has no trialDir";
  if (typeof startedAtMs !== "number" || !Number.isFinite(startedAtMs)) return "it has no startedAtMs";
  return {
    pid,
    processStartTime: typeof processStartTime === "string" ? processStartTime : null,
    bootId: typeof bootId === "string" ? bootId : null,
    trialDir,
    startedAtMs,
    timeoutSeconds: typeof timeoutSeconds === "number" && timeoutSeconds > 0 ? timeoutSeconds : null,
    killGraceSeconds:
      typeof killGraceSeconds === "number" && killGraceSeconds >= 0
        ? killGraceSeconds
        : DEFAULT_KILL_GRACE_SECONDS,
  };
}

/** The process identity run metadata names; null when it names no process. */
export function metadataIdentity(meta: CommandRunMetadata): ProcessIdentity | null {
  return meta.pid === null ? null : { pid: meta.pid, startTime: meta.processStartTime, bootId: meta.bootId };
}
