#!/usr/bin/env node
/**
 * Trains a small neural network (one hidden tanh layer, sigmoid output) by full-batch gradient descent on
 * a synthetic "two moons" dataset, and prints its validation loss and accuracy as one JSON line:
 *
 *   node train.mjs --lr 0.3 --hidden 16 --epochs 300 --l2 0.0001
 *   ...progress lines...
 *   {"loss":0.1123,"accuracy":0.965}
 *
 * Any program can be a trial this way: it reads its hyperparameters from its arguments (or from the
 * ASCENT_PARAMETERS environment variable, as JSON) and reports its result as the last JSON line of its
 * output (or in the file named by ASCENT_RESULT_FILE).
 */

function parseArgs(argv) {
  const args = { lr: 0.1, hidden: 8, epochs: 200, l2: 0, seed: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, "");
    const value = Number(argv[i + 1]);
    if (!(name in args) || !Number.isFinite(value)) {
      console.error(
        `train.mjs: bad argument ${argv[i]} ${argv[i + 1]}; expected --lr, --hidden, --epochs, --l2, --seed`,
      );
      process.exit(2);
    }
    args[name] = value;
  }
  return args;
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32), so every run sees the same data. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two interleaved half circles with Gaussian noise: not linearly separable. */
function twoMoons(n, random) {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const points = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * random();
    const x = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const y = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    points.push({ x: [x + 0.2 * gauss(), y + 0.2 * gauss()], label });
  }
  return points;
}

function createNetwork(hidden, random) {
  const init = (fanIn) => (random() * 2 - 1) * Math.sqrt(1 / fanIn);
  return {
    W1: Array.from({ length: hidden }, () => [init(2), init(2)]),
    b1: new Array(hidden).fill(0),
    W2: Array.from({ length: hidden }, () => init(hidden)),
    b2: 0,
  };
}

function forward(net, x) {
  const h = net.W1.map((w, j) => Math.tanh(w[0] * x[0] + w[1] * x[1] + net.b1[j]));
  const z = h.reduce((s, hj, j) => s + hj * net.W2[j], net.b2);
  return { h, p: 1 / (1 + Math.exp(-z)) };
}

/** One full-batch gradient step on the log-loss with L2 penalty. */
function step(net, data, lr, l2) {
  const hidden = net.W2.length;
  const gW1 = net.W1.map(() => [0, 0]);
  const gb1 = new Array(hidden).fill(0);
  const gW2 = new Array(hidden).fill(0);
  let gb2 = 0;
  for (const { x, label } of data) {
    const { h, p } = forward(net, x);
    const dz = p - label;
    gb2 += dz;
    for (let j = 0; j < hidden; j++) {
      gW2[j] += dz * h[j];
      const dh = dz * net.W2[j] * (1 - h[j] * h[j]);
      gb1[j] += dh;
      gW1[j][0] += dh * x[0];
      gW1[j][1] += dh * x[1];
    }
  }
  const n = data.length;
  for (let j = 0; j < hidden; j++) {
    net.W2[j] -= lr * (gW2[j] / n + l2 * net.W2[j]);
    net.b1[j] -= lr * (gb1[j] / n);
    net.W1[j][0] -= lr * (gW1[j][0] / n + l2 * net.W1[j][0]);
    net.W1[j][1] -= lr * (gW1[j][1] / n + l2 * net.W1[j][1]);
  }
  net.b2 -= lr * (gb2 / n);
}

function evaluate(net, data) {
  let loss = 0;
  let correct = 0;
  for (const { x, label } of data) {
    const p = Math.min(Math.max(forward(net, x).p, 1e-12), 1 - 1e-12);
    loss -= label * Math.log(p) + (1 - label) * Math.log(1 - p);
    if ((p >= 0.5 ? 1 : 0) === label) correct += 1;
  }
  return { loss: loss / data.length, accuracy: correct / data.length };
}

const args = parseArgs(process.argv.slice(2));
const random = rng(args.seed);
const data = twoMoons(400, random);
const train = data.slice(0, 300);
const validation = data.slice(300);
const net = createNetwork(Math.max(1, Math.round(args.hidden)), random);
const epochs = Math.max(1, Math.round(args.epochs));
for (let epoch = 1; epoch <= epochs; epoch++) {
  step(net, train, args.lr, args.l2);
  if (epoch % 100 === 0) console.log(`epoch ${epoch}: training loss ${evaluate(net, train).loss.toFixed(4)}`);
}
const { loss, accuracy } = evaluate(net, validation);
// A diverged network has a NaN loss: report it as it is (the trial's fetch then fails, saying why).
console.log(JSON.stringify({ loss: Number.isFinite(loss) ? loss : String(loss), accuracy }));
