import { spawn } from "node:child_process";
import { closeSync, openSync, statSync } from "node:fs";
import { CommandRunnerError } from "../../errors.js";
import { isGroupAlive, isProcessRunning, type ProcessIdentity, processIdentity } from "./process-identity.js";

/** How a process ended: its exit code, or the signal that killed it. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A command started in its own process group. */
export interface LaunchedProcess {
  readonly identity: ProcessIdentity;
  /** When it was started (ms since epoch). */
  readonly startedAtMs: number;
  /** Settles when the process exits. */
  readonly exited: Promise<ExitStatus>;
}

/** What to start, and where its output goes. */
export interface LaunchSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdoutPath: string;
  readonly stderrPath: string;
  /**
   * Called synchronously as soon as the process exists (before this function yields), to record it
   * durably: a SIGKILL of this process can then not fall between the launch and its record.
   */
  readonly onSpawned?: (identity: ProcessIdentity, startedAtMs: number) => void;
  /**
   * Whether the process keeps this one's event loop alive until it exits: yes for a caller that awaits
   * the exit (`executeCommandTrial`); no (the default) for a runner, whose trials outlive the Scheduler.
   */
  readonly keepAlive?: boolean;
}

/** How often a kill checks whether the group is gone. */
const KILL_CHECK_MS = 20;
/** Longest wait for a group to vanish after SIGKILL (it cannot refuse; only a stuck kernel call delays it). */
const AFTER_SIGKILL_MS = 5000;

/**
 * Starts `argv` without a shell, in a new process group (it leads it, so the group id is its pid), with
 * stdout and stderr written straight to files through file descriptors. No pipe connects it to this
 * process: it does not get SIGPIPE, nor block, when this process dies, and (unless `keepAlive`) it does not
 * keep this process alive (unref'd) — a trial outlives the Scheduler, which finds it again from its
 * identity.
 * @throws CommandRunnerError when `cwd` is not a directory, or the program cannot be started (not found,
 * not executable, arguments and environment too long), with the system's reason.
 */
export async function launchCommand(spec: LaunchSpec): Promise<LaunchedProcess> {
  assertDirectory(spec.cwd);
  const out = openSync(spec.stdoutPath, "w");
  const err = openSync(spec.stderrPath, "w");
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(spec.argv[0]!, spec.argv.slice(1), {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", out, err],
      detached: true,
      shell: false,
      windowsHide: true,
    });
  } finally {
    // The child holds its own copies of the descriptors once spawn returns.
    closeSync(out);
    closeSync(err);
  }
  const startedAtMs = Date.now();
  // Read before yielding: until Node reaps the child (not before this task ends), its /proc entry stays.
  const identity = child.pid === undefined ? null : processIdentity(child.pid);
  if (identity !== null) recordSpawn(spec, identity, startedAtMs);
  const exited = new Promise<ExitStatus>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  }).catch((error: unknown) => {
    throw new CommandRunnerError(
      `Could not start ${JSON.stringify(spec.argv[0])} in ${JSON.stringify(spec.cwd)}: ${(error as Error).message}. ` +
        "Check that the program exists (an absolute path, or a name on PATH), is executable, and that the " +
        "arguments and environment are not too long.",
      { cause: error, path: spec.cwd },
    );
  });
  child.on("error", () => {
    // A later error (a failed kill) is seen through the identity checks; none may crash the process.
  });
  if (!spec.keepAlive) child.unref();
  return { identity: identity!, startedAtMs, exited };
}

/** Calls `onSpawned`; a process that cannot be recorded is killed at once (none may run untracked). */
function recordSpawn(spec: LaunchSpec, identity: ProcessIdentity, startedAtMs: number): void {
  try {
    spec.onSpawned?.(identity, startedAtMs);
  } catch (error) {
    signalGroup(identity.pid, "SIGKILL");
    throw new CommandRunnerError(
      `Could not record the launch of ${JSON.stringify(spec.argv[0])}, so it was killed: ${(error as Error).message}.`,
      { cause: error },
    );
  }
}

function assertDirectory(cwd: string): void {
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new CommandRunnerError(
      `The working directory ${JSON.stringify(cwd)} of the command does not exist or is not a directory; ` +
        "create it or pass another `cwd`.",
      { path: cwd },
    );
  }
}

/**
 * Kills the process group the process `identity` leads: SIGTERM, then SIGKILL to whatever is left after
 * `graceMs`; resolves once no live process of the group is left. Does nothing when the group is gone, or
 * when the pid now belongs to another process (the group id is free again then, and may be another's).
 */
export async function killProcessGroup(identity: ProcessIdentity, graceMs: number): Promise<void> {
  const pgid = identity.pid;
  // 0 and -1 would signal this process's own group or every process: never.
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return;
  if (!isProcessRunning(identity) && pidTakenByAnother(identity)) return;
  if (!signalGroup(pgid, "SIGTERM")) return;
  if (await waitUntilGone(pgid, graceMs)) return;
  if (!signalGroup(pgid, "SIGKILL")) return;
  await waitUntilGone(pgid, AFTER_SIGKILL_MS);
}

/**
 * Kills what a finished process left running in its group (children it started and did not wait for):
 * the trial is over, and nothing of it may keep running. Most groups are empty by then, which one system
 * call tells; the others are killed as on a timeout.
 */
export function killLeftovers(identity: ProcessIdentity, graceMs: number): Promise<void> {
  if (!Number.isSafeInteger(identity.pid) || identity.pid <= 1 || !groupExists(identity.pid)) {
    return Promise.resolve();
  }
  return killProcessGroup(identity, graceMs);
}

/** Whether any process (zombies included) is in group `pgid`. */
function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether another process than `identity`'s now has its pid (Linux only; elsewhere: not known, false). */
function pidTakenByAnother(identity: ProcessIdentity): boolean {
  if (identity.startTime === null) return false;
  const now = processIdentity(identity.pid);
  return now.startTime !== null && now.startTime !== identity.startTime;
}

/** Sends `signal` to the group; false when the group does not exist. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pgid: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (!isGroupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, KILL_CHECK_MS));
  }
}
