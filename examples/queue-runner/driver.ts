/**
 * Trials evaluated by a pool of workers through a BullMQ queue in Redis: `optimize()` with a
 * QueueRunner tunes the learning rate, L2 penalty and epochs of the model in `evaluate.ts`, and two
 * `ascent worker` processes evaluate the trials. For the demo this driver starts the two workers itself
 * on this machine; in real use they run anywhere that reaches Redis:
 *
 *   # on each worker machine (from a checkout of this repository; with the published package,
 *   # `npx ascent worker ...` and a compiled .js module):
 *   export ASCENT_REDIS_URL=rediss://user:password@queue-host:6380   # credentials stay out of `ps`
 *   npx tsx src/cli/bin.ts worker --queue ascent-example --module examples/queue-runner/evaluate.ts --concurrency 2
 *
 *   # on the machine that runs the optimization:
 *   ASCENT_REDIS_URL=... npx tsx examples/queue-runner/driver.ts --no-local-workers
 *
 * Run the demo with `npx tsx examples/queue-runner/driver.ts [--trials 12]` (Redis at ASCENT_REDIS_URL,
 * else 127.0.0.1:6379).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LogLevel, type OptimizeResult, optimize, QueueRunner } from "../../src/index.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");

/** Options of {@link runQueueExample}. */
export interface QueueExampleOptions {
  /** Trials to run (default 12). */
  trials?: number;
  /** Redis URL; default ASCENT_REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** The queue (default "ascent-example"). */
  queueName?: string;
  /** Start two workers on this machine (default true). */
  localWorkers?: boolean;
  /** Print the trials and the best point (default true). */
  print?: boolean;
}

/** Starts `ascent worker` on the example's evaluate module and resolves once it serves the queue. */
function startWorker(queueName: string, redisUrl: string | undefined): Promise<ChildProcess> {
  const args = ["--import", "tsx", join(ROOT, "src/cli/bin.ts"), "worker", "--queue", queueName];
  args.push("--module", relative(ROOT, join(HERE, "evaluate.ts")), "--concurrency", "2");
  if (redisUrl) args.push("--redis", redisUrl);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Serving queue")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`ascent worker exited with ${code}:\n${output}`)));
  });
}

/** Runs the example: two workers, a QueueRunner, `optimize()`; stops the workers at the end. */
export async function runQueueExample(options: QueueExampleOptions = {}): Promise<OptimizeResult> {
  const queueName = options.queueName ?? "ascent-example";
  const print = options.print ?? true;
  const workers =
    options.localWorkers === false
      ? []
      : await Promise.all([0, 1].map(() => startWorker(queueName, options.redisUrl)));
  const runner = new QueueRunner({
    ...(options.redisUrl ? { connection: { url: options.redisUrl } } : {}),
    queueName,
    attempts: 2,
    jobTimeoutSeconds: 60,
  });
  try {
    const result = await optimize({
      name: `queue_example_${queueName}`,
      parameters: [
        { name: "lr", type: "range", bounds: [0.001, 0.5], logScale: true },
        { name: "l2", type: "range", bounds: [1e-6, 0.1], logScale: true },
        { name: "epochs", type: "range", bounds: [50, 800], valueType: "int" },
      ],
      objectives: { mse: { minimize: true } },
      runner,
      totalTrials: options.trials ?? 12,
      maxParallelism: 4,
      seed: 0,
      loggingLevel: print ? LogLevel.INFO : LogLevel.WARNING,
    });
    if (print) {
      for (const trial of result.experiment.trials.values()) {
        console.log(
          `trial ${trial.index}: ${JSON.stringify(trial.arms[0]!.parameters)} -> ${JSON.stringify(trial.runMetadata.result)}`,
        );
      }
      console.log(`best: ${JSON.stringify(result.bestParameters)} with ${JSON.stringify(result.values)}`);
    }
    return result;
  } finally {
    await runner.close();
    for (const worker of workers) worker.kill("SIGTERM");
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--trials");
  await runQueueExample({
    ...(at >= 0 ? { trials: Number(args[at + 1]) } : {}),
    localWorkers: !args.includes("--no-local-workers"),
  });
}
