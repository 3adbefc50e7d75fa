import { describe, expect, it } from "vitest";
import {
  logPrior,
  priorModeTheta,
  samplePriorTheta,
  thetaBounds,
  thetaLength,
} from "../../../src/numerics/gp/hyperparameters.js";
import {
  createGp,
  fitGp,
  type GpHyperparameters,
  type InputWarping,
  kumaraswamyWarp,
  leaveOneOut,
  MarginalLikelihood,
  WARP_EPSILON,
} from "../../../src/numerics/gp/index.js";
import {
  InputWarp,
  kumaraswamyWarpWithDerivatives,
  type WarpWithDerivatives,
} from "../../../src/numerics/gp/input-warping.js";
import { Rng } from "../../../src/util/rng.js";
import { F, finiteDifference, relativeError, uniformPoints } from "./helpers.js";

const squeezed = (x: number) => WARP_EPSILON + (1 - 2 * WARP_EPSILON) * x;
const derivatives = (x: number, a: number, b: number): WarpWithDerivatives =>
  kumaraswamyWarpWithDerivatives(x, a, b, { value: 0, dx: 0, dLogA: 0, dLogB: 0 });

describe("Kumaraswamy warp", () => {
  it("is the squeeze x̃ = ε + (1 − 2ε)x at a = b = 1, x̃^a at b = 1 and 1 − (1 − x̃)^b at a = 1", () => {
    for (const x of [0, 1e-9, 0.013, 0.3, 0.5, 0.77, 1 - 1e-9, 1]) {
      expect(kumaraswamyWarp(x, 1, 1)).toBeCloseTo(squeezed(x), 15);
      expect(derivatives(x, 1, 1).dx).toBeCloseTo(1 - 2 * WARP_EPSILON, 12);
      expect(kumaraswamyWarp(x, 0.4, 1)).toBeCloseTo(squeezed(x) ** 0.4, 14);
      expect(kumaraswamyWarp(x, 1, 2.5)).toBeCloseTo(1 - (1 - squeezed(x)) ** 2.5, 14);
    }
  });

  it("is increasing from ≈0 to ≈1 and bends the low end up for a < 1, down for a > 1", () => {
    expect(kumaraswamyWarp(0.1, 0.3, 1)).toBeGreaterThan(0.4);
    expect(kumaraswamyWarp(0.1, 3, 1)).toBeLessThan(0.01);
    expect(kumaraswamyWarp(0.9, 1, 0.3)).toBeLessThan(0.6);
    let previous = -1;
    for (let i = 0; i <= 100; i++) {
      const w = kumaraswamyWarp(i / 100, 0.2, 3);
      expect(w).toBeGreaterThan(previous);
      previous = w;
    }
    expect(kumaraswamyWarp(0, 1, 3)).toBeLessThan(1e-6);
    expect(kumaraswamyWarp(1, 3, 1)).toBeGreaterThan(1 - 1e-6);
  });

  it("has derivatives in x, log a and log b equal to central differences (relative 1e-6)", () => {
    for (const [x, a, b] of [
      [0.3, 1, 1],
      [0.05, 0.3, 2],
      [0.9, 4, 0.2],
      [0.5, 0.1, 10],
      [0.001, 0.6, 0.7],
      [0.999, 2, 0.5],
    ] as const) {
      const g = derivatives(x, a, b);
      expect(g.value).toBe(kumaraswamyWarp(x, a, b));
      const h = 1e-6;
      const fdX = (kumaraswamyWarp(x + h, a, b) - kumaraswamyWarp(x - h, a, b)) / (2 * h);
      const fdA =
        (kumaraswamyWarp(x, a * Math.exp(h), b) - kumaraswamyWarp(x, a * Math.exp(-h), b)) / (2 * h);
      const fdB =
        (kumaraswamyWarp(x, a, b * Math.exp(h)) - kumaraswamyWarp(x, a, b * Math.exp(-h))) / (2 * h);
      expect(Math.abs(g.dx - fdX)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fdX)));
      expect(Math.abs(g.dLogA - fdA)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fdA)));
      expect(Math.abs(g.dLogB - fdB)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fdB)));
    }
  });

  it("keeps w′ finite at the bounds of the cube for the extreme concentrations", () => {
    for (const [x, a, b] of [
      [0, 0.1, 0.1],
      [1, 0.1, 0.1],
      [0, 10, 0.1],
      [1, 0.1, 10],
    ] as const) {
      const g = derivatives(x, a, b);
      for (const v of [g.value, g.dx, g.dLogA, g.dLogB]) expect(Number.isFinite(v)).toBe(true);
    }
  });
});

