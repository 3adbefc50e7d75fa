import { resolve } from "node:path";
import { CommandRunnerError } from "../../errors.js";
import { type ArgvTemplate, parseArgvTemplate } from "./argv-template.js";

/** Seconds between SIGTERM and SIGKILL when a trial's process group is killed, unless set. */
export const DEFAULT_KILL_GRACE_SECONDS = 5;

/** How a command is run: shared by `CommandRunner` and `executeCommandTrial`. */
export interface CommandOptions {
  /** Program and arguments; `{name}` in an element is replaced by parameter `name` (`{{`/`}}`: braces). */
  readonly command: readonly string[];
  /** Working directory of the command (resolved against this process's); this process's by default. */
  readonly cwd?: string;
  /** Variables added to this process's environment for the command. */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds a trial may run before its process group is killed and it FAILs; null or absent: no limit. */
  readonly timeoutSeconds?: number | null;
  /** Seconds between SIGTERM and SIGKILL when a process group is killed (5 by default). */
  readonly killGraceSeconds?: number;
}

/** {@link CommandOptions}, checked, with defaults applied and paths made absolute. */
export interface ResolvedCommandOptions {
  readonly template: ArgvTemplate;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number | null;
  readonly killGraceSeconds: number;
}

/**
 * Checks and completes command options.
 * @throws CommandTemplateError for a malformed command; CommandRunnerError for a timeout or grace that is
 * not a positive finite number, env names/values that are not strings a process environment can hold, or
 * on Windows (no process groups).
 */
export function resolveCommandOptions(options: CommandOptions): ResolvedCommandOptions {
  if (typeof options !== "object" || options === null) {
    throw new CommandRunnerError(
      'Command options must be an object such as { command: ["python3", "train.py"] }.',
    );
  }
  if (process.platform === "win32") {
    // Trials are killed as process groups (negative pids), which Windows does not have.
    throw new CommandRunnerError(
      "Running a command per trial needs POSIX process groups, which Windows does not have; run it under " +
        "WSL, or use a QueueRunner with workers on Linux or macOS.",
    );
  }
  const template = parseArgvTemplate(options.command);
  if (options.cwd !== undefined && (typeof options.cwd !== "string" || options.cwd === "")) {
    throw new CommandRunnerError(`cwd must be a non-empty path, got ${JSON.stringify(options.cwd)}.`);
  }
  const timeoutSeconds = options.timeoutSeconds ?? null;
  if (timeoutSeconds !== null) positiveSeconds("timeoutSeconds", timeoutSeconds);
  const killGraceSeconds = options.killGraceSeconds ?? DEFAULT_KILL_GRACE_SECONDS;
  positiveSeconds("killGraceSeconds", killGraceSeconds, true);
  return {
    template,
    cwd: resolve(options.cwd ?? "."),
    env: checkEnv(options.env ?? {}),
    timeoutSeconds,
    killGraceSeconds,
  };
}

function positiveSeconds(name: string, value: unknown, zeroAllowed = false): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
    throw new CommandRunnerError(
      `${name} must be a ${zeroAllowed ? "non-negative" : "positive"} number of seconds, got ${String(value)}.`,
    );
  }
}

function checkEnv(env: unknown): Record<string, string> {
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    throw new CommandRunnerError("env must be an object of variable names to string values.");
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name === "" || name.includes("=") || name.includes("\0")) {
      throw new CommandRunnerError(
        `env has the variable name ${JSON.stringify(name)}, which no environment can hold.`,
      );
    }
    if (typeof value !== "string" || value.includes("\0")) {
      throw new CommandRunnerError(
        `env.${name} must be a string without NUL characters, got ${typeof value === "string" ? "one with a NUL" : typeof value}; ` +
          "write numbers and booleans as strings.",
      );
    }
    out[name] = value;
  }
  return out;
}
