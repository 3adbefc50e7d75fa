import { TrialStatus } from "../../core/trial-status.js";
import type { OptimizationResult } from "../../scheduler/optimization-result.js";
import {
  type CliContext,
  INTERRUPTED_EXIT_CODE,
  RUN_FAILED_EXIT_CODE,
  SUCCESS_EXIT_CODE,
} from "../cli-context.js";
import { TrialWatcher } from "../progress/index.js";
import type { CliScheduler } from "./cli-scheduler.js";
import { exitCodeOf } from "./exit-code.js";
import { handleInterrupts } from "./interrupts.js";
import type { SessionOutput } from "./session-output.js";
import { StopWatch } from "./stop-watch.js";
import { printSummary } from "./summary.js";

/** Options of {@link runSession}. */
export interface RunSessionOptions {
  readonly context: CliContext;
  readonly output: SessionOutput;
  readonly scheduler: CliScheduler;
  /** Most trials to deploy in this run. */
  readonly maxTrials: number;
  /** Trials the experiment has when the run is done, for the progress display. */
  readonly total: number | null;
  /** The exact command that resumes the experiment, printed when the run is interrupted. */
  readonly resumeCommand: string;
  /** Commands that show the stored results, printed at the end. */
  readonly lookCommands: readonly string[];
  /** Seconds between reads of the store for an `ascent stop` request (default 1). */
  readonly stopCheckSeconds?: number;
  /**
   * On the first Ctrl-C, let running trials finish instead of returning at once: for trials evaluated in
   * this process (a FunctionRunner), which would otherwise be lost with it. Trials of other runners keep
   * running outside and are re-attached on resume.
   */
  readonly finishRunningOnInterrupt?: boolean;
}

/** How often the live display redraws (its clock), and plain lines catch up between polls, in ms. */
const LIVE_REFRESH_MS = 250;
const PLAIN_REFRESH_MS = 1000;

/**
 * Runs the Scheduler as a command does: progress shown as trials start and end, `ascent stop` requests
 * read between polls (running trials finish), Ctrl-C or SIGTERM stops launching and prints the command
 * that resumes (a second one exits at once), and the end summarized with the best point.
 * @returns the exit code: 0 done, 1 the run failed (too many failed trials, or every trial failed),
 * 130 interrupted, 2 or 3 for an experiment that cannot be run or stored (see `exitCodeOf`).
 * @throws what the run threw when it is not one of the library's errors (a bug).
 */
export async function runSession(options: RunSessionOptions): Promise<number> {
  const { context, output, scheduler } = options;
  const { reporter } = output;
  const watcher = new TrialWatcher(scheduler.experiment, options.total);
  const tick = (): void => reporter.report(watcher.scan(), watcher.snapshot());
  const stopWatch = new StopWatch(
    scheduler,
    (message) => reporter.message(`${message}: launching no more trials; running trials finish.`),
    output.logger,
    options.stopCheckSeconds,
  );
  const abort = new AbortController();
  const interrupts = handleInterrupts({
    onFirst: (signal) => onFirstInterrupt(signal, options, abort),
    onSecond: (signal) => {
      reporter.close();
      context.err(`Received ${signal} again: exiting now. Resume with:\n  ${options.resumeCommand}`);
    },
  });
  const timer = setInterval(() => tick(), reporter.live ? LIVE_REFRESH_MS : PLAIN_REFRESH_MS);
  timer.unref();
  reporter.report([], watcher.snapshot());
  let result: OptimizationResult;
  try {
    result = await scheduler.runNTrials({
      maxTrials: options.maxTrials,
      signal: abort.signal,
      idleCallback: async () => {
        tick();
        await stopWatch.check();
      },
    });
  } catch (error) {
    return endWithError(error, options, watcher, tick);
  } finally {
    clearInterval(timer);
    interrupts.dispose();
  }
  tick();
  reporter.close();
  return endWithResult(result, options, watcher, interrupts.received);
}

function onFirstInterrupt(signal: NodeJS.Signals, options: RunSessionOptions, abort: AbortController): void {
  const again = "press Ctrl-C again to exit at once";
  if (options.finishRunningOnInterrupt) {
    const running = options.scheduler.experiment.countTrialsWithStatus(TrialStatus.RUNNING);
    options.scheduler.requestStop(`Interrupted by ${signal}`);
    options.output.reporter.message(
      `Received ${signal}: launching no more trials; waiting for the ${running} running trial(s) to finish (${again}, losing them).`,
    );
    return;
  }
  options.output.reporter.message(`Received ${signal}: launching no more trials and saving (${again}).`);
  abort.abort(new Error(`Interrupted by ${signal}`));
}

function endWithError(
  error: unknown,
  options: RunSessionOptions,
  watcher: TrialWatcher,
  tick: () => void,
): number {
  tick();
  options.output.reporter.close();
  const code = exitCodeOf(error);
  if (code === null) throw error;
  options.context.err(`Error: ${(error as Error).message}`);
  if (code === RUN_FAILED_EXIT_CODE)
    printSummary(options.context, options.scheduler, watcher, options.lookCommands);
  return code;
}

function endWithResult(
  result: OptimizationResult,
  options: RunSessionOptions,
  watcher: TrialWatcher,
  interrupted: NodeJS.Signals | null,
): number {
  const { context, scheduler } = options;
  if (result.aborted || interrupted !== null) {
    printSummary(context, scheduler, watcher, []);
    const running = scheduler.experiment.countTrialsWithStatus(TrialStatus.RUNNING);
    const left =
      running > 0 ? `; ${running} trial(s) still running were left running, to be picked up on resume` : "";
    context.out(`Interrupted: launched no more trials${left}. Resume with:`);
    context.out(`  ${options.resumeCommand}`);
    return INTERRUPTED_EXIT_CODE;
  }
  if (scheduler.stopRequested) context.out(`${scheduler.completionCriterion().message}.`);
  if (result.globalStoppingReason !== null) {
    context.out(`Stopped by the global stopping rule (globalStopping): ${result.globalStoppingReason}`);
  }
  printSummary(context, scheduler, watcher, options.lookCommands);
  const completed = scheduler.experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
  if (completed === 0 && watcher.snapshot().failed > 0) {
    context.err("Error: every trial failed; see the failure reasons above (or with ascent show).");
    return RUN_FAILED_EXIT_CODE;
  }
  return SUCCESS_EXIT_CODE;
}
