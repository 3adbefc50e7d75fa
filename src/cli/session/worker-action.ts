import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AscentError } from "../../errors.js";
import { QueueWorker, type QueueWorkerOptions } from "../../runners/queue/index.js";
import { Logger } from "../../util/logger.js";
import { type CliContext, USAGE_EXIT_CODE } from "../cli-context.js";
import type { WorkerFlags } from "../commands/worker.js";

/**
 * Runs `ascent worker` with parsed flags until SIGTERM or SIGINT: a QueueWorker evaluating jobs with a
 * module's function or a command.
 * @returns the exit code.
 */
export async function runWorker(argv: string[], flags: WorkerFlags, context: CliContext): Promise<number> {
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
