import { describe, expect, it } from "vitest";
import {
  lengthscalePrior,
  logPrior,
  NOISE_PRIOR,
  OUTPUTSCALE_PRIOR,
} from "../../../src/numerics/gp/hyperparameters.js";
import { F } from "./helpers.js";

/** Natural-scale densities written out independently of the implementation. */
const logNormalPdf = (v: number, loc: number, scale: number) =>
  -Math.log(v * scale * Math.sqrt(2 * Math.PI)) - (Math.log(v) - loc) ** 2 / (2 * scale * scale);
/** Gamma(2, b): b² v e^{−bv} (Γ(2) = 1). */
const gamma2Pdf = (v: number, b: number) => Math.log(b * b * v) - b * v;

describe("logPrior", () => {
  it("is the sum of the LogNormal lengthscale, Gamma outputscale and LogNormal noise densities", () => {
    const d = 3;
    const lengthscales = [0.2, 0.7, 3];
    const outputscale = 1.7;
    const noise = 0.004;
    const theta = F([...lengthscales.map(Math.log), Math.log(outputscale), 0.3, Math.log(noise)]);
    const { loc, scale } = lengthscalePrior(d);
    expect(OUTPUTSCALE_PRIOR.concentration).toBe(2);
    const expected =
      lengthscales.reduce((s, l) => s + logNormalPdf(l, loc, scale), 0) +
      gamma2Pdf(outputscale, OUTPUTSCALE_PRIOR.rate) +
      logNormalPdf(noise, NOISE_PRIOR.loc, NOISE_PRIOR.scale);
    const grad = new Float64Array(theta.length);
    expect(logPrior(theta, d, true, grad)).toBeCloseTo(expected, 12);
    // Without an inferred noise the noise term is absent.
    const fixed = theta.subarray(0, d + 2);
    expect(logPrior(fixed, d, false, new Float64Array(d + 2))).toBeCloseTo(
      expected - logNormalPdf(noise, NOISE_PRIOR.loc, NOISE_PRIOR.scale),
      12,
    );
  });

  it("pulls a small outputscale up: its gradient in log s² is positive below the mode 1/rate", () => {
    const theta = F([0, Math.log(0.3), 0]);
    const grad = new Float64Array(3);
    logPrior(theta, 1, false, grad);
    expect(grad[1]).toBeCloseTo(1 - OUTPUTSCALE_PRIOR.rate * 0.3, 12);
    expect(grad[1]).toBeGreaterThan(0);
    const above = F([0, Math.log(2 / OUTPUTSCALE_PRIOR.rate), 0]);
    const g2 = new Float64Array(3);
    logPrior(above, 1, false, g2);
    expect(g2[1]).toBeLessThan(0);
  });
});
