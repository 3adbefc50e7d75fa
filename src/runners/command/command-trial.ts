import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Parameterization } from "../../core/parameter-type.js";
import { CommandRunnerError } from "../../errors.js";
import { type ExitStatus, type LaunchedProcess, launchCommand } from "./command-process.js";
import { currentBootId, type ProcessIdentity } from "./process-identity.js";
import { describeTail, parseCommandResult, readTail } from "./result-parse.js";
import type { TrialFiles } from "./trial-dir.js";

/** How much of the end of stderr is read for failure reasons. */
const STDERR_TAIL_BYTES = 64 * 1024;

/** How one command trial ended: its result, or why it failed. */
export type CommandTrialOutcome =
  | { readonly status: "COMPLETED"; readonly result: unknown }
  | { readonly status: "FAILED"; readonly reason: string };

/** The trial a command is started for. */
export interface CommandTrialContext {
  readonly trialIndex: number;
  readonly experimentName: string;
  readonly parameters: Parameterization;
  readonly files: TrialFiles;
}

/**
 * The environment of a trial's process: this process's environment, then `extra` (the runner's `env`),
 * then the `ASCENT_*` variables, which nothing overrides: `ASCENT_PARAMETERS` (the parameters as JSON),
 * `ASCENT_PARAMETERS_FILE` (a file holding the same JSON), `ASCENT_RESULT_FILE` (where the command may
 * write its result), `ASCENT_PROGRESS_FILE` (where it may append progress as JSON lines), `ASCENT_TRIAL_INDEX`, `ASCENT_EXPERIMENT` and `ASCENT_TRIAL_DIR`.
 * @throws CommandRunnerError when the experiment name holds a NUL character (no environment can carry it).
 */
export function commandEnvironment(
  context: CommandTrialContext,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, extra);
  env.ASCENT_PARAMETERS = JSON.stringify(context.parameters);
  env.ASCENT_PARAMETERS_FILE = context.files.parameters;
  env.ASCENT_RESULT_FILE = context.files.result;
  env.ASCENT_PROGRESS_FILE = context.files.progress;
  env.ASCENT_TRIAL_INDEX = String(context.trialIndex);
  if (context.experimentName.includes("\0")) {
    throw new CommandRunnerError(
      `Trial ${context.trialIndex}: the experiment name ${JSON.stringify(context.experimentName)} holds a NUL ` +
        "character, which no environment variable (ASCENT_EXPERIMENT) can carry; rename the experiment.",
      { trialIndex: context.trialIndex },
    );
  }
  env.ASCENT_EXPERIMENT = context.experimentName;
  env.ASCENT_TRIAL_DIR = context.files.dir;
  return env;
}

/**
 * What a launch leaves in the trial directory, so a later process can tell it is this trial's. Written
 * twice: before the spawn (no pid yet; a process killed in the middle of spawning leaves this much) and
 * right after it, with the pid.
 */
export interface LaunchRecord {
  /** Null in the record written before the spawn. */
  readonly pid: number | null;
  readonly processStartTime: string | null;
  readonly bootId: string | null;
  readonly startedAtMs: number;
  readonly argv: readonly string[];
  /** The launching CommandRunner's `runnerId` (stored with the experiment); null for one-off trials. */
  readonly runnerId: string | null;
  /** A random id of this launch, also in the process's environment as `ASCENT_LAUNCH_ID`. */
  readonly launchId: string | null;
}

/** The variable that carries a launch's id into its process, so the process can be found by it. */
export const LAUNCH_ID_VARIABLE = "ASCENT_LAUNCH_ID";

/**
 * Starts a trial's command: clears what an earlier run left in the trial directory (which must exist),
 * writes the parameters file, launches `argv`, and records the launch in `launch.json` at once (before
 * anything can interrupt this process between the two).
 * @throws CommandRunnerError when the command cannot be started.
 */
export async function startCommandTrial(
  context: CommandTrialContext,
  launch: {
    argv: readonly string[];
    cwd: string;
    env: Readonly<Record<string, string>>;
    runnerId?: string | null;
    keepAlive?: boolean;
  },
): Promise<LaunchedProcess> {
  const { files } = context;
  for (const stale of [files.result, files.exit, files.launch, files.progress])
    rmSync(stale, { force: true });
  writeFileSync(files.parameters, `${JSON.stringify(context.parameters)}\n`);
  const launchId = randomUUID();
  const writeRecord = (identity: ProcessIdentity | null, startedAtMs: number): void => {
    const record: LaunchRecord = {
      pid: identity?.pid ?? null,
      processStartTime: identity?.startTime ?? null,
      bootId: identity?.bootId ?? currentBootId(),
      startedAtMs,
      argv: launch.argv,
      runnerId: launch.runnerId ?? null,
      launchId,
    };
    writeAtomically(files.launch, `${JSON.stringify(record)}\n`);
  };
  writeRecord(null, Date.now());
  try {
    return await launchCommand({
      argv: launch.argv,
      cwd: launch.cwd,
      env: { ...launch.env, [LAUNCH_ID_VARIABLE]: launchId },
      stdoutPath: files.stdout,
      stderrPath: files.stderr,
      onSpawned: writeRecord,
      keepAlive: launch.keepAlive ?? false,
    });
  } catch (error) {
    rmSync(files.launch, { force: true });
    throw error;
  }
}

