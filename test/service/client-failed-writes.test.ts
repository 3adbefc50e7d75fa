import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { Arm, type ExperimentStore, GeneratorRun, TrialStatus } from "../../src/core/index.js";
import { StorageError } from "../../src/errors.js";
import {
  type GenerateArgs,
  GenerationStep,
  GenerationStrategy,
  type Generator,
} from "../../src/generation/index.js";
import { Client, type CreateExperimentOptions } from "../../src/service/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { postgresFixture } from "../integration/postgres-fixture.js";
import { failingStore, type WriteMethod } from "../support/failing-store.js";
import { tempDir } from "../support/temp-dir.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

const spec: CreateExperimentOptions = {
  name: "quadratic",
  parameters: [
    { name: "x", type: "range", bounds: [-1, 1] },
    { name: "k", type: "range", bounds: [1, 9], valueType: "int" },
  ],
  objectives: { y: { minimize: true } },
};

type Backend = "memory" | "SQLite" | "PostgreSQL";

/** Opens stores on one real database: a SQLite file, or a PostgreSQL schema of the test's own. */
async function database(backend: Backend): Promise<() => Promise<ExperimentStore>> {
  if (backend === "memory") {
    // One store, as a process has one: each open is another handle on it, and closing one is a no-op.
    const shared = new MemoryStore();
    return async () => shared;
  }
  if (backend === "SQLite") {
    const path = join(tempDir(), "ascent.db");
    return () => SqlStore.openSqlite({ path });
  }
  const fixture = await postgresFixture();
  onTestFinished(() => fixture.cleanup());
  return fixture.reopen;
}

/** A Client on a real database, behind a store that refuses the writes a test asks it to. */
async function faultyClient(backend: Backend) {
  const open = await database(backend);
  const store = await open();
  onTestFinished(() => store.close());
  const faults = failingStore(store);
  const client = new Client({ seed: 0, store: faults.store, logger: quiet() });
  await client.createExperiment(spec);
  const reload = async () => {
    const other = await open();
    try {
      return await Client.load({ experimentName: spec.name, store: other, logger: quiet() });
    } finally {
      await other.close();
    }
  };
  return { client, faults, reload };
}

/** The parameters a Client that never met a fault generates, in order. */
async function referenceParameters(n: number) {
  const client = new Client({ seed: 0, store: new MemoryStore(), logger: quiet() });
  await client.createExperiment(spec);
  return (await client.getNextTrials(n)).map((t) => t.parameters);
}

/** Everything a refused call must leave as it was: trials, data, arm names and the strategy's state. */
function memoryOf(client: Client) {
  const e = client.experiment;
  return {
    trials: [...e.trials.values()].map((t) => JSON.stringify(t.toJSON())),
    data: e.lookupData().rows,
    observations: e.numObservations,
    running: [...e.trialIndicesWithStatus(TrialStatus.RUNNING)],
    strategy: JSON.stringify(client.generationStrategy.toState()),
  };
}

