import { describe, expect, it } from "vitest";
import { ClientError } from "../../src/errors.js";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { Branin } from "../../src/numerics/test-functions.js";
import { Client } from "../../src/service/index.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { Rng } from "../../src/util/rng.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

/**
 * A Client whose strategy is a single step of `generator`, so its attached trials are judged by it. The
 * BoTorch step models the raw values (no power transform, only the outlier guard), so that the noise and the gaps these tests
 * were built around are the ones the rule sees; `getBestParameters` follows the step's transforms.
 */
function clientWith(generator: "BOTORCH" | "SOBOL"): Client {
  const generatorKwargs: Record<string, string | boolean> =
    generator === "BOTORCH" ? { powerTransform: "none", winsorize: true } : {};
  return new Client({
    logger: quiet(),
    generationStrategy: new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators[generator], numTrials: -1, generatorKwargs })],
      seed: 0,
    }),
  });
}

/**
 * A Client on x ∈ [0, 10] minimizing a bowl with minimum 0 at x = 3, whose 41 attached trials were
 * observed with noise of sd `sd` (sem unknown) except a single draw at x = 5 (true 0.44, observed
 * `lucky`).
 */
async function bowlClient(generator: "BOTORCH" | "SOBOL", lucky: number, sd = 0.2): Promise<Client> {
  const client = clientWith(generator);
  await client.createExperiment({
    name: "bowl",
    parameters: [{ name: "x", type: "range", bounds: [0, 10] }],
    objectives: { loss: { minimize: true } },
  });
  const rng = new Rng(11);
  for (let i = 0; i <= 40; i++) {
    const x = i / 4;
    const { trialIndex } = await client.attachTrial({ x });
    const loss = x === 5 ? lucky : ((x - 3) / 3) ** 2 + sd * rng.normal();
    await client.completeTrial(trialIndex, { loss: [loss, null] });
  }
  return client;
}

/**
 * Branin (deterministic) at 20 random points of its box and 10 around its minimum at (π, 2.275), as a
 * search leaves them, each reported as `report` makes it (a bare number: noise unknown, inferred).
 */
async function braninClient(report: (y: number) => number | [number, number]): Promise<Client> {
  const client = clientWith("BOTORCH");
  await client.createExperiment({
    name: "branin",
    parameters: [
      { name: "x1", type: "range", bounds: [-5, 10] },
      { name: "x2", type: "range", bounds: [0, 15] },
    ],
    objectives: { loss: { minimize: true } },
  });
  const rng = new Rng(2);
  for (let i = 0; i < 30; i++) {
    const near = i >= 20;
    const x1 = near ? Math.PI + 0.6 * (rng.next() - 0.5) : -5 + 15 * rng.next();
    const x2 = near ? 2.275 + 0.6 * (rng.next() - 0.5) : 15 * rng.next();
    const { trialIndex } = await client.attachTrial({ x1, x2 });
    await client.completeTrial(trialIndex, report(Branin.evaluate([x1, x2])));
  }
  return client;
}

/** The trial index of the lowest observed loss. */
function bestObservedTrial(client: Client): number {
  const rows = [...client.experiment.trials.keys()].flatMap(
    (index) => client.experiment.lookupTrialData(index).rows,
  );
  return rows.reduce((best, row) => (row.mean < best.mean ? row : best)).trialIndex;
}

