/**
 * The evaluate module of the queue example, loaded by each `ascent worker --module`: it trains a small
 * model (a ridge regression of a noisy sine curve on polynomial features, by gradient descent) with the
 * trial's hyperparameters and returns its validation error. Workers call it as a FunctionRunner would:
 * `evaluate(parameters, { trialIndex, experimentName, signal, attempt })`.
 */
import type { QueueEvaluateFunction } from "../../src/index.js";

const FEATURES = 6;

/** Points (x, sin(3x) + noise) on [-1, 1], the same in every worker (a fixed linear congruential stream). */
function dataset(n: number, seed: number): { x: number[]; y: number[] } {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const x = Array.from({ length: n }, () => next() * 2 - 1);
  return { x, y: x.map((v) => Math.sin(3 * v) + (next() - 0.5) * 0.2) };
}

const features = (x: number): number[] => Array.from({ length: FEATURES }, (_, k) => x ** k);

function meanSquaredError(w: readonly number[], data: { x: number[]; y: number[] }): number {
  let sum = 0;
  for (let i = 0; i < data.x.length; i++) {
    const f = features(data.x[i]!);
    const prediction = f.reduce((s, v, k) => s + v * w[k]!, 0);
    sum += (prediction - data.y[i]!) ** 2;
  }
  return sum / data.x.length;
}

/** Trains for `epochs` epochs with learning rate `lr` and L2 penalty `l2`; the validation MSE and the epochs. */
export const evaluate: QueueEvaluateFunction = async (parameters, { signal }) => {
  const lr = Number(parameters.lr);
  const l2 = Number(parameters.l2);
  const epochs = Number(parameters.epochs);
  const train = dataset(200, 1);
  const validation = dataset(100, 2);
  const w = new Array<number>(FEATURES).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (signal.aborted) throw signal.reason;
    const gradient = new Array<number>(FEATURES).fill(0);
    for (let i = 0; i < train.x.length; i++) {
      const f = features(train.x[i]!);
      const error = f.reduce((s, v, k) => s + v * w[k]!, 0) - train.y[i]!;
      for (let k = 0; k < FEATURES; k++) gradient[k]! += (2 * error * f[k]!) / train.x.length;
    }
    for (let k = 0; k < FEATURES; k++) w[k]! -= lr * (gradient[k]! + 2 * l2 * w[k]!);
    // Let a stop message reach this worker between epochs.
    if (epoch % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const mse = meanSquaredError(w, validation);
  return { mse: Number.isFinite(mse) ? mse : 1e6, epochs };
};
