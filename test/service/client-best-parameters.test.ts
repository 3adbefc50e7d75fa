import { describe, expect, it } from "vitest";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { Client } from "../../src/service/index.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { Rng } from "../../src/util/rng.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

/**
 * A Client on x ∈ [0, 10] minimizing a bowl with minimum 0 at x = 3, whose 41 attached trials were
 * observed with noise (sd 0.2, sem unknown) except a lucky draw at x = 5 (true 0.44, observed −0.8).
 */
async function noisyClient(generator: "BOTORCH" | "SOBOL"): Promise<Client> {
  const client = new Client({
    logger: quiet(),
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators[generator], numTrials: -1 })],
      seed: 0,
    }),
  });
  await client.createExperiment({
    name: "bowl",
    parameters: [{ name: "x", type: "range", bounds: [0, 10] }],
    objectives: { loss: { minimize: true } },
  });
  const rng = new Rng(11);
  for (let i = 0; i <= 40; i++) {
    const x = i / 4;
    const { trialIndex } = await client.attachTrial({ x });
    const loss = x === 5 ? -0.8 : ((x - 3) / 3) ** 2 + 0.2 * rng.normal();
    await client.completeTrial(trialIndex, { loss: [loss, null] });
  }
  return client;
}

describe("Client.getBestParameters", () => {
  it("chooses by model predictions once the strategy is model-based, as Ax does", async () => {
    const client = await noisyClient("BOTORCH");
    const best = (await client.getBestParameters())!;
    expect(best.parameters.x).toBeGreaterThanOrEqual(2);
    expect(best.parameters.x).toBeLessThanOrEqual(4);
    expect(Math.abs(best.predictions!.loss!.mean)).toBeLessThan(0.15);
    expect(best.predictions!.loss!.sem).toBeGreaterThan(0);

    const raw = (await client.getBestParameters({ useModelPredictions: false }))!;
    expect(raw).toEqual({ trialIndex: 20, parameters: { x: 5 }, values: { loss: -0.8 } });
  });

  it("uses the observations while the strategy samples without a model", async () => {
    const client = await noisyClient("SOBOL");
    expect(await client.getBestParameters()).toEqual({
      trialIndex: 20,
      parameters: { x: 5 },
      values: { loss: -0.8 },
    });
  });
});
