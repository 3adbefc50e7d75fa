/**
 * Early stopping of in-process training: `optimize()` with an `evaluate` function that trains a small
 * linear model by mini-batch SGD with momentum, epoch by epoch, and reports its validation loss after each
 * epoch with `report(...)`. A PercentileEarlyStoppingStrategy compares each running trial's curve with the
 * others' at the same epoch and stops those in the worse half; `report` then tells the training loop to
 * return. Stopped trials keep their last validation loss as their result, which the model still learns
 * from; the epochs they did not run are the budget saved.
 *
 * Run it with `npx tsx examples/early-stopping.ts [--trials 20]`.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  type EvaluateFunction,
  LogLevel,
  type OptimizeResult,
  optimize,
  PercentileEarlyStoppingStrategy,
  Rng,
  TrialStatus,
} from "../src/index.js";

const FEATURES = 8;
const EPOCHS = 30;

/** Points of a noisy linear target (seeded, so every run trains on the same data). */
interface Dataset {
  X: Float64Array[];
  y: number[];
}

function syntheticData(n: number, rng: Rng): Dataset {
  const truth = Float64Array.from({ length: FEATURES }, (_, j) => (j % 2 === 0 ? 1 : -0.5) * (j + 1) * 0.3);
  const X: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from({ length: FEATURES }, () => rng.normal());
    X.push(x);
    y.push(x.reduce((s, v, j) => s + v * truth[j]!, 0) + 0.3 * rng.normal());
  }
  return { X, y };
}

function meanSquaredError(w: Float64Array, data: Dataset): number {
  let sum = 0;
  for (let i = 0; i < data.X.length; i++) {
    let prediction = 0;
    for (let j = 0; j < FEATURES; j++) prediction += w[j]! * data.X[i]![j]!;
    sum += (prediction - data.y[i]!) ** 2;
  }
  return sum / data.X.length;
}

/** One epoch of mini-batch SGD with momentum (batches of 16), in place. */
function trainEpoch(
  w: Float64Array,
  velocity: Float64Array,
  data: Dataset,
  lr: number,
  momentum: number,
): void {
  const grad = new Float64Array(FEATURES);
  for (let start = 0; start < data.X.length; start += 16) {
    grad.fill(0);
    const end = Math.min(start + 16, data.X.length);
    for (let i = start; i < end; i++) {
      let err = -data.y[i]!;
      for (let j = 0; j < FEATURES; j++) err += w[j]! * data.X[i]![j]!;
      for (let j = 0; j < FEATURES; j++) grad[j]! += (2 * err * data.X[i]![j]!) / (end - start);
    }
    for (let j = 0; j < FEATURES; j++) {
      velocity[j] = momentum * velocity[j]! - lr * grad[j]!;
      w[j]! += velocity[j]!;
    }
  }
}

/** The loss reported for a model that diverged (a finite stand-in: losses must be finite numbers). */
const DIVERGED = 1e6;

/** Options of {@link runEarlyStoppingExample}. */
export interface EarlyStoppingExampleOptions {
  /** Trials to run (default 20). */
  totalTrials?: number;
  /** Seed of the data and of the optimization (default 0). */
  seed?: number;
  /** Milliseconds each epoch takes on top of its computation, standing for real training (default 15). */
  epochMs?: number;
  /** Where the summary lines go (default console.log). */
  print?: (line: string) => void;
}

/** Tunes the learning rate and momentum with early stopping; prints what was stopped and saved. */
export async function runEarlyStoppingExample(
  options: EarlyStoppingExampleOptions = {},
): Promise<OptimizeResult> {
  const { totalTrials = 20, seed = 0, epochMs = 15, print = console.log } = options;
  const rng = new Rng(seed);
  const trainSet = syntheticData(256, rng);
  const validationSet = syntheticData(128, rng);

  const evaluate: EvaluateFunction = async (parameters, { report }) => {
    const lr = Number(parameters.learningRate);
    const momentum = Number(parameters.momentum);
    const w = new Float64Array(FEATURES);
    const velocity = new Float64Array(FEATURES);
    let loss = meanSquaredError(w, validationSet);
    for (let epoch = 1; epoch <= EPOCHS; epoch++) {
      trainEpoch(w, velocity, trainSet, lr, momentum);
      loss = Math.min(meanSquaredError(w, validationSet), DIVERGED);
      if (!Number.isFinite(loss)) loss = DIVERGED;
      // Resolves to true once the strategy stopped this trial: its last reported loss is its result.
      if (await report({ step: epoch, values: { validationLoss: loss } })) return { validationLoss: loss };
      await sleep(epochMs);
    }
    return { validationLoss: loss };
  };

  const result = await optimize({
    name: "early_stopping_sgd",
    parameters: [
      { name: "learningRate", type: "range", bounds: [1e-4, 0.5], logScale: true },
      { name: "momentum", type: "range", bounds: [0, 0.95] },
    ],
    objectives: { validationLoss: { minimize: true } },
    evaluate,
    totalTrials,
    maxParallelism: 3,
    seed,
    earlyStoppingStrategy: new PercentileEarlyStoppingStrategy({
      percentileThreshold: 50,
      minProgression: 5,
      maxProgression: 25, // nearly done: let it finish
      minCurves: 3,
      secondsBetweenPolls: 0.05,
    }),
    // Epochs here take milliseconds: poll soon after a deployment too (by default 1 s later).
    schedulerOptions: { minSecondsBeforePoll: 0.05 },
    loggingLevel: LogLevel.WARNING,
  });

  const { experiment, trialCounts, bestParameters, observedValues } = result;
  const epochsRun = [...experiment.trials.keys()].reduce(
    (sum, index) => sum + experiment.curve(index, "validationLoss").length,
    0,
  );
  const stopped = experiment.trialIndicesWithStatus(TrialStatus.EARLY_STOPPED).size;
  print(`Trials: ${trialCounts.COMPLETED} completed, ${stopped} stopped early.`);
  print(`Epochs run: ${epochsRun} of ${totalTrials * EPOCHS}.`);
  print(`Best parameters: ${JSON.stringify(bestParameters)}`);
  print(`Best validation loss: ${observedValues?.validationLoss?.toFixed(4)}`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--trials");
  await runEarlyStoppingExample(i > 0 ? { totalTrials: Number(process.argv[i + 1]) } : {});
}
