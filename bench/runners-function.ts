/**
 * FunctionRunner throughput: 10,000 trials whose function returns at once (Branin), Sobol-only
 * generation, in-memory store, through the Scheduler with its default poll interval (1 s): the loop must
 * be woken by the runner's change notices, never wait out the interval. Four variants: a synchronous
 * and an async function, each at parallelism 1 and 10 (`maxPendingTrials`); and the same through
 * `optimize()`. Reports trials per second of wall time, and the process's CPU time per trial (the
 * loop's own cost, which other processes on a shared machine do not change), medians over repeats,
 * each repeat in a fresh process. Target: at least 1,000 trials/s.
 *
 * `npm run bench -- runners-function [--trials N] [--repeats R]`
 */

import { fork } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import {
  branin,
  type EvaluateFunction,
  FunctionRunner,
  GenerationStep,
  GenerationStrategy,
  Generators,
  LogLevel,
  MemoryStore,
  optimize,
  Scheduler,
  SchedulerOptions,
  TrialStatus,
} from "../src/index.js";
import { experimentFromOptions } from "../src/service/index.js";
import { flag, machineInfo, median, printTable, writeResult } from "./common.js";

const VARIANTS = ["sync-p1", "sync-p10", "async-p1", "async-p10", "optimize-sync-p10"] as const;
type Variant = (typeof VARIANTS)[number];

const PARAMETERS = [
  { name: "x1", type: "range", bounds: [-5, 10] },
  { name: "x2", type: "range", bounds: [0, 15] },
] as const;

const syncBranin: EvaluateFunction = ({ x1, x2 }) => branin(Number(x1), Number(x2));
const asyncBranin: EvaluateFunction = async ({ x1, x2 }) => branin(Number(x1), Number(x2));

function sobolOnly(seed: number): GenerationStrategy {
  return new GenerationStrategy({
    steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
    seed,
  });
}

/** Runs `numTrials` trials of one variant; returns the seconds of wall time it took. */
async function runVariant(variant: Variant, numTrials: number, seed: number): Promise<number> {
  const evaluate = variant.includes("async") ? asyncBranin : syncBranin;
  const parallelism = variant.endsWith("p10") ? 10 : 1;
  const t0 = performance.now();
  if (variant.startsWith("optimize")) {
    const result = await optimize({
      name: `bench_${variant}_${seed}`,
      parameters: [...PARAMETERS],
      objectives: { branin: { minimize: true } },
      evaluate,
      totalTrials: numTrials,
      maxParallelism: parallelism,
      seed,
      store: new MemoryStore(),
      chooseGenerationStrategyOptions: { forceRandomSearch: true },
      loggingLevel: LogLevel.WARNING,
    });
    check(result.trialCounts.COMPLETED, numTrials);
    return (performance.now() - t0) / 1000;
  }
  const experiment = experimentFromOptions({
    name: `bench_${variant}_${seed}`,
    parameters: [...PARAMETERS],
    objectives: { branin: { minimize: true } },
  });
  experiment.runner = new FunctionRunner(evaluate);
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: sobolOnly(seed),
    // The default poll interval and minSecondsBeforePoll (1 s each): only the runner's change notices
    // keep the loop going.
    options: new SchedulerOptions({
      totalTrials: numTrials,
      maxPendingTrials: parallelism,
      loggingLevel: LogLevel.WARNING,
    }),
    store: new MemoryStore(),
  });
  await scheduler.runAllTrials();
  check(experiment.countTrialsWithStatus(TrialStatus.COMPLETED), numTrials);
  return (performance.now() - t0) / 1000;
}

function check(completed: number, expected: number): void {
  if (completed !== expected) throw new Error(`expected ${expected} completed trials, got ${completed}`);
}

interface RunFigures {
  variant: Variant;
  seed: number;
  seconds: number;
  trialsPerSecond: number;
  msPerTrial: number;
  /** CPU time (user + system) of the process per trial: the loop's own cost, whatever else runs. */
  cpuMsPerTrial: number;
  /** Trials per second of this process's CPU time: the rate on an otherwise idle core. */
  trialsPerCpuSecond: number;
  /** The machine's 1-minute load average when the run ended (other processes compete for its cores). */
  loadAverage: number;
}

function runInChild(variant: Variant, numTrials: number, seed: number): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const args = ["--child", variant, String(numTrials), String(seed)];
    const child = fork(fileURLToPath(import.meta.url), args, { execArgv: process.execArgv });
    child.once("message", (m) => resolve(m as RunFigures));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`benchmark child exited with code ${code}`));
    });
  });
}

if (process.argv[2] === "--child") {
  const [, , , variant, trials, seed] = process.argv;
  const numTrials = Number(trials);
  // CPU time of this process as well as wall time: on a shared machine the wall time depends on what
  // else runs, while the CPU time per trial is the loop's own cost.
  const cpu0 = process.cpuUsage();
  const seconds = await runVariant(variant as Variant, numTrials, Number(seed));
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const figures: RunFigures = {
    variant: variant as Variant,
    seed: Number(seed),
    seconds,
    trialsPerSecond: numTrials / seconds,
    msPerTrial: (seconds * 1000) / numTrials,
    cpuMsPerTrial: (cpuSeconds * 1000) / numTrials,
    trialsPerCpuSecond: numTrials / cpuSeconds,
    loadAverage: loadavg()[0]!,
  };
  process.send?.(figures, () => process.exit(0));
}

export async function main(args: string[]): Promise<void> {
  const numTrials = Number(flag(args, "trials") ?? 10_000);
  const repeats = Number(flag(args, "repeats") ?? 5);
  const runs: RunFigures[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const variant of VARIANTS) runs.push(await runInChild(variant, numTrials, r));
  }
  const summary = VARIANTS.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    return {
      variant,
      trialsPerSecond: median(mine.map((r) => r.trialsPerSecond)),
      msPerTrial: median(mine.map((r) => r.msPerTrial)),
      cpuMsPerTrial: median(mine.map((r) => r.cpuMsPerTrial)),
      trialsPerCpuSecond: median(mine.map((r) => r.trialsPerCpuSecond)),
      slowestTrialsPerSecond: Math.min(...mine.map((r) => r.trialsPerSecond)),
      loadAverage: median(mine.map((r) => r.loadAverage)),
    };
  });
  const path = writeResult("runners-function", {
    benchmark: "runners-function",
    inputs: {
      numTrials,
      repeats,
      generator: "Sobol",
      store: "memory",
      evaluate: "Branin, returned at once (sync) or as a resolved promise (async)",
      parallelism: "maxPendingTrials 1 or 10 (variant suffix p1 / p10)",
      initSecondsBetweenPolls: 1,
      minSecondsBeforePoll: 1,
    },
    targets: { trialsPerSecond: 1000 },
    machine: machineInfo(),
    runs,
    summary,
  });
  printTable(runs.map((r) => ({ ...r })));
  console.log("\nmedian over runs:");
  printTable(summary);
  console.log(`\nwritten to ${path}`);
}
