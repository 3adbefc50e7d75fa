import { readdirSync, readFileSync } from "node:fs";

/**
 * What identifies one process across the life of the machine, so a pid the kernel gave to another
 * process later is not mistaken for it: the pid, its start time, and the boot it started in.
 *
 * On Linux the start time is field 22 of `/proc/<pid>/stat` (clock ticks after boot) and the boot is
 * `/proc/sys/kernel/random/boot_id`. Elsewhere (macOS, BSD, Windows) there is no `/proc`: both are null
 * and a process is recognised by its pid alone, so a reused pid can be mistaken for the trial there.
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of `/proc/<pid>/stat`, as text; null where there is no `/proc`. */
  readonly startTime: string | null;
  /** The kernel's boot id; null where there is no `/proc`. */
  readonly bootId: string | null;
}

/** State and start time of a process from `/proc/<pid>/stat`; null when it is not there. */
function readStat(pid: number): { state: string; pgrp: string; startTime: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Field 2 is the command name in parentheses and may itself hold spaces and ")": fields 3.. follow
  // the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const [state, , pgrp] = fields;
  const startTime = fields[22 - 3];
  return state && pgrp && startTime ? { state, pgrp, startTime } : null;
}

let bootIdCache: string | null | undefined;

/** The current boot's id (Linux), read once; null elsewhere. */
export function currentBootId(): string | null {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache;
}

/**
 * The identity of process `pid`, read now. Call it right after spawning: the kernel keeps a finished
 * child's `/proc` entry until Node reaps it, which cannot happen before the current task yields.
 */
export function processIdentity(pid: number): ProcessIdentity {
  return { pid, startTime: readStat(pid)?.startTime ?? null, bootId: currentBootId() };
}

/**
 * Whether the process `identity` names is still running: same pid, same start time, same boot, and not
 * a zombie (exited, waiting to be reaped, as orphans are where the init process does not reap them).
 */
export function isProcessRunning(identity: ProcessIdentity): boolean {
  if (identity.bootId !== null && currentBootId() !== null && identity.bootId !== currentBootId())
    return false;
  if (identity.startTime !== null) {
    const stat = readStat(identity.pid);
    if (stat === null || stat.startTime !== identity.startTime) return false;
    return !isDeadState(stat.state);
  }
  return signalable(identity.pid);
}

/** Whether a signal can reach `pid`: no `/proc` to read, so the pid alone decides. */
function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: no such process. EPERM: a process of another user, which is not the one this user launched.
    return false;
  }
}

/**
 * Whether any live process of process group `pgid` is left. On Linux the group's members are found in
 * `/proc`, and zombies do not count (an orphaned grandchild may stay one for good where the init process
 * does not reap); elsewhere a signal test decides, and zombies count.
 */
export function isGroupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return groupSignalable(pgid);
  }
  for (const entry of entries) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === String(pgid) && !isDeadState(stat.state)) return true;
  }
  return false;
}

function groupSignalable(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Z: zombie, X/x: dead. */
function isDeadState(state: string): boolean {
  return state === "Z" || state === "X" || state === "x";
}

/**
 * The pid of a live process whose initial environment holds `entry` (`NAME=value`), found through
 * `/proc/<pid>/environ` (Linux; processes of this user); null when there is none, or no `/proc`. How a
 * process is found whose launcher was killed while spawning it, before it could record the pid.
 */
export function findProcessWithEnv(entry: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const needle = Buffer.from(`${entry}\0`);
  for (const name of entries) {
    if (!/^[0-9]+$/.test(name)) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${name}/environ`);
    } catch {
      continue;
    }
    const at = environ.indexOf(needle);
    if (at < 0 || (at > 0 && environ[at - 1] !== 0)) continue;
    const pid = Number(name);
    if (isProcessRunning(processIdentity(pid))) return pid;
  }
  return null;
}
