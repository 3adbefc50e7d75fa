/**
 * CommandRunner overhead per trial, beyond the bare spawn: a command that exits at once (`/bin/echo 1`,
 * whose "1" is the trial's result) is run (a) with a bare `child_process.spawn` awaited to its exit,
 * (b) through `CommandRunner` as the Scheduler drives it (run, the change notice, pollTrialStatus,
 * pollTrialResult), (c) through `executeCommandTrial`, and (d) through a whole Scheduler run (Sobol, memory
 * store, parallelism 1), all in the same process, interleaved, so they see the same machine load. The
 * overhead is the median of (b) minus the median of (a) in each repeat; figures are medians over repeats.
 * Target: under 10 ms.
 *
 * `npm run bench -- runners-command [--trials N] [--repeats R] [--command /bin/echo]`
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  Arm,
  CommandRunner,
  Experiment,
  executeCommandTrial,
  GenerationStep,
  GenerationStrategy,
  GeneratorRun,
  Generators,
  LogLevel,
  MemoryStore,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  ResultMetric,
  Scheduler,
  SchedulerOptions,
  SearchSpace,
  type Trial,
  TrialStatus,
} from "../src/index.js";
import { flag, machineInfo, median, printTable, writeResult } from "./common.js";

function experiment(name: string): Experiment {
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: [new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 })],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ResultMetric({ name: "objective" }), minimize: true }),
    }),
  });
}

function bareSpawn(argv: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", () => resolve());
  });
}

/** One trial through the runner as the Scheduler drives it: run, wait for the notice, poll, result. */
async function runnerTrial(runner: CommandRunner, trial: Trial): Promise<void> {
  let wake: () => void = () => {};
  const changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const unsubscribe = runner.onTrialChange(() => wake());
  // The runner's processes do not keep Node alive (trials outlive the Scheduler); the Scheduler's poll
  // timer does, and this one stands in for it.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    const meta = await runner.run(trial);
    trial.markRunning();
    trial.updateRunMetadata(meta);
    for (;;) {
      const map = await runner.pollTrialStatus([trial]);
      if (map.get(TrialStatus.COMPLETED)?.has(trial.index)) break;
      if (map.get(TrialStatus.FAILED)?.has(trial.index))
        throw new Error(String(await runner.pollException(trial)));
      await changed;
    }
    if ((await runner.pollTrialResult(trial)) !== 1) throw new Error("the result is not 1");
  } finally {
    unsubscribe();
    clearInterval(keepAlive);
  }
}

async function timed(f: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

/** One repeat: `n` of each variant, interleaved; per-trial medians in ms. */
async function repeat(argv: readonly string[], n: number, workDir: string, r: number) {
  const exp = experiment(`bench_${r}`);
  const runner = new CommandRunner({ command: [...argv], workDir });
  const bare: number[] = [];
  const viaRunner: number[] = [];
  const viaExecute: number[] = [];
  for (let i = 0; i < n; i++) {
    bare.push(await timed(() => bareSpawn(argv)));
    const trial = exp.newTrial({
      generatorRun: new GeneratorRun({
        arms: [new Arm({ parameters: { x: i / n } })],
        generatorName: "Manual",
      }),
    });
    viaRunner.push(await timed(() => runnerTrial(runner, trial)));
    viaExecute.push(
      await timed(async () => {
        const outcome = await executeCommandTrial({
          command: [...argv],
          trialDir: join(workDir, "execute", String(i)),
          parameters: { x: i / n },
          trialIndex: i,
          experimentName: "execute",
        });
        if (outcome.status !== "COMPLETED") throw new Error(outcome.reason);
      }),
    );
  }
  const scheduler = await timed(() => schedulerRun(argv, n, workDir, r));
  const bareMs = median(bare);
  return {
    repeat: r,
    // Other processes on a shared machine move the figures: the load they saw.
    loadAverage1m: loadavg()[0]!,
    bareSpawnMs: bareMs,
    runnerMs: median(viaRunner),
    runnerOverheadMs: median(viaRunner) - bareMs,
    executeMs: median(viaExecute),
    executeOverheadMs: median(viaExecute) - bareMs,
    schedulerMsPerTrial: scheduler / n,
    schedulerOverheadMs: scheduler / n - bareMs,
  };
}

/** `n` trials through a Scheduler (Sobol, memory store, one at a time, default poll interval). */
async function schedulerRun(argv: readonly string[], n: number, workDir: string, r: number): Promise<void> {
  const exp = experiment(`bench_scheduler_${r}`);
  exp.runner = new CommandRunner({ command: [...argv], workDir });
  const scheduler = new Scheduler({
    experiment: exp,
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
      seed: r,
    }),
    options: new SchedulerOptions({
      totalTrials: n,
      maxPendingTrials: 1,
      minSecondsBeforePoll: 0,
      loggingLevel: LogLevel.WARNING,
    }),
    store: new MemoryStore(),
  });
  await scheduler.runAllTrials();
  const completed = exp.countTrialsWithStatus(TrialStatus.COMPLETED);
  if (completed !== n) throw new Error(`expected ${n} completed trials, got ${completed}`);
}

export async function main(args: string[]): Promise<void> {
  const n = Number(flag(args, "trials") ?? 200);
  const repeats = Number(flag(args, "repeats") ?? 5);
  const argv = [flag(args, "command") ?? "/bin/echo", "1"];
  const workDir = mkdtempSync(join(tmpdir(), "ascent-bench-command-"));
  const rows: Awaited<ReturnType<typeof repeat>>[] = [];
  try {
    await repeat(argv, Math.min(20, n), workDir, -1); // warm-up: JIT, first file-system touches
    for (let r = 0; r < repeats; r++) rows.push(await repeat(argv, n, workDir, r));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const keys = Object.keys(rows[0]!).filter((k) => k !== "repeat") as (keyof (typeof rows)[0])[];
  const summary = Object.fromEntries(keys.map((k) => [k, median(rows.map((row) => row[k]))]));
  printTable([...rows, { repeat: "median", ...summary }] as Record<string, string | number>[]);
  const path = writeResult("runners-command", {
    machine: machineInfo(),
    config: { command: argv, trialsPerRepeat: n, repeats },
    target: { runnerOverheadMs: 10 },
    summary,
    repeats: rows,
  });
  console.log(
    `\nCommandRunner overhead per trial beyond a bare spawn: ${summary.runnerOverheadMs!.toFixed(2)} ms (median).`,
  );
  console.log(`Wrote ${path}`);
}
