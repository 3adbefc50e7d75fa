/**
 * Tuning a model trained in this process, in one call: `optimize()` with an `evaluate` function (run by a
 * FunctionRunner). The model is a logistic-regression classifier trained by mini-batch gradient descent
 * on a synthetic dataset; four hyperparameters are tuned to minimize the validation log-loss, under a
 * compute budget (an outcome constraint on the number of gradient steps). The accuracy, which the
 * objectives do not name, is kept as a tracking metric.
 *
 * Run it with `npx tsx examples/function-runner.ts [--trials 25]`.
 */
import { fileURLToPath } from "node:url";
import { type EvaluateFunction, LogLevel, type OptimizeResult, optimize, Rng } from "../src/index.js";

const DIMENSIONS = 5;

/** Labelled points: features `X` (one row per point) and 0/1 labels `y`. */
interface Dataset {
  X: Float64Array[];
  y: number[];
}

/** Points labelled by a fixed linear rule, with 10% of the labels flipped (seeded, so every run agrees). */
function syntheticData(n: number, rng: Rng): Dataset {
  const truth = [1.5, -2, 0.75, 0, 1];
  const X: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from({ length: DIMENSIONS }, () => rng.normal());
    const score = x.reduce((s, v, j) => s + v * truth[j]!, 0.3);
    const label = score > 0 ? 1 : 0;
    X.push(x);
    y.push(rng.next() < 0.1 ? 1 - label : label);
  }
  return { X, y };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function predict(w: Float64Array, x: Float64Array): number {
  let z = w[DIMENSIONS]!;
  for (let j = 0; j < DIMENSIONS; j++) z += w[j]! * x[j]!;
  return sigmoid(z);
}

/** Mean log-loss and accuracy of weights `w` on `data`. */
function score(w: Float64Array, data: Dataset): { logLoss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let i = 0; i < data.X.length; i++) {
    const p = Math.min(Math.max(predict(w, data.X[i]!), 1e-12), 1 - 1e-12);
    loss -= data.y[i]! ? Math.log(p) : Math.log(1 - p);
    if ((p > 0.5 ? 1 : 0) === data.y[i]) correct++;
  }
  return { logLoss: loss / data.X.length, accuracy: correct / data.X.length };
}

interface TrainOptions {
  learningRate: number;
  l2: number;
  epochs: number;
  batchSize: number;
}

/**
 * Trains by mini-batch gradient descent; returns the weights and the number of gradient steps. Checks
 * `signal` between epochs, so a stopped trial (or a run that times out) ends its training early.
 */
function train(data: Dataset, o: TrainOptions, signal: AbortSignal): { w: Float64Array; steps: number } {
  const w = new Float64Array(DIMENSIONS + 1);
  const grad = new Float64Array(DIMENSIONS + 1);
  let steps = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    signal.throwIfAborted();
    for (let start = 0; start < data.X.length; start += o.batchSize) {
      grad.fill(0);
      const end = Math.min(start + o.batchSize, data.X.length);
      for (let i = start; i < end; i++) {
        const err = predict(w, data.X[i]!) - data.y[i]!;
        for (let j = 0; j < DIMENSIONS; j++) grad[j]! += err * data.X[i]![j]!;
        grad[DIMENSIONS]! += err;
      }
      for (let j = 0; j <= DIMENSIONS; j++) {
        const decay = j < DIMENSIONS ? o.l2 * w[j]! : 0;
        w[j]! -= o.learningRate * (grad[j]! / (end - start) + decay);
      }
      steps++;
    }
  }
  return { w, steps };
}

/** Options of {@link runFunctionRunnerExample}. */
export interface FunctionRunnerExampleOptions {
  /** Trials to run (default 25). */
  totalTrials?: number;
  /** Seed of the data and of the optimization (default 0). */
  seed?: number;
  /** Where the summary lines go (default console.log). */
  print?: (line: string) => void;
}

/** Tunes the classifier's hyperparameters with `optimize()` and prints the best ones. */
export async function runFunctionRunnerExample(
  options: FunctionRunnerExampleOptions = {},
): Promise<OptimizeResult> {
  const { totalTrials = 25, seed = 0, print = console.log } = options;
  const rng = new Rng(seed);
  const trainSet = syntheticData(400, rng);
  const validationSet = syntheticData(200, rng);

  // Called once per trial with the proposed hyperparameters; returns the objective and whatever else
  // is worth recording (here the gradient steps, constrained below, and the accuracy, tracked).
  const evaluate: EvaluateFunction = (parameters, { signal }) => {
    const { w, steps } = train(
      trainSet,
      {
        learningRate: Number(parameters.learningRate),
        l2: Number(parameters.l2),
        epochs: Number(parameters.epochs),
        batchSize: Number(parameters.batchSize),
      },
      signal,
    );
    const { logLoss, accuracy } = score(w, validationSet);
    return { validationLoss: logLoss, gradientSteps: steps, accuracy };
  };

  const result = await optimize({
    name: "logistic_regression_tuning",
    parameters: [
      { name: "learningRate", type: "range", bounds: [1e-3, 1], logScale: true },
      { name: "l2", type: "range", bounds: [1e-6, 0.1], logScale: true },
      { name: "epochs", type: "range", bounds: [1, 40], valueType: "int" },
      { name: "batchSize", type: "choice", values: [8, 32, 128], isOrdered: true },
    ],
    objectives: { validationLoss: { minimize: true } },
    outcomeConstraints: ["gradientSteps <= 600"],
    evaluate,
    totalTrials,
    seed,
    loggingLevel: LogLevel.WARNING,
  });

  const { bestParameters, values, observedValues, predictions, rule, reason, trialCounts } = result;
  print(`Trials: ${trialCounts.COMPLETED} completed, ${trialCounts.FAILED} failed.`);
  print(`Best parameters: ${JSON.stringify(bestParameters)}`);
  // `rule` says who chose the arm: the model (its pick discounts a lucky noisy draw) or the best
  // observation; `values` are the model's predictions when the model chose it.
  const loss = predictions?.validationLoss;
  print(
    loss && rule === "model"
      ? `Predicted validation loss ${loss.mean.toFixed(4)} ± ${loss.sem.toFixed(4)}`
      : `Validation loss ${values?.validationLoss?.toFixed(4)}`,
  );
  print(
    `Observed: validation loss ${observedValues?.validationLoss?.toFixed(4)}, accuracy ` +
      `${observedValues?.accuracy?.toFixed(3)}, ${observedValues?.gradientSteps} gradient steps.`,
  );
  if (reason) print(`Chosen by ${rule}: ${reason}.`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--trials");
  await runFunctionRunnerExample(i > 0 ? { totalTrials: Number(process.argv[i + 1]) } : {});
}
