import { describe, expect, it } from "vitest";
import {
  createGp,
  MarginalLikelihood,
  SIMD_MIN_EXCLUSIVE_OBSERVATIONS,
} from "../../../src/numerics/gp/index.js";
import { matern52Matrix } from "../../../src/numerics/gp/kernel.js";
import { cholesky, choleskySolve, dot, logDetFromCholesky } from "../../../src/numerics/linalg/index.js";
import {
  F,
  finiteDifference,
  fixtureTolerance,
  gpReference,
  relativeError,
  uniformPoints,
} from "./helpers.js";

/** θ = [log ℓ, log s², c, log σ²?] of a fixture case, and the standardized data it is evaluated on. */
function setup(c: (typeof gpReference.cases)[number]) {
  const h = c.hyperparameters;
  const inferNoise = c.Yvar === null;
  const { mean, std } = c.transform;
  const y = F(c.Y.map((v) => (v - mean) / std));
  const noise = c.Yvar === null ? null : F(c.Yvar.map((v) => Math.max(v / std ** 2, 1e-6)));
  const theta = F([
    ...h.lengthscales.map(Math.log),
    Math.log(h.outputscale),
    h.constantMean,
    ...(inferNoise ? [Math.log(h.noiseVariance!)] : []),
  ]);
  return { ml: new MarginalLikelihood(F(c.X), c.n, c.d, y, noise), theta, inferNoise };
}

/** Against sklearn, LML and gradient within {@link fixtureTolerance} (relative, normwise). */
describe("log marginal likelihood against scikit-learn", () => {
  it.each(gpReference.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const { ml, theta, inferNoise } = setup(c);
    const tol = fixtureTolerance(c.cond);
    const grad = new Float64Array(ml.p);
    const { logMarginalLikelihood } = ml.evaluate(theta, grad);
    expect(Math.abs(logMarginalLikelihood - c.lml)).toBeLessThan(tol * Math.abs(c.lml));
    const d = c.d;
    // sklearn's order: [log s², log ℓ…, log σ²].
    const ours = [grad[d]!, ...grad.subarray(0, d), ...(inferNoise ? [grad[d + 2]!] : [])];
    expect(relativeError(ours, c.lmlGradient)).toBeLessThan(tol);
    const model = createGp({
      X: F(c.X),
      n: c.n,
      d,
      Y: F(c.Y),
      Yvar: c.Yvar === null ? null : F(c.Yvar),
      hyperparameters: c.hyperparameters,
    });
    expect(Math.abs(model.logMarginalLikelihood() - c.lml)).toBeLessThan(tol * Math.abs(c.lml));
    expect(model.outcomeTransform.std).toBeCloseTo(c.transform.std, 14);
  });
});

describe("gradient of the MAP objective −(LML + log prior)/n", () => {
  it.each([
    ["fixed noise", false],
    ["inferred noise", true],
  ] as const)("matches central differences in every θ, %s (relative error ≤ 1e-6)", (_, inferNoise) => {
    const n = 25;
    const d = 4;
    const X = uniformPoints(n, d, 11);
    const y = F(Array.from({ length: n }, (_, i) => Math.sin(7 * X[i * d]!) + X[i * d + 1]! - 0.4));
    const noise = inferNoise ? null : F(Array.from({ length: n }, (_, i) => 0.01 + 0.001 * i));
    const ml = new MarginalLikelihood(X, n, d, y, noise);
    const theta = F([Math.log(0.3), Math.log(0.8), 0.2, -0.5, 0.1, 0.15, ...(inferNoise ? [-3] : [])]);
    const grad = new Float64Array(ml.p);
    ml.objective(theta, grad);
    const scratch = new Float64Array(ml.p);
    const fd = finiteDifference((t) => ml.objective(t, scratch), theta, 1e-5);
    expect(relativeError(grad, fd)).toBeLessThan(1e-6);
  });
});

