/**
 * Scheduler overhead: 10,000 trials whose runner completes instantly, Sobol generation, in-memory store,
 * no waits between polls. Measures trials per second, the per-trial cost of the first and last 1,000
 * trials (flat cost = the loop does not grow with the experiment) and peak memory.
 *
 * `npm run bench -- scheduler [--trials N] [--repeats R]`
 */

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  type BaseTrial,
  branin,
  Data,
  Experiment,
  GenerationStep,
  GenerationStrategy,
  Generators,
  LogLevel,
  MemoryStore,
  Metric,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  Runner,
  registerMetric,
  registerRunner,
  Scheduler,
  SchedulerOptions,
  SearchSpace,
  TrialStatus,
  type TrialStatusMap,
} from "../src/index.js";
import { flag, machineInfo, median, printTable, writeResult } from "./common.js";

/** Records when each trial's data was fetched (its completion), and samples memory. */
class Probe {
  readonly completedAt: number[] = [];
  peakRss = 0;
  record(): void {
    this.completedAt.push(performance.now());
    if (this.completedAt.length % 100 === 0) this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
  }
}

class InstantRunner extends Runner {
  async run(_trial: BaseTrial) {
    return {};
  }
  /** Every running trial is already done. */
  async pollTrialStatus(trials: readonly BaseTrial[]): Promise<TrialStatusMap> {
    return new Map([[TrialStatus.COMPLETED, new Set(trials.map((t) => t.index))]]);
  }
}

class BraninMetric extends Metric {
  constructor(private readonly probe: Probe) {
    super({ name: "branin" });
  }
  async fetchTrialData(trial: BaseTrial) {
    this.probe.record();
    const arm = trial.arms[0]!;
    const value = branin(Number(arm.parameters.x1), Number(arm.parameters.x2));
    return Data.fromRows([
      { trialIndex: trial.index, armName: arm.name!, metricName: this.name, mean: value, sem: 0 },
    ]);
  }
}

async function runOnce(numTrials: number, seed: number) {
  const probe = new Probe();
  // Stores (memory included) keep experiments through the codec: the bench's classes are registered;
  // the probe is this run's, never stored.
  registerMetric(BraninMetric, { encode: () => ({}), decode: () => new BraninMetric(probe) });
  registerRunner(InstantRunner);
  const experiment = new Experiment({
    name: `scheduler_bench_${seed}`,
    searchSpace: new SearchSpace({
      parameters: [
        new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: -5, upper: 10 }),
        new RangeParameter({ name: "x2", parameterType: ParameterType.FLOAT, lower: 0, upper: 15 }),
      ],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new BraninMetric(probe), minimize: true }),
    }),
    runner: new InstantRunner(),
  });
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
      seed,
    }),
    options: new SchedulerOptions({
      totalTrials: numTrials,
      initSecondsBetweenPolls: 0,
      minSecondsBeforePoll: 0,
      loggingLevel: LogLevel.WARNING,
    }),
    store: new MemoryStore(),
  });
  const t0 = performance.now();
  await scheduler.runAllTrials();
  const seconds = (performance.now() - t0) / 1000;
  const completed = experiment.countTrialsWithStatus(TrialStatus.COMPLETED);
  if (completed !== numTrials) throw new Error(`expected ${numTrials} completed trials, got ${completed}`);
  const t = probe.completedAt;
  const block = Math.min(1000, Math.floor(numTrials / 2));
  const firstMs = (t[block - 1]! - t0) / block;
  const lastMs = (t[numTrials - 1]! - t[numTrials - 1 - block]!) / block;
  // The first block includes JIT warm-up; the second shows the steady cost to compare the last with.
  const secondMs = numTrials >= 2 * block ? (t[2 * block - 1]! - t[block - 1]!) / block : Number.NaN;
  return {
    seed,
    seconds,
    trialsPerSecond: numTrials / seconds,
    firstBlockMsPerTrial: firstMs,
    lastBlockMsPerTrial: lastMs,
    lastOverFirst: lastMs / firstMs,
    secondBlockMsPerTrial: secondMs,
    lastOverSecond: lastMs / secondMs,
    peakRssMB: Math.max(probe.peakRss, process.memoryUsage().rss) / 2 ** 20,
  };
}

type RunFigures = Awaited<ReturnType<typeof runOnce>>;

/** Each repeat runs in a fresh process, so its peak memory is its own. */
function runInChild(numTrials: number, seed: number): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child", String(numTrials), String(seed)], {
      execArgv: process.execArgv,
    });
    child.once("message", (m) => resolve(m as RunFigures));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`benchmark child exited with code ${code}`));
    });
  });
}

if (process.argv[2] === "--child") {
  const figures = await runOnce(Number(process.argv[3]), Number(process.argv[4]));
  process.send?.(figures, () => process.exit(0));
}

export async function main(args: string[]): Promise<void> {
  const numTrials = Number(flag(args, "trials") ?? 10_000);
  const repeats = Number(flag(args, "repeats") ?? 5);
  const runs: RunFigures[] = [];
  for (let r = 0; r < repeats; r++) runs.push(await runInChild(numTrials, r));
  const summary = {
    trialsPerSecond: median(runs.map((r) => r.trialsPerSecond)),
    firstBlockMsPerTrial: median(runs.map((r) => r.firstBlockMsPerTrial)),
    lastBlockMsPerTrial: median(runs.map((r) => r.lastBlockMsPerTrial)),
    lastOverFirst: median(runs.map((r) => r.lastOverFirst)),
    lastOverSecond: median(runs.map((r) => r.lastOverSecond)),
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
  };
  const path = writeResult("scheduler", {
    benchmark: "scheduler",
    inputs: { numTrials, repeats, generator: "Sobol", store: "memory", initSecondsBetweenPolls: 0 },
    targets: { trialsPerSecond: 2000, lastOverFirst: 1.5, peakRssMB: 300 },
    machine: machineInfo(),
    runs,
    summary,
  });
  printTable(runs.map((r) => ({ ...r })));
  console.log("\nmedian over runs:");
  printTable([summary]);
  console.log(`\nwritten to ${path}`);
}
