/**
 * Tuning a program run once per trial: `optimize()` with a CommandRunner. The program
 * (examples/command-runner/train.mjs) trains a small neural network on a synthetic dataset with the
 * hyperparameters it gets as arguments and prints `{"loss": ..., "accuracy": ...}` as its last line; any
 * program in any language that does the same (a Python training script, a simulator) fits in its place.
 * The validation loss is minimized; the accuracy, which the objectives do not name, is kept as a tracking
 * metric. Each trial gets its own directory under `workDir` with its logs, parameters and result.
 *
 * Run it with `npx tsx examples/command-runner/optimize.ts [--trials 20] [--work-dir ./ascent-trials]`.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CommandRunner, LogLevel, type OptimizeResult, optimize } from "../../src/index.js";

const TRAIN_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "train.mjs");

/** Options of {@link runCommandRunnerExample}. */
export interface CommandRunnerExampleOptions {
  /** Trials in all (default 20). */
  totalTrials?: number;
  /** Trials run at once (default 3). */
  maxParallelism?: number;
  /** Where the trial directories go (default `./ascent-trials`). */
  workDir?: string;
  /** Seed of the generation strategy (default 0). */
  seed?: number;
  /** Where the summary lines go (default console.log). */
  print?: (line: string) => void;
}

/** Tunes the network's learning rate, width, training length and weight decay; returns optimize's result. */
export async function runCommandRunnerExample(
  options: CommandRunnerExampleOptions = {},
): Promise<OptimizeResult> {
  const {
    totalTrials = 20,
    maxParallelism = 3,
    workDir = "ascent-trials",
    seed = 0,
    print = console.log,
  } = options;
  const runner = new CommandRunner({
    // argv, never a shell: each {placeholder} becomes exactly one argument, whatever its value.
    command: [
      process.execPath,
      TRAIN_SCRIPT,
      "--lr",
      "{lr}",
      "--hidden",
      "{hidden}",
      "--epochs",
      "{epochs}",
      "--l2",
      "{l2}",
    ],
    workDir,
    timeoutSeconds: 120,
  });
  const result = await optimize({
    name: "two_moons_network",
    parameters: [
      { name: "lr", type: "range", bounds: [1e-3, 2], logScale: true },
      { name: "hidden", type: "range", bounds: [2, 32], valueType: "int" },
      { name: "epochs", type: "range", bounds: [50, 400], valueType: "int" },
      { name: "l2", type: "range", bounds: [1e-6, 0.1], logScale: true },
    ],
    objectives: { loss: { minimize: true } },
    runner,
    totalTrials,
    maxParallelism,
    seed,
    // Trials end when their processes exit; the runner wakes the loop at once, so a long poll interval
    // costs nothing.
    schedulerOptions: { initSecondsBetweenPolls: 1 },
    loggingLevel: LogLevel.WARNING,
  });
  const { bestParameters, observedValues, trialCounts } = result;
  print(`Trials: ${trialCounts.COMPLETED} completed, ${trialCounts.FAILED} failed.`);
  print(`Best parameters: ${JSON.stringify(bestParameters)}`);
  print(
    `Observed: validation loss ${observedValues?.loss?.toFixed(4)}, accuracy ${observedValues?.accuracy?.toFixed(3)}.`,
  );
  print(`Trial directories (logs, parameters, results): ${join(workDir, "two_moons_network")}`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const value = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const trials = value("--trials");
  const workDir = value("--work-dir");
  await runCommandRunnerExample({
    ...(trials ? { totalTrials: Number(trials) } : {}),
    ...(workDir ? { workDir } : {}),
  });
}
