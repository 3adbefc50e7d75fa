#!/usr/bin/env node
/**
 * One trial of examples/progress-command/experiment.yaml: fits a small linear model by gradient descent
 * with momentum on a fixed synthetic dataset, and after each step appends its validation loss to
 * $ASCENT_PROGRESS_FILE as one JSON line, {"step": 7, "loss": 0.412}, which `ascent run` stores as the
 * trial's curve. Its result (the last loss) goes to $ASCENT_RESULT_FILE. When the early-stopping rule stops
 * the trial, the process is killed: its last reported loss is its result.
 *
 * Usage: node train.mjs --lr 0.05 --momentum 0.9 [--steps 40] [--step-ms 20]
 */
import { appendFileSync, writeFileSync } from "node:fs";

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])),
);
const lr = Number(args.lr);
const momentum = Number(args.momentum ?? 0);
const steps = Number(args.steps ?? 40);
const stepMs = Number(args["step-ms"] ?? 20);
if (!(lr > 0) || !(momentum >= 0 && momentum < 1) || !(steps >= 1)) {
  console.error(`bad arguments: ${process.argv.slice(2).join(" ")}`);
  process.exit(2);
}

/** A seeded dataset: y = 3 x1 - 2 x2 + 0.5 + noise, 200 points (the same for every trial). */
function dataset(n, seed) {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: n }, () => {
    const x = [random() * 2 - 1, random() * 2 - 1];
    return { x, y: 3 * x[0] - 2 * x[1] + 0.5 + 0.1 * (random() - 0.5) };
  });
}
const train = dataset(200, 7);
const validation = dataset(100, 11);

const loss = (w, data) =>
  data.reduce((s, { x, y }) => s + (w[0] * x[0] + w[1] * x[1] + w[2] - y) ** 2, 0) / data.length;

const w = [0, 0, 0];
const velocity = [0, 0, 0];
let last = loss(w, validation);
for (let step = 1; step <= steps; step++) {
  const grad = [0, 0, 0];
  for (const { x, y } of train) {
    const err = w[0] * x[0] + w[1] * x[1] + w[2] - y;
    grad[0] += (2 * err * x[0]) / train.length;
    grad[1] += (2 * err * x[1]) / train.length;
    grad[2] += (2 * err) / train.length;
  }
  for (let j = 0; j < 3; j++) {
    velocity[j] = momentum * velocity[j] - lr * grad[j];
    w[j] += velocity[j];
  }
  // A diverged model reports a large finite loss: values must be finite numbers.
  last = Math.min(loss(w, validation), 1e6);
  if (!Number.isFinite(last)) last = 1e6;
  appendFileSync(process.env.ASCENT_PROGRESS_FILE, `${JSON.stringify({ step, loss: last })}\n`);
  await new Promise((resolve) => setTimeout(resolve, stepMs)); // stands for a real training step
}
writeFileSync(process.env.ASCENT_RESULT_FILE, JSON.stringify({ loss: last }));