describe.each<Backend>(["memory", "SQLite", "PostgreSQL"])(
  "Client writes are all-or-nothing (%s)",
  (backend) => {
    it.each<WriteMethod>(["saveTrials", "saveGenerationState"])(
      "getNextTrial: a refused %s leaves memory as before, and the retry proposes what a fault-free Client does",
      async (method) => {
        const expected = await referenceParameters(2);
        const { client, faults, reload } = await faultyClient(backend);
        const before = memoryOf(client);
        faults.failOn(method);
        await expect(client.getNextTrial()).rejects.toBeInstanceOf(StorageError);
        expect(faults.refused(method)).toBe(1);
        expect(memoryOf(client)).toEqual(before);
        expect(client.experiment.getArm("0_0")).toBeUndefined();

        expect((await client.getNextTrial()).parameters).toEqual(expected[0]);
        expect((await client.getNextTrial()).parameters).toEqual(expected[1]);
        const loaded = await reload();
        expect([...loaded.experiment.trials.keys()]).toEqual([0, 1]);
        expect(loaded.getTrialsTable().map((r) => r.armName)).toEqual(["0_0", "1_0"]);
      },
    );

    it("getNextTrials: a refusal on the third trial undoes all three; the retry makes the same three", async () => {
      const expected = await referenceParameters(3);
      const { client, faults, reload } = await faultyClient(backend);
      const before = memoryOf(client);
      faults.failOn("saveTrials", 3);
      await expect(client.getNextTrials(3)).rejects.toBeInstanceOf(StorageError);
      expect(memoryOf(client)).toEqual(before);
      expect((await reload()).experiment.numTrials).toBe(0);

      expect((await client.getNextTrials(3)).map((t) => t.parameters)).toEqual(expected);
      expect((await reload()).experiment.numTrials).toBe(3);
    });

    it.each<WriteMethod>(["saveData", "saveTrials"])(
      "completeTrial: a refused %s keeps the trial RUNNING without data, and the same call then succeeds",
      async (method) => {
        const { client, faults, reload } = await faultyClient(backend);
        const { trialIndex } = await client.getNextTrial();
        const before = memoryOf(client);
        faults.failOn(method);
        await expect(client.completeTrial(trialIndex, 1.5)).rejects.toBeInstanceOf(StorageError);
        expect(memoryOf(client)).toEqual(before);
        expect(client.getTrial(trialIndex).status).toBe(TrialStatus.RUNNING);

        await client.completeTrial(trialIndex, 1.5);
        const loaded = await reload();
        expect(loaded.getTrial(trialIndex).status).toBe(TrialStatus.COMPLETED);
        expect(loaded.experiment.lookupTrialData(trialIndex).rows.map((r) => r.mean)).toEqual([1.5]);
      },
    );

    it("attachTrial: a refused save adds no trial and names no arm; the retry gets index 0", async () => {
      const { client, faults, reload } = await faultyClient(backend);
      const before = memoryOf(client);
      faults.failOn("saveTrials");
      await expect(client.attachTrial({ x: 0.25, k: 3 })).rejects.toBeInstanceOf(StorageError);
      expect(memoryOf(client)).toEqual(before);
      expect(client.experiment.findArmBySignature("k=3;x=0.25;")).toBeUndefined();

      expect(await client.attachTrial({ x: 0.25, k: 3 })).toEqual({
        trialIndex: 0,
        parameters: { x: 0.25, k: 3 },
      });
      const loaded = await reload();
      expect(loaded.getTrial(0).arms.map((a) => [a.name, a.parameters])).toEqual([
        ["0_0", { x: 0.25, k: 3 }],
      ]);
    });

    it.each([
      ["logTrialFailure", TrialStatus.FAILED],
      ["abandonTrial", TrialStatus.ABANDONED],
    ] as const)("%s: a refused save keeps the trial RUNNING; the retry ends it", async (method, status) => {
      const { client, faults, reload } = await faultyClient(backend);
      const { trialIndex } = await client.getNextTrial();
      const before = memoryOf(client);
      faults.failOn("saveTrials");
      await expect(client[method](trialIndex, "crashed")).rejects.toBeInstanceOf(StorageError);
      expect(memoryOf(client)).toEqual(before);

      await client[method](trialIndex, "crashed");
      const trial = (await reload()).getTrial(trialIndex);
      expect([trial.status, trial.failureReason]).toEqual([status, "crashed"]);
    });
  },
);

/** A Generator instance (not registered by name) that proposes x = 0.1, 0.2, ... and fails on demand. */
class CountingGenerator implements Generator {
  readonly name = "Counting";
  calls = 0;
  failOnCall: number | null = null;
  async gen({ experiment }: GenerateArgs): Promise<GeneratorRun> {
    this.calls++;
    if (this.calls === this.failOnCall) throw new Error("model fit diverged");
    return new GeneratorRun({
      arms: [new Arm({ parameters: { x: this.calls / 10, k: 1 } })],
      generatorName: this.name,
      timeCreated: experiment.clock.now(),
    });
  }
}

describe("Client: a failed call keeps a user-given generation strategy", () => {
  it("undoes getNextTrials when generation fails midway, and keeps the strategy object", async () => {
    const generator = new CountingGenerator();
    const generationStrategy = new GenerationStrategy({
      steps: [new GenerationStep({ generator, numTrials: -1 })],
    });
    const faults = failingStore(new MemoryStore());
    const client = new Client({ generationStrategy, store: faults.store, logger: quiet() });
    await client.createExperiment(spec);

    generator.failOnCall = 3;
    await expect(client.getNextTrials(3)).rejects.toThrow("model fit diverged");
    expect(client.experiment.numTrials).toBe(0);
    expect(client.generationStrategy).toBe(generationStrategy);

    faults.failOn("saveTrials");
    await expect(client.getNextTrial()).rejects.toBeInstanceOf(StorageError);
    expect(client.experiment.numTrials).toBe(0);
    expect(client.generationStrategy).toBe(generationStrategy);

    const handles = await client.getNextTrials(2);
    expect(handles.map((h) => h.trialIndex)).toEqual([0, 1]);
  });
});
