import { describe, expect, it } from "vitest";
import { ClientError } from "../../src/errors.js";
import { ImprovementGlobalStoppingStrategy } from "../../src/scheduler/index.js";
import { Client } from "../../src/service/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { Logger, LogLevel } from "../../src/util/logger.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

async function clientWith(options: ConstructorParameters<typeof Client>[0] = {}): Promise<Client> {
  const client = new Client({ seed: 0, store: new MemoryStore(), logger: quiet(), ...options });
  await client.createExperiment({
    name: "quadratic",
    parameters: [{ name: "x", type: "range", bounds: [-1, 1] }],
    objectives: { loss: { minimize: true } },
  });
  return client;
}

/** Asks for a trial and reports `loss` for it. */
async function tell(client: Client, loss: number): Promise<void> {
  const { trialIndex } = await client.getNextTrial();
  await client.completeTrial(trialIndex, { loss });
}

describe("Client.shouldStopOptimization", () => {
  it("judges the current experiment with the Client's strategy, as trials are told", async () => {
    const client = await clientWith({
      globalStoppingStrategy: new ImprovementGlobalStoppingStrategy({ minTrials: 5, windowSize: 3 }),
    });
    for (const loss of [9, 4, 1, 6]) await tell(client, loss);
    const early = await client.shouldStopOptimization();
    expect(early.stop).toBe(false);
    expect(early.reason).toContain("Only 4 trials are completed");
    // Best stays 1 over the last 3 trials: stop.
    await tell(client, 7);
    const flat = await client.shouldStopOptimization();
    expect(flat.stop).toBe(true);
    expect(flat.reason).toContain("The best loss improved by 0 times");
  });

  it("goes on while a trial is running, and when the best value still improves", async () => {
    const client = await clientWith({ globalStoppingStrategy: new ImprovementGlobalStoppingStrategy() });
    for (const loss of [9, 8, 7, 6, 5, 4]) await tell(client, loss);
    const improving = await client.shouldStopOptimization();
    expect(improving.stop).toBe(false);
    expect(improving.reason).toContain("at least improvementBar 0.1");
    await client.getNextTrial();
    expect((await client.shouldStopOptimization()).reason).toBe(
      "1 trial is still running (inactiveWhenPendingTrials).",
    );
  });

  it("needs a strategy and an experiment, and refuses an object that is not one", async () => {
    await expect((await clientWith()).shouldStopOptimization()).rejects.toThrow(
      /needs a global stopping strategy/,
    );
    const noExperiment = new Client({ globalStoppingStrategy: new ImprovementGlobalStoppingStrategy() });
    await expect(noExperiment.shouldStopOptimization()).rejects.toThrow(ClientError);
    expect(() => new Client({ globalStoppingStrategy: { minTrials: 5 } as never })).toThrow(
      /globalStoppingStrategy must have a shouldStopOptimization/,
    );
  });

  it("is given again to a loaded Client (strategies are not stored)", async () => {
    const store = new MemoryStore();
    const first = await clientWith({ store });
    for (const loss of [3, 5, 6, 7, 8]) await tell(first, loss);
    const loaded = await Client.load({
      experimentName: "quadratic",
      store,
      logger: quiet(),
      globalStoppingStrategy: new ImprovementGlobalStoppingStrategy(),
    });
    expect((await loaded.shouldStopOptimization()).stop).toBe(true);
  });
});
