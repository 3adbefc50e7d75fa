import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import {
  type AcquisitionFunction,
  EnsembleAcquisition,
  LogExpectedImprovement,
  QLogNoisyExpectedImprovement,
} from "../../../src/numerics/acquisition/index.js";
import { createGp, fitGp, type GpHyperparameters } from "../../../src/numerics/gp/index.js";
import { Rng } from "../../../src/util/rng.js";
import { centralGradient, maxRelativeDifference } from "./fakes.js";

const d = 2;
const n = 12;

/** Noisy observations of a smooth function of [0, 1]². */
function data() {
  const rng = new Rng(21);
  const X = Float64Array.from({ length: n * d }, () => rng.next());
  const Y = Float64Array.from({ length: n }, (_, i) => {
    const [a, b] = [X[i * d]!, X[i * d + 1]!];
    return Math.sin(4 * a) - (b - 0.3) ** 2 + 0.02 * rng.normal();
  });
  return { X, n, d, Y, Yvar: null };
}

const dataset = data();
const map = fitGp(dataset).hyperparameters;
/** Three models of the same data that disagree: the MAP and lengthscales 3 times shorter and longer. */
const variants: GpHyperparameters[] = [
  map,
  { ...map, lengthscales: map.lengthscales.map((l) => l / 3) },
  { ...map, lengthscales: map.lengthscales.map((l) => l * 3) },
];
const models = variants.map((hyperparameters) => createGp({ ...dataset, hyperparameters }));
const bestF = Math.max(...dataset.Y);
const logEis = models.map(
  (m) => new LogExpectedImprovement(m, bestF, { outcomeScale: m.outcomeTransform.std }),
);

function points(count: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => Float64Array.of(rng.next(), rng.next()));
}

/** log((1/k) Σ exp(vᵢ)) computed directly, for values small enough not to overflow. */
function directLogMeanExp(values: number[]): number {
  return Math.log(values.reduce((s, v) => s + Math.exp(v), 0) / values.length);
}

/** A member with a fixed value everywhere; its gradient is NaN, which must never be used. */
const constant = (value: number, withRows = true): AcquisitionFunction => ({
  evaluate: (_x, gradient) => {
    gradient?.fill(Number.NaN);
    return value;
  },
  ...(withRows ? { evaluateMany: (_X: Float64Array, m: number) => new Float64Array(m).fill(value) } : {}),
});

