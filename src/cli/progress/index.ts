/**
 * Progress of a run for the `ascent` commands: a live display on a terminal, plain lines elsewhere.
 */
export { formatBest, formatDuration, formatNumber, formatParameters, formatValues } from "./format.js";
export { LiveDisplay, renderBlock, type Terminal } from "./live-display.js";
export { counts, describeEvent, PlainReporter } from "./plain-reporter.js";
export type { BestSoFar, ProgressEvent, ProgressSnapshot } from "./progress-event.js";
export type { ProgressReporter, Verbosity } from "./progress-reporter.js";
export { TrialWatcher } from "./trial-watcher.js";

import { LiveDisplay, type Terminal } from "./live-display.js";
import { PlainReporter } from "./plain-reporter.js";
import type { ProgressReporter, Verbosity } from "./progress-reporter.js";

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  /** The stream the live display would draw on (stderr), with whether it is a terminal. */
  readonly stream: Terminal & { readonly isTTY?: boolean };
  /** Prints one plain line (used when the stream is not a terminal). */
  readonly writeLine: (line: string) => void;
  readonly verbosity: Verbosity;
  /** `ASCENT_PROGRESS=plain` forces plain lines on a terminal, `live` the live display elsewhere. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The live display when the stream is a terminal (and not quiet, not `TERM=dumb`), else plain lines.
 * @example createProgressReporter({ stream: process.stderr, writeLine: console.error, verbosity: "normal", env: process.env })
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const forced = options.env.ASCENT_PROGRESS;
  const terminal = options.stream.isTTY === true && options.env.TERM !== "dumb";
  const live = forced === "live" || (forced !== "plain" && terminal);
  if (live && options.verbosity !== "quiet") return new LiveDisplay(options.stream, options.verbosity);
  return new PlainReporter(options.writeLine, options.verbosity);
}
