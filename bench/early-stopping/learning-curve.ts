/**
 * The learning-curve problem of `npm run bench -- early-stopping`: a 2-layer MLP (tanh hidden layer, linear
 * output) trained with minibatch SGD and heavy-ball momentum on a synthetic regression set generated here,
 * its validation loss (mean squared error on standardized targets) measured after every epoch.
 *
 * Everything is deterministic: the data set, the weight initialization and the minibatch order come from
 * fixed seeds, so one parameterization always gives the same curve, in Node and (through the curve server)
 * in Python. A whole curve takes a few tens of milliseconds.
 */
import { Rng } from "../../src/index.js";

/** The hyperparameters of one training run. */
export interface TrainingParams {
  /** SGD step size, in [1e-4, 1] (log scale). */
  learningRate: number;
  /** L2 penalty on the weights (not the biases), in [1e-6, 1e-1] (log scale). */
  l2: number;
  /** Width of the hidden layer, an integer in [2, 32]. */
  hiddenUnits: number;
  /** Heavy-ball momentum, in [0, 0.95]. */
  momentum: number;
}

/** Epochs per run: the progression goes 1..MAX_EPOCHS. */
export const MAX_EPOCHS = 40;
/** Minibatch size (TRAIN_SIZE / BATCH_SIZE updates per epoch). */
export const BATCH_SIZE = 16;
export const TRAIN_SIZE = 512;
export const VALIDATION_SIZE = 256;
export const INPUT_DIMENSION = 6;
/**
 * The largest loss reported. A diverged run has an infinite or NaN loss; it is reported as this cap
 * (4 times the loss of predicting the mean), so every value stays finite and a diverged run is simply
 * very bad.
 */
export const LOSS_CAP = 4;

/** The search space, as a Client's `createExperiment` takes it. */
export const SEARCH_SPACE = [
  { name: "learningRate", type: "range", bounds: [1e-4, 1], logScale: true },
  { name: "l2", type: "range", bounds: [1e-6, 1e-1], logScale: true },
  { name: "hiddenUnits", type: "range", bounds: [2, 32], valueType: "int" },
  { name: "momentum", type: "range", bounds: [0, 0.95] },
] as const;

const DATA_SEED = 20_240_611;
const INIT_SEED = 17;
const ORDER_SEED = 29;

/** Inputs (n×d, row-major) and standardized targets. */
interface Split {
  X: Float64Array;
  y: Float64Array;
  n: number;
}

/** The noise-free target: smooth, with interactions, so a few hidden units are not enough. */
function target(x: Float64Array, o: number): number {
  return (
    Math.sin(2 * x[o]!) +
    0.8 * x[o + 1]! * x[o + 2]! +
    0.5 * (x[o + 3]! * x[o + 3]! - 1) +
    0.6 * Math.tanh(x[o + 4]! - x[o + 5]!) +
    0.3 * x[o + 5]!
  );
}

function makeData(): { train: Split; validation: Split } {
  const rng = new Rng(DATA_SEED);
  const n = TRAIN_SIZE + VALIDATION_SIZE;
  const X = new Float64Array(n * INPUT_DIMENSION);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < INPUT_DIMENSION; j++) X[i * INPUT_DIMENSION + j] = rng.normal();
    y[i] = target(X, i * INPUT_DIMENSION) + 0.3 * rng.normal();
  }
  // Targets standardized with the training split's mean and deviation: predicting the mean scores ~1.
  let mean = 0;
  for (let i = 0; i < TRAIN_SIZE; i++) mean += y[i]!;
  mean /= TRAIN_SIZE;
  let variance = 0;
  for (let i = 0; i < TRAIN_SIZE; i++) variance += (y[i]! - mean) ** 2;
  const sd = Math.sqrt(variance / TRAIN_SIZE);
  for (let i = 0; i < n; i++) y[i] = (y[i]! - mean) / sd;
  const cut = TRAIN_SIZE * INPUT_DIMENSION;
  return {
    train: { X: X.subarray(0, cut), y: y.subarray(0, TRAIN_SIZE), n: TRAIN_SIZE },
    validation: { X: X.subarray(cut), y: y.subarray(TRAIN_SIZE), n: VALIDATION_SIZE },
  };
}

let data: ReturnType<typeof makeData> | undefined;
/** The data set, built once per process. */
function dataset() {
  data ??= makeData();
  return data;
}

/** The minibatch order of every epoch, the same for every run, built once per process. */
let orders: Uint32Array[] | undefined;
function epochOrders(): Uint32Array[] {
  if (orders) return orders;
  const rng = new Rng(ORDER_SEED);
  orders = Array.from({ length: MAX_EPOCHS }, () => {
    const order = Uint32Array.from({ length: TRAIN_SIZE }, (_, i) => i);
    for (let i = TRAIN_SIZE - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  });
  return orders;
}

/** Checks a parameterization against the search space, so a curve is never computed for a typo. */
export function checkParams(params: TrainingParams): void {
  for (const spec of SEARCH_SPACE) {
    const value = params[spec.name];
    const [lo, hi] = spec.bounds;
    if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi)
      throw new RangeError(`${spec.name} must be a number in [${lo}, ${hi}], got ${String(value)}`);
  }
  if (!Number.isInteger(params.hiddenUnits))
    throw new RangeError(`hiddenUnits must be an integer, got ${params.hiddenUnits}`);
}