describe("EnsembleAcquisition", () => {
  it("equals its member when k = 1 (value, gradient, rows)", () => {
    const single = new EnsembleAcquisition([logEis[0]!]);
    const X = Float64Array.from(points(6, 1).flatMap((x) => Array.from(x)));
    for (const x of points(6, 1)) {
      const g1 = new Float64Array(d);
      const g2 = new Float64Array(d);
      expect(single.evaluate(x, g1)).toBe(logEis[0]!.evaluate(x, g2));
      expect(Array.from(g1)).toEqual(Array.from(g2));
    }
    expect(Array.from(single.evaluateMany!(X, 6))).toEqual(Array.from(logEis[0]!.evaluateMany(X, 6)));
  });

  it("is the log of the mean of exp(member values)", () => {
    const ensemble = new EnsembleAcquisition(logEis);
    for (const x of points(8, 2)) {
      const values = logEis.map((a) => a.evaluate(x));
      expect(ensemble.evaluate(x)).toBeCloseTo(directLogMeanExp(values), 12);
    }
  });

  it("has the gradient of its value (finite differences), LogEI and qLogNEI members", () => {
    const qneis = models.map(
      (m) =>
        new QLogNoisyExpectedImprovement(m, {
          baseline: dataset.X,
          dimension: d,
          seed: 3,
          outcomeScale: m.outcomeTransform.std,
        }),
    );
    for (const members of [logEis, qneis]) {
      const ensemble = new EnsembleAcquisition(members);
      for (const x of [...points(5, 3), Float64Array.of(0.4, 0.3)]) {
        const gradient = new Float64Array(d);
        ensemble.evaluate(x, gradient);
        const fd = centralGradient((z) => ensemble.evaluate(z), x, 1e-6);
        expect(maxRelativeDifference(gradient, fd), `at ${Array.from(x)}`).toBeLessThan(1e-5);
      }
    }
  });

  it("reduces evaluateMany and screenMany row-wise like evaluate", () => {
    const xs = points(7, 4);
    const X = Float64Array.from(xs.flatMap((x) => Array.from(x)));
    const ensemble = new EnsembleAcquisition(logEis);
    const rows = ensemble.evaluateMany!(X, 7);
    xs.forEach((x, i) => {
      const v = ensemble.evaluate(x);
      expect(Math.abs(rows[i]! - v)).toBeLessThan(1e-13 * Math.max(1, Math.abs(v)));
    });
    // qLogNEI screens with fewer samples than it evaluates: the ensemble reduces those screens.
    const qneis = models.map(
      (m) => new QLogNoisyExpectedImprovement(m, { baseline: dataset.X, dimension: d, seed: 5 }),
    );
    const screened = new EnsembleAcquisition(qneis).screenMany!(X, 7);
    const memberRows = qneis.map((a) => a.screenMany(X, 7));
    xs.forEach((_, i) => {
      const direct = directLogMeanExp(memberRows.map((r) => r[i]!));
      expect(Math.abs(screened[i]! - direct)).toBeLessThan(1e-13 * Math.max(1, Math.abs(direct)));
    });
  });

  it("offers evaluateMany only when every member has it", () => {
    expect(new EnsembleAcquisition([logEis[0]!, constant(0, false)]).evaluateMany).toBeUndefined();
    expect(new EnsembleAcquisition([logEis[0]!, constant(0, false)]).screenMany).toBeUndefined();
    expect(new EnsembleAcquisition([constant(0), constant(1)]).evaluateMany).toBeDefined();
  });

  it("gives a member at −Infinity weight 0, and −Infinity when all are", () => {
    const x = Float64Array.of(0.4, 0.3);
    const withDead = new EnsembleAcquisition([logEis[0]!, constant(Number.NEGATIVE_INFINITY)]);
    const gradient = new Float64Array(d);
    const expectedGradient = new Float64Array(d);
    const v = logEis[0]!.evaluate(x, expectedGradient);
    // log((e^v + 0)/2) = v − log 2, gradient unchanged (softmax weight 1, the dead member's NaN unused).
    expect(withDead.evaluate(x, gradient)).toBeCloseTo(v - Math.LN2, 12);
    expect(maxRelativeDifference(gradient, expectedGradient)).toBeLessThan(1e-12);
    const X = Float64Array.from(x);
    expect(withDead.evaluateMany!(X, 1)[0]).toBeCloseTo(v - Math.LN2, 12);

    const dead = new EnsembleAcquisition([
      constant(Number.NEGATIVE_INFINITY),
      constant(Number.NEGATIVE_INFINITY),
    ]);
    gradient.fill(7);
    expect(dead.evaluate(x, gradient)).toBe(Number.NEGATIVE_INFINITY);
    expect(Array.from(gradient)).toEqual([0, 0]);
    expect(dead.evaluateMany!(X, 1)[0]).toBe(Number.NEGATIVE_INFINITY);
  });

  it("stays finite where exp of every member underflows", () => {
    const ensemble = new EnsembleAcquisition([constant(-1000), constant(-1001)]);
    expect(ensemble.evaluate(Float64Array.of(0, 0))).toBeCloseTo(
      -1000 + Math.log((1 + Math.exp(-1)) / 2),
      10,
    );
  });

  it("refuses an empty ensemble", () => {
    expect(() => new EnsembleAcquisition([])).toThrow(NumericalError);
  });
});
