import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  GAMMA_PRIORS,
  logPrior,
  NOISE_PRIOR,
  priorModeTheta,
  samplePriorTheta,
} from "../../../src/numerics/gp/hyperparameters.js";
import { fitGp } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { F, uniformPoints } from "./helpers.js";

/** test/fixtures/gamma-prior-reference.json (scripts/fixtures/gamma-prior-reference.py, scipy). */
interface GammaReference {
  lengthscale: { concentration: number; rate: number; cases: [number, number][] };
  outputscale: { concentration: number; rate: number; cases: [number, number][] };
}
const REFERENCE = JSON.parse(
  readFileSync(new URL("../../fixtures/gamma-prior-reference.json", import.meta.url), "utf8"),
) as GammaReference;
const LENGTHSCALE_REFERENCE = REFERENCE.lengthscale.cases;
const OUTPUTSCALE_REFERENCE = REFERENCE.outputscale.cases;

const logNormalPdf = (v: number, loc: number, scale: number) =>
  -Math.log(v * scale * Math.sqrt(2 * Math.PI)) - (Math.log(v) - loc) ** 2 / (2 * scale * scale);

describe("the Gamma priors of Ax 0.4.1 (gpPrior: 'gamma')", () => {
  it("sums Gamma(3, 6) lengthscale and Gamma(2, 0.15) outputscale densities with the LogNormal noise", () => {
    expect(REFERENCE.lengthscale).toMatchObject(GAMMA_PRIORS.lengthscale);
    expect(REFERENCE.outputscale).toMatchObject(GAMMA_PRIORS.outputscale);
    for (const [l, lRef] of LENGTHSCALE_REFERENCE) {
      for (const [s2, sRef] of OUTPUTSCALE_REFERENCE) {
        const noise = 0.01;
        const theta = F([Math.log(l), Math.log(s2), 0.2, Math.log(noise)]);
        const grad = new Float64Array(theta.length);
        const expected = lRef + sRef + logNormalPdf(noise, NOISE_PRIOR.loc, NOISE_PRIOR.scale);
        expect(logPrior(theta, 1, true, grad, "gamma")).toBeCloseTo(expected, 10);
      }
    }
  });

  it("has the analytic gradient in θ (central differences)", () => {
    const theta = F([Math.log(0.4), Math.log(2.5), Math.log(4), -0.3]);
    const grad = new Float64Array(theta.length);
    logPrior(theta, 2, false, grad, "gamma");
    for (let j = 0; j < theta.length; j++) {
      const h = 1e-6;
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[j]! += h;
      down[j]! -= h;
      const scratch = new Float64Array(theta.length);
      const numeric =
        (logPrior(up, 2, false, scratch, "gamma") - logPrior(down, 2, false, scratch, "gamma")) / (2 * h);
      expect(grad[j]!).toBeCloseTo(numeric, 5);
    }
  });

  it("starts from the modes and draws starts with the Gamma means", () => {
    const mode = priorModeTheta(3, false, "gamma");
    expect(Math.exp(mode[0]!)).toBeCloseTo(1 / 3, 12);
    expect(Math.exp(mode[3]!)).toBeCloseTo(1 / 0.15, 12);
    const rng = new Rng(4);
    let lengthscales = 0;
    let outputscales = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) {
      const theta = samplePriorTheta(1, false, rng, "gamma");
      lengthscales += Math.exp(theta[0]!);
      outputscales += Math.exp(theta[1]!);
    }
    const { lengthscale: l, outputscale: o } = GAMMA_PRIORS;
    // Means a/b = 0.5 and 13.3, with standard errors about 0.005 and 0.15 over 4,000 draws.
    expect(lengthscales / draws).toBeCloseTo(l.concentration / l.rate, 1);
    expect(Math.abs(outputscales / draws - o.concentration / o.rate)).toBeLessThan(0.6);
  });

  it("changes the fitted hyperparameters of fitGp, which keeps the LogNormal prior by default", () => {
    const n = 12;
    const X = uniformPoints(n, 2, 2);
    const Y = Float64Array.from({ length: n }, (_, i) => Math.sin(6 * X[2 * i]!) + X[2 * i + 1]!);
    const plain = fitGp({ X, n, d: 2, Y, Yvar: new Float64Array(n) });
    const explicit = fitGp({ X, n, d: 2, Y, Yvar: new Float64Array(n), options: { prior: "lognormal" } });
    const gamma = fitGp({ X, n, d: 2, Y, Yvar: new Float64Array(n), options: { prior: "gamma" } });
    expect(explicit.hyperparameters).toEqual(plain.hyperparameters);
    expect(gamma.hyperparameters.lengthscales).not.toEqual(plain.hyperparameters.lengthscales);
  });
});