/** The network's weights and their momentum buffers: W1 h×d, b1 h, W2 h, b2 1 in one array. */
class Mlp {
  readonly w: Float64Array;
  readonly v: Float64Array;
  readonly grad: Float64Array;
  private readonly hidden: Float64Array;
  private readonly b1: number;
  private readonly w2: number;
  private readonly b2: number;

  constructor(readonly h: number) {
    const d = INPUT_DIMENSION;
    this.b1 = h * d;
    this.w2 = this.b1 + h;
    this.b2 = this.w2 + h;
    const size = this.b2 + 1;
    this.w = new Float64Array(size);
    this.v = new Float64Array(size);
    this.grad = new Float64Array(size);
    this.hidden = new Float64Array(h);
    const rng = new Rng(INIT_SEED);
    for (let i = 0; i < h * d; i++) this.w[i] = rng.normal() / Math.sqrt(d);
    for (let i = 0; i < h; i++) this.w[this.w2 + i] = rng.normal() / Math.sqrt(h);
  }

  /** Output for row `r` of X; leaves the hidden activations in `this.hidden`. */
  forward(X: Float64Array, r: number): number {
    const { w, h, hidden } = this;
    const d = INPUT_DIMENSION;
    const o = r * d;
    let out = w[this.b2]!;
    for (let k = 0; k < h; k++) {
      let a = w[this.b1 + k]!;
      const row = k * d;
      for (let j = 0; j < d; j++) a += w[row + j]! * X[o + j]!;
      const t = Math.tanh(a);
      hidden[k] = t;
      out += w[this.w2 + k]! * t;
    }
    return out;
  }

  /** Adds the gradient of (out − y)² · scale at row `r` to `grad` (after `forward` on that row). */
  backward(X: Float64Array, r: number, error: number, scale: number): void {
    const { w, h, hidden, grad } = this;
    const d = INPUT_DIMENSION;
    const o = r * d;
    const e = 2 * error * scale;
    grad[this.b2]! += e;
    for (let k = 0; k < h; k++) {
      const t = hidden[k]!;
      grad[this.w2 + k]! += e * t;
      const dh = e * w[this.w2 + k]! * (1 - t * t);
      grad[this.b1 + k]! += dh;
      const row = k * d;
      for (let j = 0; j < d; j++) grad[row + j]! += dh * X[o + j]!;
    }
  }

  /** One heavy-ball step: v ← μv − η(g + λw) (λ on weights only), w ← w + v; clears `grad`. */
  step(learningRate: number, momentum: number, l2: number): void {
    const { w, v, grad } = this;
    for (let i = 0; i < w.length; i++) {
      const isBias = (i >= this.b1 && i < this.w2) || i === this.b2;
      const g = grad[i]! + (isBias ? 0 : l2 * w[i]!);
      v[i] = momentum * v[i]! - learningRate * g;
      w[i]! += v[i]!;
      grad[i] = 0;
    }
  }

  /** Mean squared error over a split (NaN or ∞ once the weights have diverged). */
  loss(split: Split): number {
    let sum = 0;
    for (let r = 0; r < split.n; r++) sum += (this.forward(split.X, r) - split.y[r]!) ** 2;
    return sum / split.n;
  }
}

/**
 * Trains one network epoch by epoch, yielding the validation loss after each epoch (MAX_EPOCHS values), so
 * a caller that stops early also stops paying for the remaining epochs.
 * @throws RangeError when a parameter is outside the search space.
 */
export function* trainEpochs(params: TrainingParams): Generator<number, void, undefined> {
  checkParams(params);
  const { train, validation } = dataset();
  const net = new Mlp(params.hiddenUnits);
  const scale = 1 / BATCH_SIZE;
  let diverged = false;
  for (const order of epochOrders()) {
    // A diverged network stays diverged: no need to keep multiplying NaNs.
    if (!diverged) {
      for (let start = 0; start < TRAIN_SIZE; start += BATCH_SIZE) {
        for (let b = start; b < start + BATCH_SIZE; b++) {
          const r = order[b]!;
          net.backward(train.X, r, net.forward(train.X, r) - train.y[r]!, scale);
        }
        net.step(params.learningRate, params.momentum, params.l2);
      }
    }
    const loss = net.loss(validation);
    diverged ||= !Number.isFinite(loss);
    yield Number.isFinite(loss) ? Math.min(loss, LOSS_CAP) : LOSS_CAP;
  }
}

/** The whole validation-loss curve of one run: MAX_EPOCHS values, epoch 1 first. */
export function learningCurve(params: TrainingParams): number[] {
  return [...trainEpochs(params)];
}
