import { readFileSync } from "node:fs";
import type { ObjectiveFunction } from "../../../src/numerics/optim/index.js";
import { HARTMANN6_COEFFICIENTS } from "../../../src/numerics/test-functions.js";

/** One scipy run from test/fixtures/optim-reference.json (scripts/fixtures/optim-reference.py). */
export interface ReferenceRun {
  x0: number[];
  x: number[];
  f: number;
  nit: number;
  nfev: number;
}

export interface OptimReference {
  rosenbrock: (ReferenceRun & { n: number; lower: number; upper: number })[];
  quadratic: ReferenceRun & {
    n: number;
    Q: number[];
    c: number[];
    lower: number;
    upper: number;
    solution: number[];
    solutionF: number;
  };
  branin: { lower: number[]; upper: number[]; runs: ReferenceRun[] };
  hartmann6: { lower: number; upper: number; runs: ReferenceRun[] };
  loglik: ReferenceRun & { N: number; p: number; X: number[]; y: number[] };
  linearConstrained: {
    n: number;
    k: number;
    Q: number[];
    t: number[];
    A: number[];
    b: number[];
    lower: number;
    upper: number;
    x0: number[];
    x: number[];
    f: number;
  };
}

export const reference = JSON.parse(
  readFileSync(new URL("../../fixtures/optim-reference.json", import.meta.url), "utf8"),
) as OptimReference;

/** Rosenbrock's function in n dimensions, Σ 100(x_{i+1} − x_i²)² + (1 − x_i)². */
export const rosenbrock: ObjectiveFunction = (x, g) => {
  const n = x.length;
  let f = 0;
  g.fill(0);
  for (let i = 0; i < n - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i]! += -400 * x[i]! * a - 2 * b;
    g[i + 1]! += 200 * a;
  }
  return f;
};

/** ½ xᵀQx + cᵀx with Q: n × n row-major. */
export function quadratic(Q: ArrayLike<number>, c: ArrayLike<number>): ObjectiveFunction {
  const n = c.length;
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let qi = 0;
      for (let j = 0; j < n; j++) qi += Q[i * n + j]! * x[j]!;
      g[i] = qi + c[i]!;
      f += x[i]! * (0.5 * qi + c[i]!);
    }
    return f;
  };
}

/** Branin on [−5, 10] × [0, 15]. */
export const branin: ObjectiveFunction = (x, g) => {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  const x1 = x[0]!;
  const u = x[1]! - b * x1 * x1 + c * x1 - 6;
  g[0] = 2 * u * (-2 * b * x1 + c) - 10 * (1 - t) * Math.sin(x1);
  g[1] = 2 * u;
  return u * u + 10 * (1 - t) * Math.cos(x1) + 10;
};

const { alpha: H6_ALPHA, A: H6_A, P: H6_P } = HARTMANN6_COEFFICIENTS;

/** Hartmann6 on [0, 1]⁶ (global minimum −3.32237). */
export const hartmann6: ObjectiveFunction = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i < 4; i++) {
    let s = 0;
    for (let j = 0; j < 6; j++) s += H6_A[i]![j]! * (x[j]! - H6_P[i]![j]!) ** 2;
    const e = H6_ALPHA[i]! * Math.exp(-s);
    f -= e;
    for (let j = 0; j < 6; j++) g[j]! += e * 2 * H6_A[i]![j]! * (x[j]! - H6_P[i]![j]!);
  }
  return f;
};

/** Penalized heteroscedastic-regression negative log-likelihood of the fixture, θ = (β, γ). */
export function loglik(X: ArrayLike<number>, y: ArrayLike<number>, p: number): ObjectiveFunction {
  const N = y.length;
  return (theta, g) => {
    let f = 0;
    for (let j = 0; j < 2 * p; j++) {
      f += 0.005 * theta[j]! ** 2;
      g[j] = 0.01 * theta[j]!;
    }
    for (let i = 0; i < N; i++) {
      let mean = 0;
      let eta = 0;
      for (let j = 0; j < p; j++) {
        mean += X[i * p + j]! * theta[j]!;
        eta += X[i * p + j]! * theta[p + j]!;
      }
      const r = y[i]! - mean;
      const w = Math.exp(-eta);
      f += 0.5 * (r * r * w + eta);
      for (let j = 0; j < p; j++) {
        g[j]! -= X[i * p + j]! * r * w;
        g[p + j]! += 0.5 * X[i * p + j]! * (1 - r * r * w);
      }
    }
    return f;
  };
}

/** ½(x − t)ᵀQ(x − t) + log Σ exp(x), the convex objective of the linearly constrained fixture. */
export function quadraticLogSumExp(Q: ArrayLike<number>, t: ArrayLike<number>): ObjectiveFunction {
  const n = t.length;
  return (x, g) => {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) max = Math.max(max, x[j]!);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x[j]! - max);
    let f = Math.log(sum) + max;
    for (let i = 0; i < n; i++) {
      let qd = 0;
      for (let j = 0; j < n; j++) qd += Q[i * n + j]! * (x[j]! - t[j]!);
      g[i] = qd + Math.exp(x[i]! - max) / sum;
      f += 0.5 * (x[i]! - t[i]!) * qd;
    }
    return f;
  };
}

/** Largest |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Largest violation max(A x − b)₊ of k rows. */
export function rowViolation(A: ArrayLike<number>, b: ArrayLike<number>, x: ArrayLike<number>): number {
  const n = x.length;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
    worst = Math.max(worst, s - b[i]!);
  }
  return worst;
}
