import { describe, expect, it } from "vitest";
import { GenerationStrategyError } from "../../src/errors.js";
import { parseBoTorchOptions } from "../../src/generation/bo/botorch-options.js";
import {
  fitMetricModels,
  GenerationStep,
  GenerationStrategy,
  Generators,
  predictMetric,
} from "../../src/generation/index.js";
import { branin } from "../../src/numerics/test-functions.js";
import { ModelViews, modelBestPoint } from "../../src/reporting/index.js";
import { Client } from "../../src/service/index.js";
import { Logger, LogLevel } from "../../src/util/logger.js";

const BRANIN_MIN = 0.397887357729738;

/**
 * exp(Branin / 20), minimized: values from 1.02 to 5e6, nearly seven decades, with Branin's three
 * minima at the bottom of a very flat valley. Regret is measured against its minimum.
 */
const heavyTailed = (p: Record<string, unknown>) => Math.exp(branin(p.x1 as number, p.x2 as number) / 20);
const regretOf = (best: number) => best - Math.exp(BRANIN_MIN / 20);

/** Sobol trials before BoTorch, and total trials of one run. */
const SOBOL_TRIALS = 5;
const TRIALS = 20;
const SEEDS = [1, 2, 3, 4];

async function client(seed: number, generatorKwargs: Record<string, string | boolean>): Promise<Client> {
  const strategy = new GenerationStrategy({
    seed,
    steps: [
      new GenerationStep({ generator: Generators.SOBOL, numTrials: SOBOL_TRIALS }),
      new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1, generatorKwargs }),
    ],
  });
  const c = new Client({
    logger: new Logger({ name: "test", level: LogLevel.SILENT }),
    generationStrategy: strategy,
  });
  await c.createExperiment({
    name: "heavy-tailed",
    parameters: [
      { name: "x1", type: "range", bounds: [-5, 10] },
      { name: "x2", type: "range", bounds: [0, 15] },
    ],
    objectives: { y: { minimize: true } },
  });
  return c;
}

/** The final regret of one seeded noise-free run, and the client that ran it. */
async function run(seed: number, kwargs: Record<string, string | boolean>) {
  const c = await client(seed, kwargs);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < TRIALS; i++) {
    const { trialIndex, parameters } = await c.getNextTrial();
    const value = heavyTailed(parameters);
    best = Math.min(best, value);
    await c.completeTrial(trialIndex, { y: [value, 0] });
  }
  return { regret: regretOf(best), client: c };
}

/** Mean log10 of the final regrets over the seeds (a geometric mean: regrets span decades). */
async function meanLogRegret(kwargs: Record<string, string | boolean>): Promise<number> {
  let sum = 0;
  for (const seed of SEEDS) sum += Math.log10((await run(seed, kwargs)).regret);
  return sum / SEEDS.length;
}

describe("BoTorch with outcome transforms on an objective spanning seven decades", () => {
  it("finds a far better point with the log of the objective than without it (seeded runs)", async () => {
    const plain = await meanLogRegret({ powerTransform: "none", winsorize: true });
    const logged = await meanLogRegret({ powerTransform: "log" });
    // A geometric mean of the final regrets at least 10 times smaller.
    expect(logged).toBeLessThan(plain - 1);
  }, 120_000);

  it("does so by default: the power transform chosen from the data (seeded runs)", async () => {
    const plain = await meanLogRegret({ powerTransform: "none", winsorize: true });
    const byDefault = await meanLogRegret({});
    expect(byDefault).toBeLessThan(plain - 1);
  }, 120_000);

  it("finds a better point with a fitted Yeo-Johnson transform than without it (seeded runs)", async () => {
    const plain = await meanLogRegret({ powerTransform: "none", winsorize: true });
    const powered = await meanLogRegret({ powerTransform: "yeo-johnson", winsorize: "auto" });
    // A geometric mean of the final regrets at least 10 times smaller.
    expect(powered).toBeLessThan(plain - 1);
  }, 120_000);

  it("records the steps in the run metadata and predicts in the objective's own units", async () => {
    const { client: c } = await run(1, { powerTransform: "log" });
    const trial = c.getTrial(TRIALS - 1);
    const { metadata, candidateMetadata } = trial.generatorRuns[0]!;
    expect(metadata.outcomeTransforms).toEqual({ y: ["winsorize-auto", "log"] });
    // The model sees log(y), about 0.02 to 15.4; predictions come back in y's units (y > 1 everywhere).
    const predicted = candidateMetadata[0]!.predictedMean as number;
    const actual = heavyTailed(trial.arms[0]!.parameters);
    expect(predicted).toBeGreaterThan(1);
    expect(Math.abs(Math.log(predicted) - Math.log(actual))).toBeLessThan(1);
    const plain = await run(1, { powerTransform: "none", winsorize: true });
    expect(plain.client.getTrial(TRIALS - 1).generatorRuns[0]!.metadata.outcomeTransforms).toEqual({
      y: ["winsorize"],
    });
  }, 120_000);
});

