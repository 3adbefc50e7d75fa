import { describe, expect, it } from "vitest";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { Client } from "../../src/service/index.js";
import { Logger, LogLevel } from "../../src/util/logger.js";

/** Initial Sobol trials before the BoTorch step (the default for two parameters). */
const SOBOL_TRIALS = 5;

/** A smooth bowl with its minimum at (0.3, 0.6). */
const bowl = (p: Record<string, unknown>) => ((p.x1 as number) - 0.3) ** 2 + ((p.x2 as number) - 0.6) ** 2;

async function twoParameterClient(options: { minimize: boolean; strategy?: GenerationStrategy }) {
  const client = new Client({
    logger: new Logger({ name: "test", level: LogLevel.SILENT }),
    ...(options.strategy ? { generationStrategy: options.strategy } : { seed: 3 }),
  });
  await client.createExperiment({
    name: "outliers",
    parameters: [
      { name: "x1", type: "range", bounds: [0, 1] },
      { name: "x2", type: "range", bounds: [0, 1] },
    ],
    objectives: { y: { minimize: options.minimize } },
  });
  return client;
}

/**
 * Runs `steps` trials: each reports the bowl (sign-adjusted so that lower is worse when maximizing),
 * except trial `outlierAt`, which reports `outlier`.
 */
async function run(
  client: Client,
  steps: number,
  outlierAt: number,
  outlier: number,
  sem: number | null,
  minimize: boolean,
) {
  for (let i = 0; i < steps; i++) {
    const { trialIndex, parameters } = await client.getNextTrial();
    const value = i === outlierAt ? outlier : (minimize ? 1 : -1) * bowl(parameters);
    await client.completeTrial(trialIndex, { y: [value, sem] });
  }
}

describe("BoTorch with values no model can take", () => {
  it.each([
    { outlier: 1e160, sem: null, minimize: true },
    { outlier: 1e308, sem: null, minimize: true },
    { outlier: 1e160, sem: 0, minimize: true },
    { outlier: 1e308, sem: 0, minimize: true },
    { outlier: -1e308, sem: null, minimize: false },
    { outlier: 1e308, sem: null, minimize: false },
  ])(
    "keeps generating with the model after a result of $outlier (sem $sem, minimize $minimize)",
    async ({ outlier, sem, minimize }) => {
      const client = await twoParameterClient({ minimize });
      // The outlier is the first BoTorch trial's result; then 10 more BoTorch steps follow.
      await run(client, SOBOL_TRIALS + 11, SOBOL_TRIALS, outlier, sem, minimize);
      const experiment = client.experiment;
      for (let i = SOBOL_TRIALS; i < SOBOL_TRIALS + 11; i++) {
        const trial = client.getTrial(i);
        expect(trial.generatorName, `trial ${i}`).toBe("BoTorch");
        expect(trial.generatorRuns[0]!.metadata.fallbackFrom).toBeUndefined();
        expect(experiment.searchSpace.checkMembership(trial.arms[0]!.parameters)).toBe(true);
      }
      // Every model step after the outlier saw it clipped (the guard reports how many rows it changed).
      const clipped = client.getTrial(SOBOL_TRIALS + 1).generatorRuns[0]!.metadata.numWinsorized;
      expect(clipped).toBe(1);

      const best = (await client.getBestParameters())!;
      expect(best).not.toBeNull();
      for (const p of Object.values(best.predictions ?? {})) {
        expect(Number.isFinite(p.mean)).toBe(true);
        expect(Number.isFinite(p.sem)).toBe(true);
      }
      // A minimized objective's outlier is its worst value: it is never the recommendation.
      if (minimize) expect(best.trialIndex).not.toBe(SOBOL_TRIALS);
    },
  );

  it("falls back to Sobol for a step whose model cannot be fitted, and says why", async () => {
    // Without the outlier guard (and no power transform) a result of 1e160 with unknown noise cannot be
    // modeled: the fit fails.
    const strategy = new GenerationStrategy({
      seed: 3,
      steps: [
        new GenerationStep({ generator: Generators.SOBOL, numTrials: SOBOL_TRIALS }),
        new GenerationStep({
          generator: Generators.BOTORCH,
          numTrials: -1,
          generatorKwargs: { winsorize: false, powerTransform: "none" },
        }),
      ],
    });
    const client = await twoParameterClient({ minimize: true, strategy });
    await run(client, SOBOL_TRIALS + 11, SOBOL_TRIALS, 1e160, null, true);
    expect(client.getTrial(SOBOL_TRIALS).generatorName).toBe("BoTorch");
    for (let i = SOBOL_TRIALS + 1; i < SOBOL_TRIALS + 11; i++) {
      const trial = client.getTrial(i);
      const { metadata } = trial.generatorRuns[0]!;
      expect(trial.generatorName, `trial ${i}`).toBe("Sobol");
      expect(metadata.fallbackFrom).toBe("BoTorch");
      expect(metadata.fallbackReason).toMatch(/^(NumericalError|ModelFittingError): /);
      expect(client.experiment.searchSpace.checkMembership(trial.arms[0]!.parameters)).toBe(true);
    }
    // Each fallback step is seeded by its call: no two arms repeat.
    const arms = new Set(
      [...client.experiment.trials.values()].map((t) => JSON.stringify(t.arms[0]!.parameters)),
    );
    expect(arms.size).toBe(SOBOL_TRIALS + 11);
    // The strategy stays on its BoTorch step, which keeps trying the model (and its state keeps counting).
    expect(client.generationStrategy.currentGeneratorName).toBe("BoTorch");
  });

  it("falls back to Sobol with several objectives too, one seeded step at a time", async () => {
    const strategy = new GenerationStrategy({
      seed: 5,
      steps: [
        new GenerationStep({ generator: Generators.SOBOL, numTrials: SOBOL_TRIALS }),
        new GenerationStep({
          generator: Generators.BOTORCH,
          numTrials: -1,
          generatorKwargs: { winsorize: false, powerTransform: "none" },
        }),
      ],
    });
    const client = new Client({
      logger: new Logger({ name: "test", level: LogLevel.SILENT }),
      generationStrategy: strategy,
    });
    await client.createExperiment({
      name: "two-objectives",
      parameters: [
        { name: "x1", type: "range", bounds: [0, 1] },
        { name: "x2", type: "range", bounds: [0, 1] },
      ],
      objectives: { a: { minimize: true }, b: { minimize: true } },
    });
    const values = (p: Record<string, unknown>) => ({ a: bowl(p), b: (p.x1 as number) + (p.x2 as number) });
    for (let i = 0; i < SOBOL_TRIALS + 3; i++) {
      const { trialIndex, parameters } = await client.getNextTrial();
      const { a, b } = values(parameters);
      await client.completeTrial(trialIndex, { a: [i === SOBOL_TRIALS ? 1e160 : a, null], b: [b, null] });
    }
    const fallbacks = [SOBOL_TRIALS + 1, SOBOL_TRIALS + 2].map((i) => client.getTrial(i).generatorRuns[0]!);
    for (const run of fallbacks) {
      expect(run.generatorName).toBe("Sobol");
      expect(run.metadata.fallbackFrom).toBe("BoTorch");
    }
    // Every step tries the model again (it counts as a call of its own, seeding its Sobol points).
    expect(fallbacks.map((run) => run.metadata.call)).toEqual([1, 2]);
    expect(fallbacks[0]!.arms[0]!.signature).not.toBe(fallbacks[1]!.arms[0]!.signature);
    expect(client.generationStrategy.currentGeneratorName).toBe("BoTorch");
  });
});
