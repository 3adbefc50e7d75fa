import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BaseTrial, RunMetadata } from "../../core/base-trial.js";
import type { JsonObject } from "../../core/json.js";
import type { Parameterization } from "../../core/parameter-type.js";
import type { ProgressRecord } from "../../core/progress-record.js";
import {
  type ProgressSource,
  Runner,
  type TrialChangeNotifier,
  type TrialFailureReporter,
  type TrialResultReporter,
  type TrialStatusMap,
  type TrialStatusPoller,
  type TrialStopper,
} from "../../core/runner.js";
import { TrialStatus } from "../../core/trial-status.js";
import { CommandRunnerError } from "../../errors.js";
import { Logger } from "../../util/logger.js";
import { renderArgv } from "./argv-template.js";
import {
  type CommandOptions,
  type ResolvedCommandOptions,
  resolveCommandOptions,
} from "./command-options.js";
import { type CommandRunMetadata, decodeRunMetadata, encodeRunMetadata } from "./command-run-metadata.js";
import {
  type CommandTrialContext,
  commandEnvironment,
  LAUNCH_ID_VARIABLE,
  type LaunchRecord,
  leftOutput,
  readLaunchRecord,
  startCommandTrial,
} from "./command-trial.js";
import { findProcessWithEnv, type ProcessIdentity, processIdentity } from "./process-identity.js";
import { ProgressFile } from "./progress-file.js";
import { TrackedTrial, type TrialState } from "./tracked-trial.js";
import { createTrialDirectory, trialDirectory, trialFiles } from "./trial-dir.js";

/** Options of {@link CommandRunner}. */
export interface CommandRunnerOptions extends CommandOptions {
  /** Root of the trial directories, `<workDir>/<experiment>/<trial index>`; `./ascent-trials` by default. */
  readonly workDir?: string;
  /**
   * Names of environment variables the command needs whose values are not stored: a runner rebuilt from
   * storage takes them from this process's environment. Set by the stored form (see `storedFields`).
   */
  readonly envNames?: readonly string[];
  /**
   * Identifies this runner (and its stored copies) in the launches it records in trial directories, so a
   * launch a dead Scheduler never saved is re-attached rather than started again, while a directory an
   * older experiment of the same name left is not mistaken for it. A random id by default; stored.
   */
  readonly runnerId?: string;
  /** Receives the runner's warnings (a malformed progress line); a console logger by default. Not stored. */
  readonly logger?: Logger;
}

/** The process a launch record names. */
function processIdentityFrom(record: LaunchRecord): ProcessIdentity {
  return { pid: record.pid!, startTime: record.processStartTime, bootId: record.bootId };
}

/**
 * The process of a launch whose launcher was killed while spawning it (the record has no pid): found by
 * the launch id in its environment (Linux); null when it is not running (never started, or ended).
 */
function findUnrecordedProcess(record: LaunchRecord): ProcessIdentity | null {
  if (record.launchId === null) return null;
  const pid = findProcessWithEnv(`${LAUNCH_ID_VARIABLE}=${record.launchId}`);
  return pid === null ? null : processIdentity(pid);
}

/** How often trials re-attached from run metadata (no exit event) are checked for having ended. */
const REATTACHED_CHECK_MS = 250;

/**
 * Runs each trial as one process: `command` is an argv array (never a shell), with `{name}` replaced by
 * the value of parameter `name` inside an element; the process also gets the parameters and the paths of
 * its trial directory through `ASCENT_*` environment variables. The trial's result is the JSON object the
 * process writes to `$ASCENT_RESULT_FILE`, else the last JSON-object line of its stdout, else a bare number
 * on its last stdout line. A non-zero exit, a signal, no result, a timeout or a stop: FAILED with the
 * reason. Progress (a learning curve) is appended by the process to `$ASCENT_PROGRESS_FILE` as JSON
 * lines (`{"step": 20, "loss": 0.31}`), read at each poll (a {@link ProgressSource}); a trial the
 * Scheduler stops early without a result of its own keeps its last reported values as its result. Processes outlive the Scheduler; a runner rebuilt from storage re-attaches to them from the
 * trials' run metadata (pid, process start time, trial directory) and never starts a trial twice.
 * @throws CommandTemplateError or CommandRunnerError from the constructor for malformed options.
 * @example
 * const runner = new CommandRunner({
 *   command: ["python3", "train.py", "--lr", "{lr}", "--layers={layers}"],
 *   timeoutSeconds: 3600,
 * });
 */