describe("θ with warped dimensions", () => {
  it("starts at the identity warp, draws and bounds the 2w log concentrations after the other entries", () => {
    const d = 3;
    expect(thetaLength(d, true, 2)).toBe(thetaLength(d, true) + 4);
    const mode = priorModeTheta(d, true, "lognormal", 2);
    expect([...mode.subarray(0, d + 3)]).toEqual([...priorModeTheta(d, true)]);
    expect([...mode.subarray(d + 3)]).toEqual([0, 0, 0, 0]);
    const { lower, upper } = thetaBounds(d, false, 1);
    expect([lower[d + 2], upper[d + 2], lower[d + 3], upper[d + 3]]).toEqual([
      Math.log(0.1),
      Math.log(10),
      Math.log(0.1),
      Math.log(10),
    ]);
    // The draws of the other entries are those of an unwarped start: the warp entries are drawn last.
    const warped = samplePriorTheta(d, true, new Rng(4), "lognormal", 2);
    expect([...warped.subarray(0, d + 3)]).toEqual([...samplePriorTheta(d, true, new Rng(4))]);
    expect(new Set(warped.subarray(d + 3)).size).toBe(4);
  });

  it("puts the LogNormal(0, √0.75) density of each concentration into the log prior, with its gradient", () => {
    const d = 2;
    const theta = F([-1, -0.5, 0.2, 0.1, 0.3, -0.7]);
    const base = logPrior(theta.subarray(0, 4), d, false, new Float64Array(4));
    const grad = new Float64Array(6);
    const value = logPrior(theta, d, false, grad);
    const s = Math.sqrt(0.75);
    const density = (t: number) => -t - Math.log(s) - 0.5 * Math.log(2 * Math.PI) - (0.5 * t * t) / (s * s);
    expect(value).toBeCloseTo(base + density(0.3) + density(-0.7), 13);
    expect(grad[4]).toBeCloseTo(-1 - 0.3 / 0.75, 14);
    expect(grad[5]).toBeCloseTo(-1 + 0.7 / 0.75, 14);
  });
});

/** Data with its detail near 0 in dimension 0: sin(12·x₀^0.3)-like, plus a smooth second input. */
function detailNearZero(n: number, d: number, seed: number) {
  const X = uniformPoints(n, d, seed);
  const Y = F(Array.from({ length: n }, (_, i) => Math.sin(12 * X[i * d]! ** 0.3) + 0.5 * X[i * d + 1]!));
  return { X, Y };
}

describe("gradient of the MAP objective with warped inputs", () => {
  it.each([
    ["fixed noise, both dimensions warped", false, [0, 1], 25],
    ["inferred noise, one of three dimensions warped", true, [1], 25],
    ["inferred noise above the SIMD threshold", true, [0, 2], 140],
  ] as const)("matches central differences in every θ entry: %s", (_, inferNoise, dims, n) => {
    const d = 3;
    const { X, Y } = detailNearZero(n, d, 5);
    const y = F(Y.map((v) => v - 0.1));
    const noise = inferNoise ? null : F(Array.from({ length: n }, (_, i) => 0.01 + 0.001 * i));
    const ml = new MarginalLikelihood(X, n, d, y, noise, undefined, "lognormal", dims);
    const concentrations = [Math.log(0.4), Math.log(1.7), Math.log(2.2), Math.log(0.6)];
    const theta = F([
      Math.log(0.3),
      Math.log(0.8),
      Math.log(0.5),
      0.1,
      0.15,
      ...(inferNoise ? [-3] : []),
      ...concentrations.slice(0, dims.length),
      ...concentrations.slice(2, 2 + dims.length),
    ]);
    expect(ml.p).toBe(theta.length);
    const grad = new Float64Array(ml.p);
    ml.objective(theta, grad);
    const scratch = new Float64Array(ml.p);
    const fd = finiteDifference((t) => ml.objective(t, scratch), theta, 1e-5);
    expect(relativeError(grad, fd)).toBeLessThan(1e-6);
    // The warp entries themselves, not only the largest ones.
    for (let j = theta.length - 2 * dims.length; j < theta.length; j++) {
      expect(Math.abs(grad[j]! - fd[j]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd[j]!)));
    }
  });

  it("is the unwarped likelihood of the warped inputs (same value for the same θ)", () => {
    const n = 20;
    const d = 2;
    const { X, Y } = detailNearZero(n, d, 6);
    const warping: InputWarping = { dimensions: [0], a: [0.5], b: [1.3] };
    const warpedX = new InputWarp(warping).warpRows(X, d);
    const theta = F([Math.log(0.3), Math.log(0.6), 0.1, 0.2, -3]);
    const plain = new MarginalLikelihood(warpedX, n, d, Y, null).evaluate(theta);
    const ml = new MarginalLikelihood(X, n, d, Y, null, undefined, "lognormal", [0]);
    const warped = ml.evaluate(F([...theta, Math.log(0.5), Math.log(1.3)]));
    expect(warped.logMarginalLikelihood).toBeCloseTo(plain.logMarginalLikelihood, 11);
  });
});

