import { Logger, LogLevel } from "../../util/logger.js";
import type { CliContext } from "../cli-context.js";
import {
  createProgressReporter,
  type ProgressReporter,
  type Terminal,
  type Verbosity,
} from "../progress/index.js";

/** Where a running command writes: its progress display, and a logger that prints through it. */
export interface SessionOutput {
  readonly reporter: ProgressReporter;
  /** For the Scheduler: quiet shows errors, normal warnings too, verbose everything from INFO on. */
  readonly logger: Logger;
  readonly verbosity: Verbosity;
}

/** The verbosity the `--quiet` and `--verbose` flags ask for. */
export function verbosityOf(flags: { quiet?: boolean; verbose?: boolean }): Verbosity {
  if (flags.verbose) return "verbose";
  return flags.quiet ? "quiet" : "normal";
}

/**
 * The progress display (live on a terminal `stream`, plain lines through `context.err` otherwise) and a
 * logger whose lines go through it, so that log lines never tear the live display.
 */
export function createSessionOutput(
  context: CliContext,
  verbosity: Verbosity,
  stream: Terminal & { readonly isTTY?: boolean } = process.stderr,
): SessionOutput {
  const reporter = createProgressReporter({
    stream,
    writeLine: (line) => context.err(line),
    verbosity,
    env: context.env,
  });
  const level =
    verbosity === "verbose" ? LogLevel.INFO : verbosity === "quiet" ? LogLevel.ERROR : LogLevel.WARNING;
  const logger = new Logger({ name: "ascent", level, sink: (line) => reporter.message(line) });
  return { reporter, logger, verbosity };
}
