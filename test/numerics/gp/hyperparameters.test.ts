import { describe, expect, it } from "vitest";
import { lengthscalePrior, logPrior, NOISE_PRIOR } from "../../../src/numerics/gp/hyperparameters.js";
import { F } from "./helpers.js";

/** Natural-scale LogNormal density, written out independently of the implementation. */
const logNormalPdf = (v: number, loc: number, scale: number) =>
  -Math.log(v * scale * Math.sqrt(2 * Math.PI)) - (Math.log(v) - loc) ** 2 / (2 * scale * scale);

describe("logPrior", () => {
  it("is the sum of the LogNormal lengthscale and noise densities, with none on s² and c", () => {
    const d = 3;
    const lengthscales = [0.2, 0.7, 3];
    const noise = 0.004;
    const theta = F([...lengthscales.map(Math.log), Math.log(1.7), 0.3, Math.log(noise)]);
    const { loc, scale } = lengthscalePrior(d);
    const lengthscaleTerm = lengthscales.reduce((s, l) => s + logNormalPdf(l, loc, scale), 0);
    const noiseTerm = logNormalPdf(noise, NOISE_PRIOR.loc, NOISE_PRIOR.scale);
    const grad = new Float64Array(theta.length);
    expect(logPrior(theta, d, true, grad)).toBeCloseTo(lengthscaleTerm + noiseTerm, 12);
    // No prior on the outputscale nor on the constant mean: their gradient entries stay 0.
    expect(grad[d]).toBe(0);
    expect(grad[d + 1]).toBe(0);
    // Without an inferred noise the noise term is absent.
    expect(logPrior(theta.subarray(0, d + 2), d, false, new Float64Array(d + 2))).toBeCloseTo(
      lengthscaleTerm,
      12,
    );
  });

  it("pulls a lengthscale towards the prior: d/d(log l) = -1 - (log l - loc)/scale²", () => {
    const { loc, scale } = lengthscalePrior(1);
    const theta = F([Math.log(50), 0, 0]);
    const grad = new Float64Array(3);
    logPrior(theta, 1, false, grad);
    expect(grad[0]).toBeCloseTo(-1 - (Math.log(50) - loc) / (scale * scale), 12);
    expect(grad[0]).toBeLessThan(0);
  });
});