/** The launch recorded in a trial directory, or null when there is none (or it is unreadable). */
export function readLaunchRecord(files: TrialFiles): LaunchRecord | null {
  const value = readJson(files.launch) as Partial<LaunchRecord> | null;
  if (typeof value?.startedAtMs !== "number") return null;
  return {
    pid: typeof value.pid === "number" && Number.isSafeInteger(value.pid) && value.pid > 1 ? value.pid : null,
    processStartTime: typeof value.processStartTime === "string" ? value.processStartTime : null,
    bootId: typeof value.bootId === "string" ? value.bootId : null,
    startedAtMs: value.startedAtMs,
    argv: Array.isArray(value.argv) ? value.argv : [],
    runnerId: typeof value.runnerId === "string" ? value.runnerId : null,
    launchId: typeof value.launchId === "string" ? value.launchId : null,
  };
}

/** Whether a trial's process left any trace: a result file, or output on stdout or stderr. */
export function leftOutput(files: TrialFiles): boolean {
  return [files.result, files.stdout, files.stderr].some((path) => {
    try {
      return statSync(path).size > 0;
    } catch {
      return false;
    }
  });
}

/** Keeps the exit status in the trial directory, for a process that re-attaches after this one died. */
export function recordExit(files: TrialFiles, exit: ExitStatus): void {
  try {
    writeAtomically(files.exit, `${JSON.stringify(exit)}\n`);
  } catch {
    // Without it, a re-attached runner judges by the result alone; the trial's outcome does not depend on it.
  }
}

/** The exit status recorded in a trial directory, or null when no process saw the exit. */
export function readRecordedExit(files: TrialFiles): ExitStatus | null {
  const value = readJson(files.exit) as Partial<ExitStatus> | null;
  if (value === null) return null;
  return {
    code: typeof value.code === "number" ? value.code : null,
    signal: typeof value.signal === "string" ? value.signal : null,
  };
}

/** Writes `path` whole or not at all (a process killed mid-write leaves the old file or none, never half). */
function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/** How a finished trial's process ended, as far as is known. */
export type Ending =
  | { readonly kind: "exited"; readonly exit: ExitStatus }
  /** It ended while no process watched it (the Scheduler was down): its exit status is lost. */
  | { readonly kind: "unknown" }
  | { readonly kind: "timedOut"; readonly timeoutSeconds: number; readonly graceSeconds: number }
  | { readonly kind: "stopped"; readonly reason: string | null };

/**
 * The outcome of a finished trial: FAILED for a timeout, a stop, a non-zero exit or a signal (with the
 * stderr tail); otherwise the result parsed from what the command left (see `parseCommandResult`),
 * FAILED with the tails of stdout and stderr when there is none.
 */
export function finishedOutcome(trialIndex: number, files: TrialFiles, ending: Ending): CommandTrialOutcome {
  const failed = (reason: string): CommandTrialOutcome => ({ status: "FAILED", reason });
  const stderrTail = () => describeTail("stderr", readTail(files.stderr, STDERR_TAIL_BYTES));
  switch (ending.kind) {
    case "timedOut":
      return failed(
        `Trial ${trialIndex} timed out after ${ending.timeoutSeconds} s; its process group was killed ` +
          `(SIGTERM, then SIGKILL after ${ending.graceSeconds} s). ${stderrTail()}`,
      );
    case "stopped":
      return failed(
        `Trial ${trialIndex} was stopped${ending.reason ? ` (${ending.reason})` : ""}; its process group was killed.`,
      );
    case "exited":
      if (ending.exit.signal !== null) {
        return failed(
          `Trial ${trialIndex}: the command was killed by signal ${ending.exit.signal}. ${stderrTail()}`,
        );
      }
      if (ending.exit.code !== 0) {
        return failed(
          `Trial ${trialIndex}: the command exited with code ${ending.exit.code}. ${stderrTail()}`,
        );
      }
      return parsedOutcome(trialIndex, files, "");
    case "unknown":
      return parsedOutcome(
        trialIndex,
        files,
        " (It ended while no Scheduler watched it, so its exit status is unknown.)",
      );
  }
}

function parsedOutcome(trialIndex: number, files: TrialFiles, note: string): CommandTrialOutcome {
  const resultFileText = existsSync(files.result) ? readFileSync(files.result, "utf8") : null;
  const stdout = readTail(files.stdout);
  const stderr = readTail(files.stderr, STDERR_TAIL_BYTES);
  const parsed = parseCommandResult({ trialIndex, resultFileText, stdout, stderr });
  return parsed.ok
    ? { status: "COMPLETED", result: parsed.result }
    : { status: "FAILED", reason: parsed.reason + note };
}

/** The result a trial's process left (result file or stdout), by the usual rules; null when none. */
export function leftResult(trialIndex: number, files: TrialFiles): unknown {
  const outcome = parsedOutcome(trialIndex, files, "");
  return outcome.status === "COMPLETED" ? outcome.result : null;
}
