import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Command, InvalidArgumentError } from "commander";
import { AscentError } from "../../errors.js";
import { QueueWorker, type QueueWorkerOptions } from "../../runners/queue/index.js";
import { Logger } from "../../util/logger.js";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";

/** The worker command's options as commander parses them. */
interface WorkerFlags {
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
 * it receives SIGTERM or SIGINT. The logic is {@link QueueWorker}'s; this file only reads arguments.
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
      context.exitCode = await runWorker(argv, flags, context);
    });
}

async function runWorker(argv: string[], flags: WorkerFlags, context: CliContext): Promise<number> {
  const usage = (message: string): number => {
    context.err(`ascent worker: ${message} (see ascent worker --help)`);
    return USAGE_EXIT_CODE;
  };
  if ((flags.module === undefined) === (flags.command !== true)) {
    return usage("give exactly one of --module <path> or --command -- <program> [args...]");
  }
  if (flags.command && argv.length === 0) return usage("--command needs the program after --");
  if (!flags.command && argv.length > 0) return usage(`unexpected arguments ${argv.join(" ")}`);
  const logger = new Logger({ name: "ascent worker", sink: (line) => context.err(line) });
  let worker: QueueWorker;
  try {
    const form = flags.command ? commandForm(argv, flags) : { evaluate: await loadEvaluate(flags) };
    worker = new QueueWorker({ ...form, ...workerSettings(flags, context), logger });
  } catch (error) {
    if (!(error instanceof AscentError)) throw error;
    return usage(error.message);
  }
  // Until the worker serves the queue (it waits for Redis), a signal just ends the process: no job is held.
  const early = (signal: NodeJS.Signals): void => {
    logger.info(`Received ${signal} before the worker started; exiting.`);
    process.exit(0);
  };
  process.once("SIGTERM", early).once("SIGINT", early);
  try {
    await worker.start();
  } catch (error) {
    context.err(`ascent worker: could not start: ${(error as Error).message}`);
    await worker.close();
    return 1;
  } finally {
    process.off("SIGTERM", early).off("SIGINT", early);
  }
  await untilSignalled(worker, logger);
  return 0;
}

function workerSettings(flags: WorkerFlags, context: CliContext): Omit<QueueWorkerOptions, "evaluate"> {
  return {
    connection: { url: flags.redis ?? context.env.ASCENT_REDIS_URL },
    queueName: flags.queue,
    concurrency: flags.concurrency,
    ...(flags.prefix !== undefined ? { prefix: flags.prefix } : {}),
    ...(flags.lockDuration !== undefined ? { lockDurationSeconds: flags.lockDuration } : {}),
    ...(flags.stalledInterval !== undefined ? { stalledIntervalSeconds: flags.stalledInterval } : {}),
    ...(flags.maxStalled !== undefined ? { maxStalledCount: flags.maxStalled } : {}),
    ...(flags.shutdownGrace !== undefined ? { shutdownGraceSeconds: flags.shutdownGrace } : {}),
    ...(flags.heartbeat !== undefined ? { heartbeatSeconds: flags.heartbeat } : {}),
  };
}

function commandForm(argv: string[], flags: WorkerFlags): Pick<QueueWorkerOptions, "command"> {
  return {
    command: {
      command: argv,
      ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
      ...(flags.workDir !== undefined ? { workDir: flags.workDir } : {}),
      ...(flags.timeout !== undefined ? { timeoutSeconds: flags.timeout } : {}),
    },
  };
}

/** Imports the module and returns its evaluate function. */
async function loadEvaluate(flags: WorkerFlags): Promise<NonNullable<QueueWorkerOptions["evaluate"]>> {
  const path = resolve(flags.module!);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new AscentError(`could not import --module ${path}: ${(error as Error).message}`, { cause: error });
  }
  const name = flags.export ?? (typeof loaded.evaluate === "function" ? "evaluate" : "default");
  const evaluate = loaded[name];
  if (typeof evaluate !== "function") {
    const found = Object.keys(loaded).filter((k) => typeof loaded[k] === "function");
    throw new AscentError(
      `${path} has no exported function "${name}" (its functions: ${found.join(", ") || "none"}); ` +
        "export one named evaluate, or pass --export <name>",
    );
  }
  return evaluate as NonNullable<QueueWorkerOptions["evaluate"]>;
}

/** Resolves once the worker closed after SIGTERM or SIGINT (a second signal hands active jobs back at once). */
function untilSignalled(worker: QueueWorker, logger: Logger): Promise<void> {
  return new Promise((done) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        logger.info(`Received ${signal} again: handing the active jobs back to the queue.`);
        worker.returnActiveJobs();
        return;
      }
      logger.info(
        `Received ${signal}: taking no more jobs; active ones finish (send it again to hand them back).`,
      );
      void worker.close().then(() => {
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
        done();
      });
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
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
