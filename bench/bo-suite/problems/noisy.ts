/**
 * Noisy problems. The final regret is the TRUE value of the arm the Client recommends
 * (`getBestParameters()`) − f*, not the best noisy observation.
 */
import type { Parameterization, Rng, TestFunction } from "../../../src/index.js";
import { boxParameters, pointOf } from "../../bo/shared.js";
import type { ReportedValue, SuiteProblem } from "../problem.js";
import { BraninExact, Hartmann6Exact } from "./smooth.js";
import { rosenbrock } from "./valley.js";

interface NoisyOptions {
  key: string;
  label: string;
  budget: number;
  /** The observation told to the Client for a true value. */
  observe(value: number, noise: Rng): ReportedValue;
  noiseNote: string;
  basinRegret?: number;
  basinNote?: string;
}

function noisyProblem(fn: TestFunction, options: NoisyOptions): SuiteProblem {
  const { key, label, budget, observe, noiseNote, basinRegret, basinNote } = options;
  const d = fn.dimension;
  return {
    key,
    label,
    family: "noisy",
    dimension: d,
    budget,
    parameters: boxParameters(fn.bounds),
    optimalValue: fn.optimalValue,
    optimumOnBound: false,
    ...(basinRegret === undefined ? {} : { basinRegret }),
    noisy: true,
    regretDefinition:
      `true value of getBestParameters()'s arm − f* (f* = ${fn.optimalValue}); ${noiseNote}` +
      (basinNote ? `; global basin: final regret < ${basinRegret} (${basinNote})` : ""),
    evaluate(parameters: Parameterization, noise: Rng) {
      const value = fn.evaluate(pointOf(parameters, d));
      return { value, feasible: true, report: { f: observe(value, noise) } };
    },
  };
}

export const hartmann6Noisy: SuiteProblem = noisyProblem(Hartmann6Exact, {
  key: "hartmann6-noisy",
  label: "Hartmann6 +N(0,0.1) sem known 6d (60)",
  budget: 60,
  observe: (value, noise) => [value + 0.1 * noise.normal(), 0.1],
  noiseNote: "observations f + N(0, 0.1²) told as [y, 0.1] (known sem)",
  basinRegret: 0.05,
  basinNote: "the next local minimum's regret is 0.119",
});

export const braninNoisy: SuiteProblem = noisyProblem(BraninExact, {
  key: "branin-noisy",
  label: "Branin +N(0,1) bare 2d (40)",
  budget: 40,
  observe: (value, noise) => value + noise.normal(),
  noiseNote: "observations f + N(0, 1) told as bare numbers (noise unknown, inferred)",
});

export const rosenbrockNoisy: SuiteProblem = noisyProblem(rosenbrock(4), {
  key: "rosenbrock-noisy",
  label: "Rosenbrock ×lognormal(0.1) bare 4d (50)",
  budget: 50,
  observe: (value, noise) => value * Math.exp(0.1 * noise.normal()),
  noiseNote: "observations f·exp(0.1·z), z ~ N(0, 1), told as bare numbers (multiplicative noise, inferred)",
  basinRegret: 1,
  basinNote: "the local minimum near (−0.78, 0.61, 0.38, 0.15) has regret 3.70",
});
