/**
 * QueueRunner end to end: a Scheduler in this process queues trials on the machine's Redis
 * (ASCENT_REDIS_URL, else 127.0.0.1:6379) and `ascent worker` processes evaluate them.
 * (1) 1,000 instant trials, 4 worker processes of concurrency 4, parallelism 16 (maxPendingTrials): trials
 *     per second end to end and the Scheduler process's CPU time per trial (the loop, generation, the
 *     runner's Redis client; the workers are other processes).
 * (2) 40 trials that sleep 500 ms, parallelism 4, with 1, 2 and 4 worker processes of concurrency 1: wall
 *     time, and the speed-up of 4 workers over 1.
 * Sobol-only generation, no store (memory); initSecondsBetweenPolls 0.5 and minSecondsBeforePoll 0: the
 * runner's queue events wake the loop when a job finishes, the poll interval is only the longest wait.
 * Worker start-up is not timed.
 *
 * `npm run bench -- runners-queue [--trials N] [--repeats R] [--sleep-repeats R]`
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import {
  GenerationStep,
  GenerationStrategy,
  Generators,
  LogLevel,
  QueueRunner,
  Scheduler,
  SchedulerOptions,
  TrialStatus,
} from "../src/index.js";
import { experimentFromOptions } from "../src/service/experiment-from-options.js";
import { flag, machineInfo, median, printTable, writeResult } from "./common.js";

const REDIS_URL = process.env.ASCENT_REDIS_URL ?? "redis://127.0.0.1:6379";
const MODULE = "bench/runners-queue/evaluate.ts";

interface RunFigures {
  trials: number;
  workers: number;
  wallSeconds: number;
  trialsPerSecond: number;
  schedulerCpuMsPerTrial: number;
}

/** Starts `n` worker processes on `queue` and resolves once all serve it. */
async function startWorkers(
  n: number,
  queue: string,
  exportName: string,
  concurrency: number,
): Promise<ChildProcess[]> {
  const args = ["--import", "tsx", "src/cli/bin.ts", "worker", "--redis", REDIS_URL, "--queue", queue];
  args.push(
    "--module",
    MODULE,
    "--export",
    exportName,
    "--concurrency",
    String(concurrency),
    "--heartbeat",
    "5",
  );
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on("data", (c: Buffer) => {
          err += c.toString();
          if (err.includes("Serving queue")) resolve();
        });
        child.on("exit", () => reject(new Error(`worker exited:\n${err}`)));
      });
      return child;
    }),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.removeAllListeners("exit");
          w.on("exit", () => resolve());
          w.kill("SIGTERM");
        }),
    ),
  );
}

async function deleteQueue(queue: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `bull:${queue}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}

/** One timed run of `trials` trials on `workers` fresh worker processes. */
async function timedRun(
  trials: number,
  workers: number,
  concurrency: number,
  parallelism: number,
  exportName: string,
): Promise<RunFigures> {
  const queue = `ascent-bench-${randomBytes(4).toString("hex")}`;
  const children = await startWorkers(workers, queue, exportName, concurrency);
  const runner = new QueueRunner({ connection: { url: REDIS_URL }, queueName: queue });
  const experiment = experimentFromOptions({
    name: `bench_${queue}`,
    parameters: [{ name: "x1", type: "range", bounds: [0, 1] }],
    objectives: { loss: { minimize: true } },
  });
  experiment.runner = runner;
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
      seed: 0,
    }),
    options: new SchedulerOptions({
      maxPendingTrials: parallelism,
      runTrialsInBatches: true,
      initSecondsBetweenPolls: 0.5,
      minSecondsBeforePoll: 0,
      loggingLevel: LogLevel.WARNING,
    }),
  });
  try {
    // Loads BullMQ and connects before the clock starts: the run is timed, not the import.
    await runner.pollAvailableCapacity();
    const cpu = process.cpuUsage();
    const start = performance.now();
    await scheduler.runNTrials({ maxTrials: trials });
    const wallSeconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const completed = experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
    if (completed !== trials) throw new Error(`only ${completed} of ${trials} trials completed`);
    return {
      trials,
      workers,
      wallSeconds,
      trialsPerSecond: trials / wallSeconds,
      schedulerCpuMsPerTrial: (used.user + used.system) / 1000 / trials,
    };
  } finally {
    await runner.close();
    await stopWorkers(children);
    await deleteQueue(queue);
  }
}

export async function main(args: string[]): Promise<void> {
  const trials = Number(flag(args, "trials") ?? 1000);
  const repeats = Number(flag(args, "repeats") ?? 3);
  const sleepRepeats = Number(flag(args, "sleep-repeats") ?? 1);
  const throughput: RunFigures[] = [];
  for (let r = 0; r < repeats; r++) {
    throughput.push(await timedRun(trials, 4, 4, 16, "instant"));
    console.error(
      `throughput run ${r + 1}/${repeats}: ${throughput.at(-1)!.trialsPerSecond.toFixed(0)} trials/s`,
    );
  }
  const scaling: Record<number, RunFigures[]> = { 1: [], 2: [], 4: [] };
  for (let r = 0; r < sleepRepeats; r++) {
    for (const workers of [1, 2, 4]) {
      scaling[workers]!.push(await timedRun(40, workers, 1, 4, "sleepy"));
      console.error(`scaling, ${workers} workers: ${scaling[workers]!.at(-1)!.wallSeconds.toFixed(2)} s`);
    }
  }
  const wall = (w: number) => median(scaling[w]!.map((f) => f.wallSeconds));
  const summary = {
    throughput: {
      trials,
      workers: 4,
      concurrencyPerWorker: 4,
      parallelism: 16,
      trialsPerSecondMedian: median(throughput.map((f) => f.trialsPerSecond)),
      schedulerCpuMsPerTrialMedian: median(throughput.map((f) => f.schedulerCpuMsPerTrial)),
      targetTrialsPerSecond: 200,
    },
    scaling: {
      trials: 40,
      sleepMs: 500,
      parallelism: 4,
      wallSecondsMedian: { 1: wall(1), 2: wall(2), 4: wall(4) },
      speedupOf4Over1: wall(1) / wall(4),
      targetSpeedup: 3.3,
    },
  };
  printTable([
    {
      measure: `${trials} instant trials, 4 workers × 4, parallelism 16`,
      value: summary.throughput.trialsPerSecondMedian,
      unit: "trials/s",
      target: "≥ 200",
    },
    {
      measure: "Scheduler process CPU per trial (same runs)",
      value: summary.throughput.schedulerCpuMsPerTrialMedian,
      unit: "ms",
      target: "",
    },
    ...[1, 2, 4].map((w) => ({
      measure: `40 × 500 ms trials, parallelism 4, ${w} workers`,
      value: wall(w),
      unit: "s wall",
      target: "",
    })),
    {
      measure: "speed-up of 4 workers over 1",
      value: summary.scaling.speedupOf4Over1,
      unit: "×",
      target: "≥ 3.3",
    },
  ]);
  const path = writeResult("runners-queue", {
    machine: machineInfo(),
    redis: REDIS_URL.replace(/\/\/[^@/]*@/, "//"),
    store: "none (memory)",
    generation: "Sobol only",
    schedulerOptions: { initSecondsBetweenPolls: 0.5, minSecondsBeforePoll: 0 },
    summary,
    runs: { throughput, scaling },
  });
  console.log(`\nWritten to ${path}`);
}