describe("Client.getBestParameters", () => {
  it("takes the model's pick over a lucky draw its neighbours contradict", async () => {
    const client = await bowlClient("BOTORCH", -0.2);
    const best = (await client.getBestParameters())!;
    expect(best.rule).toBe("model");
    expect(best.reason).toBe(
      "gap 0.309 between the model's pick (trial 14) and the best observation (trial 20) is within " +
        "2 × inferred noise sd 0.192: the model's pick (report [value, 0] if the objective is deterministic)",
    );
    expect(best.parameters.x).toBeGreaterThanOrEqual(2);
    expect(best.parameters.x).toBeLessThanOrEqual(4);
    // values are observed; predictions the model's.
    expect(best.values.loss).toBe(client.experiment.lookupTrialData(best.trialIndex).rows[0]!.mean);
    expect(Math.abs(best.predictions!.loss!.mean)).toBeLessThan(0.15);
    expect(best.predictions!.loss!.sem).toBeGreaterThan(0);

    const raw = (await client.getBestParameters({ useModelPredictions: false }))!;
    expect(raw).toEqual({
      trialIndex: 20,
      parameters: { x: 5 },
      values: { loss: -0.2 },
      rule: "observed",
      reason: "useModelPredictions is false: the best observation",
    });
  });

  it("keeps the best observation when the noise cannot explain the gap to the model's pick", async () => {
    // Observed −0.8 where the model expects about 0.3: over 4 noise sds better than the model's pick.
    const client = await bowlClient("BOTORCH", -0.8);
    const best = (await client.getBestParameters())!;
    expect(best).toMatchObject({ trialIndex: 20, parameters: { x: 5 }, values: { loss: -0.8 } });
    expect(best.rule).toBe("observed");
    expect(best.reason).toMatch(/exceeds 2 × inferred noise sd/);
    // The model judged the arm: its (sceptical) prediction is kept beside the observation.
    expect(best.predictions!.loss!.mean).toBeGreaterThan(0);

    const model = (await client.getBestParameters({ useModelPredictions: true }))!;
    expect(model.rule).toBe("model");
    expect(model.parameters.x).not.toBe(5);
  });

  it("keeps an observation of deterministic bare numbers that the model smooths away", async () => {
    // Exact values except the dip at x = 5: the data show little noise, so the dip is believed.
    const client = await bowlClient("BOTORCH", -0.3, 0);
    const best = (await client.getBestParameters())!;
    expect(best).toMatchObject({ trialIndex: 20, parameters: { x: 5 }, values: { loss: -0.3 } });
    expect(best.rule).toBe("observed");
    expect(best.reason).toMatch(
      /^gap [\d.]+ between the model's pick \(trial \d+\) and the best observation \(trial 20\) exceeds 2 × inferred noise sd [\d.e-]+: the best observation$/,
    );
  });

  it("finds no noise in deterministic bare numbers: the best observation, as when reported exact", async () => {
    const bare = await braninClient((y) => y);
    const best = (await bare.getBestParameters())!;
    expect(best.rule).toBe("observed");
    expect(best.reason).toMatch(
      /^no noise detectable in the observations \(a noise-free model fits them within 2 nats of the noisy one's likelihood: gain -?[\d.e-]+\): the best observation$/,
    );
    expect(best.trialIndex).toBe(bestObservedTrial(bare));

    const exact = await braninClient((y) => [y, 0]);
    const observed = (await exact.getBestParameters())!;
    expect(observed.rule).toBe("observed");
    expect(observed.trialIndex).toBe(best.trialIndex);
    expect(observed.values.loss).toBe(best.values.loss);
  });

  it("detects noise of a hundredth of the range in bare numbers, and lets the model judge", async () => {
    // Branin spans about 300 on its box; noise of sd 1 is plain to a GP of 30 points.
    const rng = new Rng(9);
    const noisy = await braninClient((y) => y + rng.normal());
    const best = (await noisy.getBestParameters())!;
    expect(best.reason).toMatch(/inferred noise sd [\d.]+/);
    expect(best.reason).not.toMatch(/no noise detectable/);
  });

  it("returns the best observation of noise-free values (sem 0)", async () => {
    const client = await braninClient((y) => [y, 0]);
    const best = (await client.getBestParameters())!;
    expect(best.rule).toBe("observed");
    expect(best.reason).toBe(
      "noise-free observations (sem 0): the best observation, which the model interpolates",
    );
    expect(best.trialIndex).toBe(bestObservedTrial(client));
    expect(best.predictions?.loss?.mean).toBeCloseTo(best.values.loss!, 2);
  });

  it("refuses another useModelPredictions, saying what it accepts", async () => {
    const client = await bowlClient("BOTORCH", -0.2);
    const wrong = { useModelPredictions: "model" } as unknown as { useModelPredictions: boolean };
    await expect(client.getBestParameters(wrong)).rejects.toThrow(ClientError);
    await expect(client.getBestParameters(wrong)).rejects.toThrow(
      /useModelPredictions must be true, false or "auto", got "model"/,
    );
  });

  it("uses the observations while the strategy samples without a model", async () => {
    const client = await bowlClient("SOBOL", -0.8);
    expect(await client.getBestParameters()).toEqual({
      trialIndex: 20,
      parameters: { x: 5 },
      values: { loss: -0.8 },
      rule: "observed",
      reason: "no model yet (the strategy has not reached Bayesian optimization): the best observation",
    });
  });
});
