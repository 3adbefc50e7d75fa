import { type Command, InvalidArgumentError } from "commander";
import type { CliContext } from "../cli-context.js";

/** The worker command's options as commander parses them. */
export interface WorkerFlags {
  redis?: string;
  queue: string;
  module?: string;
  export?: string;
  command?: boolean;
  concurrency: number;
  prefix?: string;
  timeout?: number;
  cwd?: string;
  workDir?: string;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalled?: number;
  shutdownGrace?: number;
  heartbeat?: number;
}

const EXAMPLES = `
Examples:
  ascent worker --queue trials --module ./evaluate.js --concurrency 4
  ascent worker --redis rediss://queue.internal:6380 --queue trials --command -- python3 train.py --lr {lr}

The Redis URL (with its credentials) may come from ASCENT_REDIS_URL instead of --redis, which keeps the
password out of the process list. rediss:// connects with TLS. SIGTERM or SIGINT: stop taking jobs and let
the active ones finish (for --shutdown-grace seconds, then they go back to the queue); a second signal
hands them back at once.`;

/**
 * `ascent worker`: evaluates the jobs a QueueRunner queues, with a module's function or a command, until
 * it receives SIGTERM or SIGINT. The logic is QueueWorker's; this file only reads arguments, and the
 * action (with BullMQ) is imported when the command runs, so other commands start without it.
 */
export function registerWorkerCommand(program: Command, context: CliContext): void {
  program
    .command("worker")
    .description("evaluate the trials a QueueRunner queues in Redis (run one or more on any machine)")
    .argument("[argv...]", "with --command: the program and its arguments, after --")
    .requiredOption("--queue <name>", "the queue to serve (the QueueRunner's queueName)")
    .option(
      "--redis <url>",
      "Redis URL, redis:// or rediss:// (default: ASCENT_REDIS_URL, else redis://127.0.0.1:6379)",
    )
    .option("--module <path>", "module whose exported function evaluates a trial: evaluate(parameters, ctx)")
    .option("--export <name>", "name of that function (default: evaluate, else the default export)")
    .option("--command", "evaluate each trial by running the program given after --, as CommandRunner does")
    .option("--concurrency <n>", "jobs evaluated at once", positiveInt, 1)
    .option("--prefix <prefix>", "BullMQ key prefix (the QueueRunner's prefix)")
    .option("--timeout <seconds>", "with --command: seconds before the process group is killed", seconds)
    .option("--cwd <dir>", "with --command: working directory of the program")
    .option("--work-dir <dir>", "with --command: root of the trial directories (default ./ascent-trials)")
    .option(
      "--lock-duration <seconds>",
      "seconds a dead worker holds its jobs before they are handed out again",
      seconds,
    )
    .option("--stalled-interval <seconds>", "seconds between checks for jobs of dead workers", seconds)
    .option("--max-stalled <n>", "times a job may lose its worker before it fails", nonNegativeInt)
    .option(
      "--shutdown-grace <seconds>",
      "seconds active jobs get to finish on SIGTERM (default 30)",
      nonNegativeSeconds,
    )
    .option(
      "--heartbeat <seconds>",
      "seconds this worker's announcement outlives it unless renewed (default 15)",
      seconds,
    )
    .addHelpText("after", EXAMPLES)
    .action(async (argv: string[], flags: WorkerFlags) => {
      const { runWorker } = await import("../session/worker-action.js");
      context.exitCode = await runWorker(argv, flags, context);
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected an integer ≥ 1.");
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer ≥ 0.");
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number of seconds.");
  return n;
}

function nonNegativeSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds ≥ 0.");
  return n;
}