describe("a GP with warped inputs", () => {
  const n = 18;
  const d = 3;
  const { X, Y } = detailNearZero(n, d, 8);
  const warping: InputWarping = { dimensions: [0, 2], a: [0.4, 2.1], b: [1.6, 0.5] };
  const hyperparameters: GpHyperparameters = {
    lengthscales: [0.3, 0.7, 0.5],
    outputscale: 1.3,
    constantMean: 0.1,
    noiseVariance: 1e-3,
    inputWarping: warping,
  };
  const warp = new InputWarp(warping);
  const model = createGp({ X, n, d, Y, Yvar: null, hyperparameters });
  /** The same GP written without warping, on inputs warped by hand. */
  const plain = createGp({
    X: warp.warpRows(X, d),
    n,
    d,
    Y,
    Yvar: null,
    hyperparameters: { ...hyperparameters, inputWarping: null },
  });
  const m = 7;
  const Xstar = uniformPoints(m, d, 9);
  Xstar[0] = 0;
  Xstar[5] = 1;
  const Ustar = warp.warpRows(Xstar, d);

  it("predicts at x what the unwarped GP of the warped inputs predicts at w(x), in every entry point", () => {
    const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
      expect(relativeError(a, b)).toBeLessThan(1e-12);
    expect(model.logMarginalLikelihood()).toBe(plain.logMarginalLikelihood());
    close(model.predict(Xstar, m).mean, plain.predict(Ustar, m).mean);
    close(model.predict(Xstar, m).variance, plain.predict(Ustar, m).variance);
    close(model.predictValues(Xstar, m).variance, plain.predictValues(Ustar, m).variance);
    close(
      model.predictMeansAndVarianceBounds(Xstar, m).varianceBound,
      plain.predictMeansAndVarianceBounds(Ustar, m).varianceBound,
    );
    close(model.jointPosterior(Xstar, m).covariance, plain.jointPosterior(Ustar, m).covariance);
    const x = Xstar.subarray(d, 2 * d);
    const u = Ustar.subarray(d, 2 * d);
    expect(model.predictValue(x).mean).toBeCloseTo(plain.predictValue(u).mean, 13);
    expect(model.predictWithGradient(x).variance).toBeCloseTo(plain.predictWithGradient(u).variance, 13);
    const pending = uniformPoints(2, d, 10);
    const fantasized = model.withFantasies(pending, 2).predict(Xstar, m).variance;
    close(fantasized, plain.withFantasies(warp.warpRows(pending, d), 2).predict(Ustar, m).variance);
    expect(model.withFantasies(pending, 2).predictValue(pending.subarray(0, d)).variance).toBeLessThan(
      0.01 * model.predictValue(pending.subarray(0, d)).variance,
    );
    const looWarped = leaveOneOut({ X, n, d, Y, Yvar: null, hyperparameters });
    const looPlain = leaveOneOut({
      X: warp.warpRows(X, d),
      n,
      d,
      Y,
      Yvar: null,
      hyperparameters: { ...hyperparameters, inputWarping: null },
    });
    close(looWarped.mean, looPlain.mean);
    close(looWarped.variance, looPlain.variance);
    expect(model.hyperparameters.inputWarping).toEqual(warping);
  });

  it("has dMean and dVariance equal to central differences in x (the chain rule through w′)", () => {
    for (let r = 1; r < m; r++) {
      const x = Float64Array.from(Xstar.subarray(r * d, (r + 1) * d));
      if (x.some((v) => v < 1e-3 || v > 1 - 1e-3)) continue;
      const g = model.predictWithGradient(x);
      const dMean = Float64Array.from(g.dMean);
      const dVariance = Float64Array.from(g.dVariance);
      const fdMean = finiteDifference((p) => model.predictValue(p).mean, x, 1e-6);
      const fdVariance = finiteDifference((p) => model.predictValue(p).variance, x, 1e-6);
      expect(relativeError(dMean, fdMean)).toBeLessThan(1e-6);
      expect(relativeError(dVariance, fdVariance)).toBeLessThan(1e-6);
    }
  });

  it("has a cross-covariance that is the joint posterior's off-diagonal block, with its x-gradient", () => {
    const nb = 3;
    const B = Xstar.subarray(0, nb * d);
    const cross = model.prepareCrossCovariance(B, nb);
    const x = F([0.21, 0.64, 0.37]);
    const covariance = new Float64Array(nb);
    const dCovariance = new Float64Array(nb * d);
    cross.evaluate(x, covariance, dCovariance);
    const joint = model.jointPosterior(F([...B, ...x]), nb + 1).covariance;
    for (let i = 0; i < nb; i++) expect(covariance[i]).toBeCloseTo(joint[i * (nb + 1) + nb]!, 12);
    const valueOnly = new Float64Array(nb);
    cross.evaluateCovariance?.(x, valueOnly);
    expect([...valueOnly]).toEqual([...covariance]);
    for (let i = 0; i < nb; i++) {
      const fd = finiteDifference(
        (p) => {
          const c = new Float64Array(nb);
          cross.evaluateCovariance?.(p, c);
          return c[i]!;
        },
        x,
        1e-6,
      );
      expect(relativeError(dCovariance.subarray(i * d, (i + 1) * d), fd)).toBeLessThan(1e-6);
    }
  });

  it("rejects an input warping that does not match the inputs (named error)", () => {
    const bad = (inputWarping: InputWarping) =>
      createGp({ X, n, d, Y, Yvar: null, hyperparameters: { ...hyperparameters, inputWarping } });
    expect(() => bad({ dimensions: [3], a: [1], b: [1] })).toThrow(/inputWarping must list/);
    expect(() => bad({ dimensions: [0], a: [-1], b: [1] })).toThrow(/ModelFittingError|inputWarping/);
    expect(() => bad({ dimensions: [1, 0], a: [1, 1], b: [1, 1] })).toThrow(/inputWarping must list/);
    expect(() => fitGp({ X, n, d, Y, Yvar: null, options: { warpedDimensions: [4] } })).toThrow(
      /warped input dimensions/,
    );
  });
});