describe("predictions in the user's units with outcome transforms", () => {
  it("model views and the model's best point invert the transforms the models were fitted with", async () => {
    const { client: c } = await run(2, { powerTransform: "log", winsorize: true });
    // Without winsorization: the guard moves this run's worst value (2094, beyond 1,000 interquartile
    // ranges), and a clipped value has no inverse.
    const options = [
      { winsorize: false, powerTransform: "log" as const },
      { winsorize: false, powerTransform: "yeo-johnson" as const },
    ];
    for (const outcomeTransforms of options) {
      const views = new ModelViews(c.experiment, { outcomeTransforms });
      const points = views.observations().filter((p) => p.x !== null);
      const X = Float64Array.from(points.flatMap((p) => [...p.x!]));
      const predicted = views.predict("y", X, points.length)!;
      // Noise-free data: the GP interpolates, so predictions at observed arms are the observed values.
      points.forEach((p, i) => {
        // (Yeo-Johnson fits λ ≈ −6 here: the inverse magnifies the GP's small interpolation error.)
        expect(Math.abs(Math.log(predicted.mean[i]! / p.values.y!))).toBeLessThan(0.05);
      });
      expect(views.fitted("y")!.transforms.names).toEqual([outcomeTransforms.powerTransform]);
      const metric = fitMetricModels(c.experiment, { ...outcomeTransforms }).get("y")!;
      const direct = predictMetric(metric, X, points.length);
      points.forEach((p, i) => {
        expect(Math.abs(Math.log(direct.mean[i]! / p.values.y!))).toBeLessThan(0.05);
      });
      const best = modelBestPoint(c.experiment, { outcomeTransforms })!;
      const observed = best.values.y!;
      expect(Math.abs(Math.log(best.predictions.y!.mean / observed))).toBeLessThan(0.01);
    }
  }, 120_000);

  it("keeps a constraint's bound on the model's scale: bilog and Ax's winsorization on a constrained problem", async () => {
    const strategy = new GenerationStrategy({
      seed: 7,
      steps: [
        new GenerationStep({ generator: Generators.SOBOL, numTrials: SOBOL_TRIALS }),
        new GenerationStep({
          generator: Generators.BOTORCH,
          numTrials: -1,
          generatorKwargs: { winsorize: "auto", bilog: true, powerTransform: "yeo-johnson" },
        }),
      ],
    });
    const c = new Client({
      logger: new Logger({ name: "test", level: LogLevel.SILENT }),
      generationStrategy: strategy,
    });
    await c.createExperiment({
      name: "constrained",
      parameters: [
        { name: "x1", type: "range", bounds: [-5, 10] },
        { name: "x2", type: "range", bounds: [0, 15] },
      ],
      objectives: { y: { minimize: true } },
      outcomeConstraints: ["cost <= 100"],
    });
    // cost spans decades: exp(x1 + x2 / 2), feasible where x1 + x2/2 <= log(100) ≈ 4.6.
    const cost = (p: Record<string, unknown>) => Math.exp((p.x1 as number) + (p.x2 as number) / 2);
    for (let i = 0; i < 15; i++) {
      const { trialIndex, parameters } = await c.getNextTrial();
      await c.completeTrial(trialIndex, { y: [heavyTailed(parameters), 0], cost: [cost(parameters), 0] });
    }
    const bo = [...c.experiment.trials.values()].slice(SOBOL_TRIALS);
    for (const trial of bo) {
      expect(trial.generatorName).toBe("BoTorch");
      expect(trial.generatorRuns[0]!.metadata.outcomeTransforms).toEqual({
        y: ["winsorize-auto", "yeo-johnson"],
        // Tukey's rule clips objectives only; a constraint metric keeps the far-tail guard.
        cost: ["winsorize", "bilog"],
      });
    }
    // The model's scale keeps the bound where it is: most model-chosen arms are feasible.
    const feasible = bo.filter((t) => cost(t.arms[0]!.parameters) <= 100).length;
    expect(feasible / bo.length).toBeGreaterThan(0.6);
  }, 120_000);
});

describe("parseBoTorchOptions, outcome transforms", () => {
  it("accepts the documented values", () => {
    expect(parseBoTorchOptions({ winsorize: "auto", bilog: true, powerTransform: "yeo-johnson" })).toEqual({
      winsorize: "auto",
      bilog: true,
      powerTransform: "yeo-johnson",
    });
    expect(parseBoTorchOptions({ winsorize: false, powerTransform: "log" })).toEqual({
      winsorize: false,
      powerTransform: "log",
    });
  });

  it.each([
    [{ winsorize: "tukey" }, /winsorize="tukey".*true, false or "auto"/],
    [{ bilog: 1 }, /bilog=1.*true or false/],
    [{ powerTransform: "box-cox" }, /powerTransform="box-cox".*"none", "yeo-johnson", "log"/],
  ])("rejects %j with a named error saying what is accepted", (kwargs, message) => {
    expect(() => parseBoTorchOptions(kwargs)).toThrow(GenerationStrategyError);
    expect(() => parseBoTorchOptions(kwargs)).toThrow(message);
  });
});
