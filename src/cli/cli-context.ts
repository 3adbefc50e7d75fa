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
