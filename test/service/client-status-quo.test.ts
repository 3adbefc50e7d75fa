import { describe, expect, it } from "vitest";
import { ParameterValueError } from "../../src/errors.js";
import { Client, type CreateExperimentOptions } from "../../src/service/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { Logger, LogLevel } from "../../src/util/logger.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

const base: CreateExperimentOptions = {
  name: "tuning",
  parameters: [
    { name: "x", type: "range", bounds: [0, 1] },
    { name: "y", type: "range", bounds: [0, 1] },
  ],
  objectives: { loss: { minimize: true } },
  chooseGenerationStrategyOptions: { numInitializationTrials: 4 },
};
const statusQuo = { x: 0.5, y: 0.5 };
const evaluate = (p: Record<string, unknown>) => {
  const x = Number(p.x);
  const y = Number(p.y);
  return { loss: (x - 0.8) ** 2 + (y - 0.7) ** 2, latency: 10 + 10 * x };
};

/** Attaches and completes the status quo's trial, then asks and tells `n` times; returns the arms. */
async function run(client: Client, n: number) {
  const sq = await client.attachTrial(statusQuo);
  await client.completeTrial(sq.trialIndex, evaluate(sq.parameters));
  const arms: Record<string, unknown>[] = [];
  for (let k = 0; k < n; k++) {
    const { trialIndex, parameters } = await client.getNextTrial();
    await client.completeTrial(trialIndex, evaluate(parameters));
    arms.push(parameters);
  }
  return arms;
}

describe("Client: status quo and relative outcome constraints", () => {
  it("measures a relative constraint against the status quo's observed value, in Bayesian optimization", async () => {
    const relative = new Client({ seed: 3, store: new MemoryStore(), logger: quiet() });
    await relative.createExperiment({ ...base, statusQuo, outcomeConstraints: ["latency <= 10%"] });
    expect(relative.experiment.statusQuo?.parameters).toEqual(statusQuo);
    expect(relative.generationStrategy.name).toBe("Sobol+BoTorch");

    // The same problem with the bound already made absolute by hand: 10% above the status quo's 15.
    const bound = (1 + 10 / 100) * 15;
    const absolute = new Client({ seed: 3, store: new MemoryStore(), logger: quiet() });
    await absolute.createExperiment({ ...base, outcomeConstraints: [`latency <= ${bound}`] });

    const arms = await run(relative, 7);
    expect(await run(absolute, 7)).toEqual(arms);
    expect(relative.getTrialsTable().map((r) => r.generatorModel)).toEqual([
      "Manual",
      ...Array(4).fill("Sobol"),
      ...Array(3).fill("BoTorch"),
    ]);
    expect(relative.getTrialsTable()[0]?.armName).toBe("status_quo");
  });

  it("judges the best observed arm by the relative constraint too", async () => {
    const client = new Client({ seed: 0, logger: quiet() });
    await client.createExperiment({ ...base, statusQuo, outcomeConstraints: ["latency <= 10%"] });
    const tell = async (parameters: Record<string, number>) => {
      const { trialIndex } = await client.attachTrial(parameters);
      await client.completeTrial(trialIndex, evaluate(parameters));
      return trialIndex;
    };
    // Before the status quo is observed, the relative bound cannot be judged and is left out.
    const fast = await tell({ x: 0.9, y: 0.7 }); // lowest loss, latency 19 > 16.5
    expect((await client.getBestParameters({ useModelPredictions: false }))?.trialIndex).toBe(fast);
    await tell(statusQuo); // latency 15: the bound is 16.5
    const feasible = await tell({ x: 0.6, y: 0.7 }); // latency 16
    const best = await client.getBestParameters({ useModelPredictions: false });
    expect(best?.trialIndex).toBe(feasible);
    expect(best?.values.latency).toBe(16);
  });

  it("leaves arms that break a relative constraint off the Pareto frontier", async () => {
    const client = new Client({ seed: 0, logger: quiet() });
    await client.createExperiment({
      ...base,
      objectives: { loss: { minimize: true }, speed: { minimize: false } },
      statusQuo,
      outcomeConstraints: ["latency <= 10%"],
    });
    const tell = async (parameters: Record<string, number>, speed: number) => {
      const { trialIndex } = await client.attachTrial(parameters);
      await client.completeTrial(trialIndex, { ...evaluate(parameters), speed });
      return trialIndex;
    };
    await tell(statusQuo, 1);
    const fast = await tell({ x: 0.9, y: 0.7 }, 9); // dominates, but latency 19 > 16.5
    const feasible = await tell({ x: 0.6, y: 0.7 }, 5); // latency 16
    const front = await client.getParetoOptimalParameters();
    expect(front.has(fast)).toBe(false);
    expect(front.has(feasible)).toBe(true);
  });

  it("keeps the status quo across a reload", async () => {
    const store = new MemoryStore();
    const client = new Client({ seed: 0, store, logger: quiet() });
    await client.createExperiment({ ...base, statusQuo: { x: "0.25", y: 1 } });
    const loaded = await Client.load({ experimentName: "tuning", store, logger: quiet() });
    expect(loaded.experiment.statusQuo?.parameters).toEqual({ x: 0.25, y: 1 });
    expect((await loaded.attachTrial({ x: 0.25, y: 1 })).trialIndex).toBe(0);
    expect(loaded.getTrial(0).arms[0]?.name).toBe("status_quo");
  });

  it("without a status quo, a relative constraint keeps to Sobol as before", async () => {
    const client = new Client({ seed: 0, logger: quiet() });
    await client.createExperiment({ ...base, outcomeConstraints: ["latency <= 10%"] });
    expect(client.generationStrategy.name).toBe("Sobol");
  });
});

describe("Client: the status quo's values", () => {
  it("are cast as attachTrial casts them: an integer parameter's value is never rounded", async () => {
    const client = new Client({ store: new MemoryStore(), logger: quiet() });
    const options: CreateExperimentOptions = {
      ...base,
      parameters: [{ name: "k", type: "range", bounds: [1, 8], valueType: "int" }],
    };
    const error = await client
      .createExperiment({ ...options, statusQuo: { k: 2.5 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterValueError);
    // Outside the searched range is fine for a status quo, and "12" is read as 12.
    await client.createExperiment({ ...options, statusQuo: { k: "12" } });
    expect(client.experiment.statusQuo?.parameters).toEqual({ k: 12 });
  });
});