describe("fitGp with warped inputs", () => {
  it("changes nothing without warped dimensions (bit for bit)", () => {
    const { X, Y } = detailNearZero(20, 2, 12);
    const a = fitGp({ X, n: 20, d: 2, Y, Yvar: null });
    const b = fitGp({ X, n: 20, d: 2, Y, Yvar: null, options: { warpedDimensions: [] } });
    expect(b.hyperparameters).toEqual(a.hyperparameters);
    expect("inputWarping" in a.hyperparameters).toBe(false);
    expect(b.logMarginalLikelihood()).toBe(a.logMarginalLikelihood());
  });

  it("learns a warp that stretches the low end of data whose detail sits near 0, with a far better likelihood", () => {
    const n = 30;
    const X = Float64Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const Y = X.map((x) => Math.sin(12 * x ** 0.3));
    const plain = fitGp({ X, n, d: 1, Y, Yvar: null });
    const warped = fitGp({ X, n, d: 1, Y, Yvar: null, options: { warpedDimensions: [0] } });
    const w = warped.hyperparameters.inputWarping!;
    expect(w.dimensions).toEqual([0]);
    // w(0.1) well above 0.1: the low tenth of the range gets a much larger share of the warped axis.
    expect(kumaraswamyWarp(0.1, w.a[0]!, w.b[0]!)).toBeGreaterThan(0.25);
    expect(w.a[0]!).toBeLessThan(1);
    expect(warped.logMarginalLikelihood()).toBeGreaterThan(plain.logMarginalLikelihood() + 10);
    // And it predicts held-out points near 0 better.
    const Xtest = Float64Array.from({ length: 20 }, (_, i) => 0.002 + 0.005 * i);
    const truth = Xtest.map((x) => Math.sin(12 * x ** 0.3));
    const error = (model: typeof plain) => {
      const mean = model.predict(Xtest, 20).mean;
      return Math.sqrt(mean.reduce((s, v, i) => s + (v - truth[i]!) ** 2, 0) / 20);
    };
    expect(error(warped)).toBeLessThan(0.5 * error(plain));
  });

  it("warm-starts from the concentrations of a previous fit of the same dimensions", () => {
    const { X, Y } = detailNearZero(24, 2, 13);
    const first = fitGp({ X, n: 24, d: 2, Y, Yvar: null, options: { warpedDimensions: [0] } });
    const again = fitGp({
      X,
      n: 24,
      d: 2,
      Y,
      Yvar: null,
      options: { warpedDimensions: [0], warmStart: first.hyperparameters, restarts: 0 },
    });
    expect(again.fitDiagnostics!.objective).toBeLessThanOrEqual(first.fitDiagnostics!.objective + 1e-9);
    expect(again.fitDiagnostics!.iterations[0]).toBeLessThanOrEqual(3);
    // A warm start without warping (an older state) still fits, from the identity warp.
    const { inputWarping: _, ...unwarped } = first.hyperparameters;
    const fromOld = fitGp({
      X,
      n: 24,
      d: 2,
      Y,
      Yvar: null,
      options: { warpedDimensions: [0], warmStart: unwarped, restarts: 0 },
    });
    expect(fromOld.hyperparameters.inputWarping?.dimensions).toEqual([0]);
  });
});
