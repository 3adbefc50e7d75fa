import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Parameterization } from "../../core/parameter-type.js";
import type { ProgressRecord } from "../../core/progress-record.js";
import { AscentError } from "../../errors.js";
import type { AbortSignalLike } from "../../util/abort-signal.js";
import { renderArgv } from "./argv-template.js";
import { type CommandOptions, resolveCommandOptions } from "./command-options.js";
import { type ExitStatus, killLeftovers, killProcessGroup, type LaunchedProcess } from "./command-process.js";
import {
  type CommandTrialContext,
  type CommandTrialOutcome,
  commandEnvironment,
  type Ending,
  finishedOutcome,
  recordExit,
  startCommandTrial,
} from "./command-trial.js";
import { ProgressFile } from "./progress-file.js";
import { trialFiles } from "./trial-dir.js";

/** How often the progress file of a running trial is read, in ms. */
const PROGRESS_READ_MS = 250;

/** One trial to run to its end with {@link executeCommandTrial}. */
export interface CommandTrialSpec extends CommandOptions {
  /** The trial's directory (created when missing): logs, parameters file, result file. */
  readonly trialDir: string;
  readonly parameters: Parameterization;
  readonly trialIndex: number;
  readonly experimentName: string;
  /** Stops the trial when it fires: its process group is killed and the outcome is FAILED. */
  readonly signal?: AbortSignalLike;
  /**
   * Receives the progress the process appends to `$ASCENT_PROGRESS_FILE`, read every 250 ms while it
   * runs and once after it exited; without it the file is not read.
   */
  readonly onProgress?: (records: readonly ProgressRecord[]) => void;
  /** Told about each malformed line of the progress file (which is skipped). */
  readonly onMalformedProgress?: (lineNumber: number, why: string) => void;
}

/**
 * Runs one command trial to its end, in this process, with exactly the rules of `CommandRunner`:
 * placeholders, environment (`ASCENT_*`), trial files, result parsing, timeout and kill of the whole
 * process group. For a worker that evaluates trials one call at a time (the queue worker's command form).
 *
 * Never throws for what goes wrong with the trial (an unknown placeholder, a program that cannot start,
 * a non-zero exit, no result, a timeout, an abort): that is a FAILED outcome whose reason names the trial.
 * @throws CommandTemplateError or CommandRunnerError when the spec itself is malformed (empty command,
 * bad timeout or env).
 * @example
 * const outcome = await executeCommandTrial({
 *   command: ["python3", "train.py", "--lr", "{lr}"], timeoutSeconds: 600,
 *   trialDir: "/tmp/trials/exp/3", parameters: { lr: 0.01 }, trialIndex: 3, experimentName: "exp",
 * });
 * if (outcome.status === "COMPLETED") console.log(outcome.result);
 */
export async function executeCommandTrial(spec: CommandTrialSpec): Promise<CommandTrialOutcome> {
  const options = resolveCommandOptions(spec);
  const files = trialFiles(resolve(spec.trialDir));
  const context: CommandTrialContext = {
    trialIndex: spec.trialIndex,
    experimentName: spec.experimentName,
    parameters: spec.parameters,
    files,
  };
  if (spec.signal?.aborted) {
    const why = abortReason(spec.signal);
    return {
      status: "FAILED",
      reason: `Trial ${spec.trialIndex} was stopped${why ? ` (${why})` : ""} before it started.`,
    };
  }
  let launched: LaunchedProcess;
  try {
    const argv = renderArgv(options.template, spec.parameters);
    mkdirSync(files.dir, { recursive: true });
    launched = await startCommandTrial(context, {
      argv,
      cwd: options.cwd,
      env: commandEnvironment(context, options.env),
      // This call awaits the exit: the process must keep Node running until then.
      keepAlive: true,
    });
  } catch (error) {
    if (!(error instanceof AscentError) && !isFileSystemError(error)) throw error;
    return { status: "FAILED", reason: `Trial ${spec.trialIndex}: ${(error as Error).message}` };
  }
  const stopReading = readProgress(files.progress, spec);
  try {
    const ending = await watch(launched, options.timeoutSeconds, options.killGraceSeconds, spec);
    return finishedOutcome(spec.trialIndex, files, ending);
  } finally {
    stopReading();
  }
}

/** Reads the progress file now and then while the process runs; returns a function that reads it a last time and stops. */
function readProgress(path: string, spec: CommandTrialSpec): () => void {
  const onProgress = spec.onProgress;
  if (onProgress === undefined) return () => undefined;
  const file = new ProgressFile(path, spec.onMalformedProgress ?? (() => undefined));
  const read = () => {
    const records = file.read();
    if (records.length > 0) onProgress(records);
  };
  const timer = setInterval(read, PROGRESS_READ_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    read();
  };
}

/** Waits for the process to exit, killing its group on timeout or abort; how it ended. */
async function watch(
  launched: LaunchedProcess,
  timeoutSeconds: number | null,
  graceSeconds: number,
  spec: CommandTrialSpec,
): Promise<Ending> {
  let interrupt: Ending | null = null;
  let killing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const kill = (why: Ending) => {
    if (interrupt !== null) return;
    interrupt = why;
    killing = killProcessGroup(launched.identity, graceSeconds * 1000);
  };
  const onAbort = () => kill({ kind: "stopped", reason: abortReason(spec.signal) });
  spec.signal?.addEventListener("abort", onAbort, { once: true });
  if (timeoutSeconds !== null) {
    timer = setTimeout(() => kill({ kind: "timedOut", timeoutSeconds, graceSeconds }), timeoutSeconds * 1000);
  }
  let exit: ExitStatus;
  try {
    exit = await launched.exited;
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener("abort", onAbort);
  }
  // The leader is gone; the kill goes on until nothing of its group is left. After a normal exit, what
  // the process left running in its group goes too.
  await (killing ?? killLeftovers(launched.identity, graceSeconds * 1000));
  recordExit(trialFiles(resolve(spec.trialDir)), exit);
  return interrupt ?? { kind: "exited", exit };
}

/** Why the signal fired, as text (its `reason`: an Error's message or a string), or null. */
function abortReason(signal: AbortSignalLike | undefined): string | null {
  const reason: unknown = (signal as { reason?: unknown } | undefined)?.reason;
  if (reason instanceof Error) return reason.message;
  return typeof reason === "string" ? reason : null;
}

function isFileSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | null)?.code === "string";
}
