import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type CovarianceKernel,
  createGp,
  fitGp,
  MarginalLikelihood,
  matern32,
  matern52,
  rbf,
  SIMD_MIN_EXCLUSIVE_OBSERVATIONS,
} from "../../../src/numerics/gp/index.js";
import {
  covarianceMatrixScaled,
  crossCovarianceScaled,
  lengthscaleDerivativeScaled,
  scaleInputs,
} from "../../../src/numerics/gp/kernels/index.js";
import { cholesky, choleskySolve, dot, logDetFromCholesky } from "../../../src/numerics/linalg/index.js";
import { F, finiteDifference, fixtureTolerance, relativeError, uniformPoints } from "./helpers.js";

/** One case of test/fixtures/kernel-reference.json (scripts/fixtures/kernel-reference.py). */
interface KernelCase {
  kernel: string;
  n: number;
  d: number;
  m: number;
  X: number[];
  Xstar: number[];
  y: number[];
  noise: number[];
  lengthscales: number[];
  outputscale: number;
  constantMean: number;
  K: number[];
  cross: number[];
  /** d×n×n: ∂K/∂log ℓᵢ. */
  dLogLengthscale: number[];
  lml: number;
  /** ∂LML/∂[log s², log ℓ₁…ℓ_d], sklearn's theta order. */
  lmlGradient: number[];
  mean: number[];
  variance: number[];
  cond: number;
}

const reference = JSON.parse(
  readFileSync(new URL("../../fixtures/kernel-reference.json", import.meta.url), "utf8"),
) as { cases: KernelCase[] };

const KERNELS: Record<string, CovarianceKernel> = { matern32, matern52, rbf };

describe.each(reference.cases.map((c) => [c.kernel, c] as const))("%s against scikit-learn", (name, c) => {
  const kernel = KERNELS[name]!;
  const { n, d, m, outputscale: s2 } = c;
  const Z = scaleInputs(F(c.X), n, d, c.lengthscales);

  it("has the name it is stored under", () => {
    expect(kernel.name).toBe(name);
  });

  it("builds K and the cross-covariance (relative error ≤ 1e-14)", () => {
    expect(relativeError(covarianceMatrixScaled(kernel, Z, n, d, s2), c.K)).toBeLessThan(1e-14);
    const Zs = scaleInputs(F(c.Xstar), m, d, c.lengthscales);
    expect(relativeError(crossCovarianceScaled(kernel, Zs, m, Z, n, d, s2), c.cross)).toBeLessThan(1e-14);
  });

  it("gives ∂K/∂log ℓᵢ through its radial factor (relative error ≤ 1e-13)", () => {
    for (let i = 0; i < d; i++) {
      const expected = c.dLogLengthscale.slice(i * n * n, (i + 1) * n * n);
      expect(relativeError(lengthscaleDerivativeScaled(kernel, Z, n, d, s2, i), expected)).toBeLessThan(
        1e-13,
      );
    }
  });

  it("gives sklearn's log marginal likelihood, its gradient and the posterior", () => {
    const tol = fixtureTolerance(c.cond);
    const ml = new MarginalLikelihood(F(c.X), n, d, F(c.y), F(c.noise), kernel);
    const theta = F([...c.lengthscales.map(Math.log), Math.log(s2), c.constantMean]);
    const grad = new Float64Array(ml.p);
    const { logMarginalLikelihood } = ml.evaluate(theta, grad);
    expect(Math.abs(logMarginalLikelihood - c.lml)).toBeLessThan(tol * Math.abs(c.lml));
    expect(relativeError([grad[d]!, ...grad.subarray(0, d)], c.lmlGradient)).toBeLessThan(tol);
    const model = createGp({
      X: F(c.X),
      n,
      d,
      Y: F(c.y),
      Yvar: F(c.noise),
      hyperparameters: {
        lengthscales: c.lengthscales,
        outputscale: s2,
        constantMean: c.constantMean,
        noiseVariance: null,
      },
      outcomeTransform: { mean: 0, std: 1 },
      kernel,
    });
    expect(model.kernel).toBe(kernel);
    const { mean, variance } = model.predict(F(c.Xstar), m);
    expect(relativeError(mean, c.mean)).toBeLessThan(tol);
    expect(relativeError(variance, c.variance)).toBeLessThan(tol);
  });
});

