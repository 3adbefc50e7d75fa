/** The BoTorch option `hyperparameterSamples` end to end, through the ask/tell Client. */
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../src/core/json.js";
import { GenerationStrategyError } from "../../src/errors.js";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { Branin } from "../../src/numerics/test-functions.js";
import { Client, type ParameterSpec } from "../../src/service/index.js";

const SAMPLES = 4;
const braninParameters: ParameterSpec[] = [
  { name: "x1", type: "range", bounds: [-5, 10] },
  { name: "x2", type: "range", bounds: [0, 15] },
];

/** Sobol for 5 trials, then BoTorch averaging over `SAMPLES` hyperparameter draws. */
function clientWith(
  seed: number,
  kwargs: Record<string, JsonValue> = { hyperparameterSamples: SAMPLES },
): Client {
  return new Client({
    verboseLogging: false,
    generationStrategy: new GenerationStrategy({
      steps: [
        new GenerationStep({ generator: Generators.SOBOL, numTrials: 5 }),
        new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1, generatorKwargs: kwargs }),
      ],
      seed,
    }),
  });
}

const branin = (p: Record<string, unknown>) => Branin.evaluate([Number(p.x1), Number(p.x2)]);

/** Runs `trials` trials of Branin (noiseless, or with an unknown sem); returns every suggestion. */
async function runBranin(
  seed: number,
  trials: number,
  noiseless = true,
  kwargs: Record<string, JsonValue> = { hyperparameterSamples: SAMPLES },
) {
  const client = clientWith(seed, kwargs);
  await client.createExperiment({
    name: "branin",
    parameters: braninParameters,
    objectives: { f: { minimize: true } },
  });
  const suggestions: Record<string, unknown>[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < trials; i++) {
    const { trialIndex, parameters } = await client.getNextTrial();
    suggestions.push(parameters);
    const y = branin(parameters);
    best = Math.min(best, y);
    await client.completeTrial(trialIndex, noiseless ? { f: [y, 0] } : { f: y });
  }
  return { client, suggestions, best };
}

/** The run metadata of the last trial's generator run. */
function lastRunMetadata(client: Client): Record<string, JsonValue> {
  const trials = [...client.experiment.trials.values()];
  return trials[trials.length - 1]!.generatorRuns[0]!.metadata;
}

describe("BoTorch hyperparameterSamples through the Client", () => {
  it("optimizes Branin: regret below 0.05 after 25 trials, LogEI averaged over the draws", async () => {
    const { client, best } = await runBranin(1, 25);
    expect(best - Branin.optimalValue).toBeLessThan(0.05);
    expect(lastRunMetadata(client)).toMatchObject({
      acquisitionFunction: "LogEI",
      hyperparameterSamples: SAMPLES,
    });
  });

  it("is reproducible: the same seed gives the same trials; another seed, or the MAP model, others", async () => {
    const a = await runBranin(7, 9);
    const b = await runBranin(7, 9);
    expect(b.suggestions).toEqual(a.suggestions);
    const c = await runBranin(8, 9);
    expect(c.suggestions.slice(5)).not.toEqual(a.suggestions.slice(5));
    // Same seed without the option: same Sobol trials, other model-based ones.
    const map = await runBranin(7, 9, true, {});
    expect(map.suggestions.slice(0, 5)).toEqual(a.suggestions.slice(0, 5));
    expect(map.suggestions.slice(5)).not.toEqual(a.suggestions.slice(5));
  });

  it("averages qLogNEI over the draws when the noise is unknown", async () => {
    const { client } = await runBranin(3, 8, false);
    expect(lastRunMetadata(client)).toMatchObject({
      acquisitionFunction: "qLogNEI",
      hyperparameterSamples: SAMPLES,
    });
  });

  it("samples warped models with inputWarping", async () => {
    const { client } = await runBranin(4, 8, true, { hyperparameterSamples: SAMPLES, inputWarping: true });
    expect(lastRunMetadata(client)).toMatchObject({
      acquisitionFunction: "LogEI",
      hyperparameterSamples: SAMPLES,
    });
    expect(lastRunMetadata(client).fallbackFrom).toBeUndefined();
  });

  it("respects an outcome constraint: the constrained optimum is approached and most suggestions are feasible", async () => {
    // Branin's minima are at x1 ≈ −π, π and 9.42; the constraint x1 ≥ 5 (as c = 5 − x1 ≤ 0) leaves only
    // the one at (9.42, 2.475).
    const client = clientWith(2);
    await client.createExperiment({
      name: "constrained-branin",
      parameters: braninParameters,
      objectives: { f: { minimize: true } },
      outcomeConstraints: ["c <= 0"],
    });
    let feasibleModelTrials = 0;
    let bestFeasible = Number.POSITIVE_INFINITY;
    const trials = 25;
    for (let i = 0; i < trials; i++) {
      const { trialIndex, parameters } = await client.getNextTrial();
      const c = 5 - Number(parameters.x1);
      const y = branin(parameters);
      if (c <= 0) {
        bestFeasible = Math.min(bestFeasible, y);
        if (i >= 5) feasibleModelTrials++;
      }
      await client.completeTrial(trialIndex, { f: [y, 0], c: [c, 0] });
    }
    expect(lastRunMetadata(client)).toMatchObject({
      acquisitionFunction: "ConstrainedLogEI",
      hyperparameterSamples: SAMPLES,
    });
    expect(bestFeasible - Branin.optimalValue).toBeLessThan(0.1);
    expect(feasibleModelTrials).toBeGreaterThanOrEqual(0.8 * (trials - 5));
  });

  it("refuses several objectives, and invalid counts, with a GenerationStrategyError naming the option", async () => {
    const client = clientWith(0);
    await client.createExperiment({
      name: "two-objectives",
      parameters: braninParameters,
      objectives: { f: { minimize: true }, g: { minimize: true } },
    });
    for (let i = 0; i < 5; i++) {
      const { trialIndex, parameters } = await client.getNextTrial();
      await client.completeTrial(trialIndex, { f: [branin(parameters), 0], g: [Number(parameters.x1), 0] });
    }
    await expect(client.getNextTrial()).rejects.toThrow(GenerationStrategyError);
    await expect(client.getNextTrial()).rejects.toThrow(/hyperparameterSamples/);

    // A bad count is refused when the strategy's step is built, before any trial runs.
    for (const bad of [1, 65, 2.5, -2, "4"]) {
      expect(() => clientWith(0, { hyperparameterSamples: bad }), `hyperparameterSamples=${bad}`).toThrow(
        GenerationStrategyError,
      );
      expect(() => clientWith(0, { hyperparameterSamples: bad })).toThrow(/hyperparameterSamples/);
    }
  });
});