describe("above SIMD_MIN_EXCLUSIVE_OBSERVATIONS (WebAssembly factorization and inverse)", () => {
  it.each([
    ["fixed noise", false],
    ["inferred noise", true],
  ] as const)("gives the model's LML and a gradient matching central differences, %s", (_, inferNoise) => {
    const n = SIMD_MIN_EXCLUSIVE_OBSERVATIONS + 23;
    const d = 3;
    const X = uniformPoints(n, d, 5);
    const Y = F(Array.from({ length: n }, (_, i) => Math.sin(5 * X[i * d]!) + X[i * d + 1]! ** 2 - 0.4));
    const Yvar = inferNoise ? null : F(Array.from({ length: n }, (_, i) => 0.01 + 1e-4 * i));
    const hyperparameters = {
      lengthscales: [0.3, 0.5, 0.8],
      outputscale: 1.3,
      constantMean: 0.1,
      noiseVariance: inferNoise ? 0.02 : null,
    };
    const model = createGp({ X, n, d, Y, Yvar, hyperparameters });
    const { mean, std } = model.outcomeTransform;
    const y = F(Array.from(Y, (v) => (v - mean) / std));
    const noise = Yvar === null ? null : F(Array.from(Yvar, (v) => Math.max(v / std ** 2, 1e-6)));
    const ml = new MarginalLikelihood(X, n, d, y, noise);
    const theta = F([
      ...hyperparameters.lengthscales.map(Math.log),
      Math.log(hyperparameters.outputscale),
      hyperparameters.constantMean,
      ...(inferNoise ? [Math.log(0.02)] : []),
    ]);
    const grad = new Float64Array(ml.p);
    const { logMarginalLikelihood } = ml.evaluate(theta, grad);
    // Reference with the TypeScript Cholesky, standardized scale.
    const K = matern52Matrix(X, n, d, hyperparameters.lengthscales, hyperparameters.outputscale);
    for (let a = 0; a < n; a++) K[a * n + a]! += noise === null ? 0.02 : noise[a]!;
    const { L } = cholesky(K, n);
    const r = F(Array.from(y, (v) => v - hyperparameters.constantMean));
    const quad = dot(r, choleskySolve(L, n, r));
    const expected = -0.5 * quad - 0.5 * logDetFromCholesky(L, n) - 0.5 * n * Math.log(2 * Math.PI);
    expect(Math.abs(logMarginalLikelihood - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    // The model's state is factored in the SIMD kernel too (gp-state.ts).
    expect(Math.abs(model.logMarginalLikelihood() - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    const objectiveGrad = new Float64Array(ml.p);
    ml.objective(theta, objectiveGrad);
    const scratch = new Float64Array(ml.p);
    const fd = finiteDifference((t) => ml.objective(t, scratch), theta, 1e-5);
    expect(relativeError(objectiveGrad, fd)).toBeLessThan(1e-6);
  });

  it("falls back to the jitter ladder when K is singular (duplicated inputs, no noise)", () => {
    const half = (SIMD_MIN_EXCLUSIVE_OBSERVATIONS + 12) / 2;
    const n = 2 * half;
    const d = 2;
    const distinct = uniformPoints(half, d, 9);
    const X = new Float64Array(n * d);
    X.set(distinct);
    X.set(distinct, half * d);
    const y = F(Array.from({ length: n }, (_, i) => Math.cos(4 * X[i * d]!)));
    const ml = new MarginalLikelihood(X, n, d, y, new Float64Array(n));
    const theta = F([Math.log(0.3), Math.log(0.5), 0, 0.1]);
    const { logMarginalLikelihood } = ml.evaluate(theta);
    const K = matern52Matrix(X, n, d, [0.3, 0.5], 1);
    const { L, jitter } = cholesky(K, n);
    expect(jitter).toBeGreaterThan(0);
    const r = F(Array.from(y, (v) => v - 0.1));
    const expected =
      -0.5 * dot(r, choleskySolve(L, n, r)) -
      0.5 * logDetFromCholesky(L, n) -
      0.5 * n * Math.log(2 * Math.PI);
    expect(Number.isFinite(logMarginalLikelihood)).toBe(true);
    expect(Math.abs(logMarginalLikelihood - expected)).toBeLessThan(1e-6 * Math.abs(expected));
  });
});