describe.each([
  ["matern32", matern32],
  ["rbf", rbf],
] as const)("%s above SIMD_MIN_EXCLUSIVE_OBSERVATIONS (its own loop in the SIMD workspace)", (_, kernel) => {
  it("gives the dense LML and a gradient matching central differences", () => {
    const n = SIMD_MIN_EXCLUSIVE_OBSERVATIONS + 9;
    const d = 2;
    const X = uniformPoints(n, d, 8);
    const y = F(Array.from({ length: n }, (_, i) => Math.sin(4 * X[i * d]!) - X[i * d + 1]!));
    const noise = F(Array.from({ length: n }, () => 0.01));
    const ml = new MarginalLikelihood(X, n, d, y, noise, kernel);
    const theta = F([Math.log(0.4), Math.log(0.7), Math.log(1.2), 0.05]);
    const { logMarginalLikelihood } = ml.evaluate(theta);
    const K = covarianceMatrixScaled(kernel, scaleInputs(X, n, d, [0.4, 0.7]), n, d, 1.2);
    for (let a = 0; a < n; a++) K[a * n + a]! += 0.01;
    const { L } = cholesky(K, n);
    const r = F(Array.from(y, (v) => v - 0.05));
    const expected =
      -0.5 * dot(r, choleskySolve(L, n, r)) -
      0.5 * logDetFromCholesky(L, n) -
      0.5 * n * Math.log(2 * Math.PI);
    expect(Math.abs(logMarginalLikelihood - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    const grad = new Float64Array(ml.p);
    ml.objective(theta, grad);
    const scratch = new Float64Array(ml.p);
    expect(
      relativeError(
        grad,
        finiteDifference((t) => ml.objective(t, scratch), theta, 1e-5),
      ),
    ).toBeLessThan(1e-6);
  });
});

describe("the kernel as a parameter of fitGp", () => {
  const n = 30;
  const d = 2;
  const X = uniformPoints(n, d, 21);
  const Y = F(Array.from({ length: n }, (_, i) => Math.abs(X[i * d]! - 0.4) + X[i * d + 1]!));

  it("defaults to Matérn-5/2 and fits the kernel it is given", () => {
    const byDefault = fitGp({ X, n, d, Y, Yvar: null });
    expect(byDefault.kernel).toBe(matern52);
    const explicit = fitGp({ X, n, d, Y, Yvar: null, kernel: matern52 });
    expect(explicit.hyperparameters).toEqual(byDefault.hyperparameters);
    const rough = fitGp({ X, n, d, Y, Yvar: null, kernel: matern32 });
    expect(rough.kernel).toBe(matern32);
    expect(rough.hyperparameters.lengthscales).not.toEqual(byDefault.hyperparameters.lengthscales);
    // Each model predicts with its own kernel: the Matérn-3/2 model's posterior is its own.
    const x = F([0.41, 0.52]);
    expect(rough.predictValue(x).mean).not.toBe(byDefault.predictValue(x).mean);
    // The one-point path agrees with the model's dense posterior (which uses the model's kernel).
    const dense = rough.predict(x, 1);
    expect(rough.predictValue(x).mean).toBeCloseTo(dense.mean[0]!, 12);
    expect(relativeError([rough.predictValue(x).variance], [dense.variance[0]!])).toBeLessThan(1e-10);
    // And the gradient it reports is its own posterior's (central differences in x).
    const g = rough.predictWithGradient(x);
    const fd = finiteDifference((z) => rough.predictValue(z).mean, x, 1e-6);
    expect(relativeError(g.dMean, fd)).toBeLessThan(1e-5);
  });
});
