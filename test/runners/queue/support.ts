import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { onTestFinished } from "vitest";
import {
  type BaseTrial,
  Experiment,
  GenerationStep,
  GenerationStrategy,
  Generators,
  Logger,
  LogLevel,
  type LogSink,
} from "../../../src/index.js";
import { experimentFromOptions } from "../../../src/service/experiment-from-options.js";
import { makeSpace, point, run } from "../../core/helpers.js";

/** The machine's Redis, which tests share (one queue name each, keys removed afterwards). */
export const REDIS_URL = process.env.ASCENT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A queue name no other test uses; its keys are removed when the current test finishes. */
export function testQueue(url = REDIS_URL): string {
  const name = `ascent-test-${randomBytes(5).toString("hex")}`;
  onTestFinished(() => deleteQueueKeys(url, name));
  return name;
}

/** Deletes every key of a queue (BullMQ's and Ascent's, all under `bull:<queue>:`). */
export async function deleteQueueKeys(url: string, queueName: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `bull:${queueName}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** A logger whose lines are collected (and printed to nothing). */
export function captureLogger(name: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink: LogSink = (line) => lines.push(line);
  return { logger: new Logger({ name, level: LogLevel.DEBUG, sink }), lines };
}

/** An experiment named `name` with `n` one-arm trials (x1 = 0, 1, 2, ...), marked RUNNING. */
export function experimentWithTrials(
  name: string,
  n: number,
): { experiment: Experiment; trials: BaseTrial[] } {
  const experiment = new Experiment({ name, searchSpace: makeSpace() });
  const trials: BaseTrial[] = [];
  for (let i = 0; i < n; i++) trials.push(experiment.newTrial({ generatorRun: run(point(i)) }));
  return { experiment, trials };
}

/** Waits until `check` holds, polling every 20 ms (a test's own timeout bounds the wait). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 15_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An `ascent worker` process (run through tsx), its output collected. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

/**
 * Starts `ascent worker --redis <url> --queue <queue> --module <fixture> ...extra` (without that `--module`
 * when `extra` has `--command` or its own `--module`) and waits until it
 * serves the queue. `marks` is the directory where the fixture leaves its start/finish files. The process
 * is killed when the test finishes, if still running (unless `ownedByTest` is false: started in a hook,
 * the caller kills it).
 */
export async function startWorkerProcess(
  url: string,
  queueName: string,
  marks: string,
  extra: readonly string[] = [],
  ownedByTest = true,
): Promise<WorkerProcess> {
  const form = extra.includes("--command") || extra.includes("--module") ? [] : ["--module", FIXTURE];
  const args = ["worker", "--redis", url, "--queue", queueName, ...form, ...extra];
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ASCENT_TEST_MARKS: marks },
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  if (ownedByTest) {
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
  }
  await waitFor(
    () => output.includes("Serving queue") || child.exitCode !== null,
    "the worker to start",
    30_000,
  );
  if (!output.includes("Serving queue")) throw new Error(`The worker did not start:\n${output}`);
  return { child, output: () => output, exited };
}

const FIXTURE = "test/runners/queue/fixtures/evaluate.ts";

/** Names of the marks the fixture left for an experiment's trials under `dir` that start with `prefix`. */
export function marksOf(dir: string, experimentName: string, prefix: string): string[] {
  const sub = join(dir, experimentName);
  return existsSync(sub) ? readdirSync(sub).filter((f) => f.startsWith(prefix)) : [];
}

/**
 * An experiment for the fixture module: x1 in [0, 1], x2 in [0.05, `maxSleep`] (the seconds each
 * evaluation sleeps), minimizing the ResultMetric "value" (= 2 x1); the fixture's "pid" key becomes a
 * tracking metric.
 */
export function fixtureExperiment(name: string, maxSleep = 0.3): Experiment {
  return experimentFromOptions({
    name,
    parameters: [
      { name: "x1", type: "range", bounds: [0, 1] },
      { name: "x2", type: "range", bounds: [0.05, maxSleep] },
    ],
    objectives: { value: { minimize: true } },
  });
}

/** A Sobol-only generation strategy (seed 0) with no limit on trials in flight. */
export function sobolOnly(): GenerationStrategy {
  return new GenerationStrategy({
    steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
    seed: 0,
  });
}

/** A redis-server of the test's own on a free port (no persistence), which the test may kill and restart. */
export interface ThrowawayRedis {
  readonly url: string;
  /** Kills the server at once (SIGKILL): it loses every key. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** Starts a throwaway redis-server; it is killed when the current test finishes. */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let server: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
    });
    server = child;
    await waitFor(
      () => out.includes("Ready to accept connections") || child.exitCode !== null,
      "redis-server",
    );
    if (child.exitCode !== null) throw new Error(`redis-server did not start:\n${out}`);
  };
  const kill = async (): Promise<void> => {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  onTestFinished(kill);
  return { url: `redis://127.0.0.1:${port}`, kill, start };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