export class CommandRunner
  extends Runner
  implements
    TrialStatusPoller,
    TrialResultReporter,
    TrialFailureReporter,
    TrialStopper,
    TrialChangeNotifier,
    ProgressSource
{
  private readonly options: ResolvedCommandOptions;
  private readonly workDir: string;
  private readonly envNames: readonly string[];
  private readonly runnerId: string;
  private readonly trials = new Map<number, TrackedTrial | { failure: string }>();
  private readonly listeners = new Set<() => void>();
  private reattachedCheck: NodeJS.Timeout | null = null;
  private readonly progressFiles = new Map<number, ProgressFile>();
  private readonly logger: Logger;

  constructor(options: CommandRunnerOptions) {
    super();
    this.options = resolveCommandOptions(options);
    this.workDir = resolve(options.workDir ?? "ascent-trials");
    const names = options.envNames ?? [];
    if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
      throw new CommandRunnerError("envNames must be an array of environment variable names.");
    }
    this.envNames = names.filter((n) => !Object.hasOwn(this.options.env, n));
    if (options.runnerId !== undefined && (typeof options.runnerId !== "string" || options.runnerId === "")) {
      throw new CommandRunnerError("runnerId must be a non-empty string (it is set by the stored form).");
    }
    this.runnerId = options.runnerId ?? randomUUID();
    this.logger = options.logger ?? new Logger({ name: "ascent.CommandRunner" });
  }

  /**
   * What is stored with the experiment: the command, the directories (absolute), the timeouts, the
   * runner id, and the NAMES of the env variables, never their values (they may be secrets). A runner rebuilt from these
   * fields re-attaches to running trials (which needs none of the values); to start new trials it takes
   * the values from its process's environment, or pass `runner: new CommandRunner({ ..., env })` when
   * resuming.
   */
  storedFields(): JsonObject {
    return {
      command: [...this.options.template.command],
      cwd: this.options.cwd,
      workDir: this.workDir,
      timeoutSeconds: this.options.timeoutSeconds,
      killGraceSeconds: this.options.killGraceSeconds,
      envNames: [...new Set([...Object.keys(this.options.env), ...this.envNames])].sort(),
      runnerId: this.runnerId,
    };
  }

  /**
   * Starts the trial's process and returns its run metadata ({@link CommandRunMetadata}). A trial whose
   * directory already holds a launch of it by this runner (or a stored copy of it), with the same
   * parameters (a Scheduler that died before saving the launch) is re-attached, not started again.
   * @throws CommandTemplateError for a placeholder that is not a parameter; CommandRunnerError for a batch
   * trial, missing env values of a stored runner, or a program that cannot start.
   */
  async run(trial: BaseTrial): Promise<RunMetadata> {
    const parameters = this.parametersOf(trial);
    this.checkEnvValues(trial.index);
    const argv = renderArgv(this.options.template, parameters);
    const dir = trialDirectory(this.workDir, trial.experimentName, trial.index);
    createTrialDirectory(this.workDir, dir);
    const context: CommandTrialContext = {
      trialIndex: trial.index,
      experimentName: trial.experimentName,
      parameters,
      files: trialFiles(dir),
    };
    const adopted = this.adoptEarlierLaunch(trial, context);
    if (adopted) return encodeRunMetadata(adopted.meta);
    const launched = await startCommandTrial(context, {
      argv,
      cwd: this.options.cwd,
      env: commandEnvironment(context, this.options.env),
      runnerId: this.runnerId,
    });
    const meta: CommandRunMetadata = {
      pid: launched.identity.pid,
      processStartTime: launched.identity.startTime,
      bootId: launched.identity.bootId,
      trialDir: dir,
      startedAtMs: launched.startedAtMs,
      timeoutSeconds: this.options.timeoutSeconds,
      killGraceSeconds: this.options.killGraceSeconds,
    };
    const tracked = new TrackedTrial(trial.index, meta, true, () => this.notify());
    this.trials.set(trial.index, tracked);
    tracked.watchExit(launched.exited);
    return encodeRunMetadata(meta);
  }

  /** Reports each trial RUNNING, COMPLETED or FAILED, from its process and the files it left. */
  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    const map: TrialStatusMap = new Map();
    for (const trial of trials) {
      const state = this.stateOf(trial);
      const status = state === "RUNNING" ? TrialStatus.RUNNING : TrialStatus[state.status];
      const set = map.get(status) ?? new Set<number>();
      set.add(trial.index);
      map.set(status, set);
    }
    return map;
  }

  /**
   * The result of a COMPLETED trial, as the process reported it (not validated: the result metric does);
   * for a stopped trial, whatever result it left before it was killed; otherwise null.
   */
  async pollTrialResult(trial: BaseTrial): Promise<unknown> {
    const tracked = this.tracked(trial);
    if (!(tracked instanceof TrackedTrial)) return null;
    const state = tracked.poll();
    if (state !== "RUNNING" && state.status === "COMPLETED") return state.result;
    return tracked.stoppedResult();
  }

  /**
   * The progress the trial's process appended to `$ASCENT_PROGRESS_FILE` since the last call (complete
   * JSON lines only; a malformed line is logged and skipped). A runner that did not start the trial (a
   * resumed one) reads the file from its start: the Scheduler skips what it already stored.
   */
  takeProgress(trial: BaseTrial): readonly ProgressRecord[] {
    let file = this.progressFiles.get(trial.index);
    if (file === undefined) {
      const meta = decodeRunMetadata(trial.runMetadata);
      if (typeof meta === "string") return [];
      const path = trialFiles(meta.trialDir).progress;
      file = new ProgressFile(path, (line, why) =>
        this.logger.warn(`Trial ${trial.index}: skipping line ${line} of its progress file ${path}: ${why}.`),
      );
      this.progressFiles.set(trial.index, file);
    }
    return file.read();
  }

  /** Why a FAILED trial failed (exit status and stderr tail, no result, timeout, stop); null otherwise. */
  async pollException(trial: BaseTrial): Promise<string | null> {
    const state = this.stateOf(trial);
    return state !== "RUNNING" && state.status === "FAILED" ? state.reason : null;
  }

  /**
   * Kills the trial's process group (SIGTERM, then SIGKILL after `killGraceSeconds`) and resolves once it
   * is gone; the trial then reads FAILED with the reason. A trial that already ended is left as it is.
   */
  async stop(trial: BaseTrial, reason: string | null): Promise<RunMetadata | undefined> {
    const tracked = this.tracked(trial);
    if (tracked instanceof TrackedTrial) await tracked.stop(reason);
    return undefined;
  }

  /** Calls `listener` when a trial's process exits or its group has been killed. */
  onTrialChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private stateOf(trial: BaseTrial): TrialState {
    const tracked = this.tracked(trial);
    return tracked instanceof TrackedTrial ? tracked.poll() : { status: "FAILED", reason: tracked.failure };
  }

  /** The trial as this runner follows it; re-attached from its run metadata when this runner did not start it. */
  private tracked(trial: BaseTrial): TrackedTrial | { failure: string } {
    const known = this.trials.get(trial.index);
    if (known !== undefined) return known;
    const meta = decodeRunMetadata(trial.runMetadata);
    const tracked =
      typeof meta === "string"
        ? {
            failure:
              `Trial ${trial.index}: its run metadata cannot locate a process (${meta}); it was not started by ` +
              "a CommandRunner, or its metadata was changed. It is not run again.",
          }
        : new TrackedTrial(trial.index, meta, false, () => this.notify());
    this.trials.set(trial.index, tracked);
    if (tracked instanceof TrackedTrial) this.watchReattached();
    return tracked;
  }

  /**
   * A launch of this trial left in its directory by a Scheduler that died before saving it (it may not
   * even have saved the trial, which the resumed one then generates again, with the same parameters):
   * re-attached when this runner (or a stored copy of it) made it for the same parameters. A directory an
   * older experiment of the same name left has another runner id, and is cleared and run afresh.
   */
  private adoptEarlierLaunch(trial: BaseTrial, context: CommandTrialContext): TrackedTrial | null {
    const record = readLaunchRecord(context.files);
    if (record === null || record.runnerId !== this.runnerId) return null;
    let parameters: string;
    try {
      parameters = readFileSync(context.files.parameters, "utf8").trim();
    } catch {
      return null;
    }
    if (parameters !== JSON.stringify(context.parameters)) return null;
    const identity = record.pid === null ? findUnrecordedProcess(record) : processIdentityFrom(record);
    // Neither recorded nor found, and no trace of having run: it never started. Start it now.
    if (identity === null && !leftOutput(context.files)) return null;
    const meta: CommandRunMetadata = {
      pid: identity?.pid ?? null,
      processStartTime: identity?.startTime ?? null,
      bootId: identity?.bootId ?? record.bootId,
      trialDir: context.files.dir,
      startedAtMs: record.startedAtMs,
      timeoutSeconds: this.options.timeoutSeconds,
      killGraceSeconds: this.options.killGraceSeconds,
    };
    const tracked = new TrackedTrial(trial.index, meta, false, () => this.notify());
    this.trials.set(trial.index, tracked);
    this.watchReattached();
    return tracked;
  }

  /** Re-attached processes have no exit event: check them now and then, to say when one ended. */
  private watchReattached(): void {
    if (this.reattachedCheck !== null) return;
    this.reattachedCheck = setInterval(() => {
      let open = 0;
      let gone = false;
      for (const t of this.trials.values()) {
        if (!(t instanceof TrackedTrial) || t.own || t.settled) continue;
        open += 1;
        if (t.checkGone()) gone = true;
      }
      if (gone) this.notify();
      if (open === 0 && this.reattachedCheck !== null) {
        clearInterval(this.reattachedCheck);
        this.reattachedCheck = null;
      }
    }, REATTACHED_CHECK_MS);
    this.reattachedCheck.unref();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener is a wake-up hint; its failure must not stop the others nor the runner.
      }
    }
  }

  private parametersOf(trial: BaseTrial): Parameterization {
    if (trial.arms.length !== 1) {
      throw new CommandRunnerError(
        `Trial ${trial.index} has ${trial.arms.length} arms; a CommandRunner runs one process per one-arm trial. ` +
          "Deploy batch trials with a runner of your own.",
        { trialIndex: trial.index },
      );
    }
    return trial.arms[0]!.parameters;
  }

  /** A runner rebuilt from storage knows its env variables' names only: their values must be here. */
  private checkEnvValues(trialIndex: number): void {
    const missing = this.envNames.filter((name) => process.env[name] === undefined);
    if (missing.length === 0) return;
    throw new CommandRunnerError(
      `Trial ${trialIndex}: the command needs the environment variables ${missing.join(", ")}, whose values ` +
        "are not stored with the experiment (they may be secrets). Set them in this process's environment, " +
        "or pass `runner: new CommandRunner({ ..., env })` to Scheduler.fromStoredExperiment.",
      { trialIndex },
    );
  }
}
