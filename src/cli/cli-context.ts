/** Where a command writes, and the exit code it sets. Tests pass their own to capture the output. */
export interface CliContext {
  /** Writes a line of normal output. */
  out(line: string): void;
  /** Writes a line of diagnostics (errors, warnings, logs). */
  err(line: string): void;
  /** The process's exit code once the command is done (0 unless a command sets it). */
  exitCode: number;
  /** The environment the command reads (`process.env` by default). */
  readonly env: NodeJS.ProcessEnv;
}

/** Exit code of a command line that could not be parsed or a command used wrongly. */
export const USAGE_EXIT_CODE = 2;

/** Exit code of a command that did what it was asked. */
export const SUCCESS_EXIT_CODE = 0;

/** Exit code of a run that failed: too many trials failed (the tolerated failure rate was exceeded) or all did. */
export const RUN_FAILED_EXIT_CODE = 1;

/** Exit code when the store cannot be reached or refuses the command (bad path, server down, wrong password). */
export const STORAGE_EXIT_CODE = 3;

/**
 * Exit code of a run stopped by Ctrl-C (SIGINT) or SIGTERM before reaching its total: 128 + 2, as shells
 * report a process ended by SIGINT, so scripts tell "interrupted, resumable" apart from success or failure.
 */
export const INTERRUPTED_EXIT_CODE = 130;
