import { describe, expect, it } from "vitest";
import { Data, type JsonValue, Metric } from "../../src/core/index.js";
import { StorageError } from "../../src/errors.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { catchError, makeExperiment, point, run } from "../core/helpers.js";

const rows = (trialIndex: number, n: number) =>
  Data.fromRows(
    Array.from({ length: n }, (_, k) => ({
      trialIndex,
      armName: `${trialIndex}_0`,
      metricName: `m${k}`,
      mean: k,
      sem: null,
    })),
  );

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the promise to reject");
}

describe("MemoryStore", () => {
  it("saves and loads an experiment by name", async () => {
    const store = new MemoryStore();
    const { experiment } = makeExperiment();
    expect(await store.loadExperiment("exp")).toBeNull();
    await store.saveExperiment(experiment);
    const loaded = await store.loadExperiment("exp");
    expect(loaded).not.toBe(experiment); // rebuilt from what was saved, as a SQL store does
    expect(loaded?.name).toBe("exp");
    expect([...(loaded?.searchSpace.parameters.keys() ?? [])]).toEqual(["x1", "x2", "n", "c"]);
    expect(store.writeCount("exp")).toBe(1);
    await store.saveExperiment(experiment);
    expect(store.writeCount("exp")).toBe(2);
  });

  it("loads what was saved, never a change that was not", async () => {
    const store = new MemoryStore();
    const { experiment } = makeExperiment();
    await store.saveExperiment(experiment);
    const t = experiment.newTrial({ generatorRun: run(point(1)) });
    await store.saveTrials(experiment, [t]);
    t.markRunning(); // never saved
    experiment.newTrial({ generatorRun: run(point(2)) }); // never saved
    const loaded = (await store.loadExperiment("exp"))!;
    expect(loaded.numTrials).toBe(1);
    expect(loaded.getTrial(0).status).toBe("CANDIDATE");
    loaded.getTrial(0).markAbandoned("changed in the copy only");
    expect((await store.loadExperiment("exp"))!.getTrial(0).status).toBe("CANDIDATE");
  });

  it("refuses to save an experiment whose Metric class is not registered, as a SQL store does", async () => {
    class UnregisteredMetric extends Metric {
      async fetchTrialData(): Promise<Data> {
        return Data.empty();
      }
    }
    const store = new MemoryStore();
    const { experiment } = makeExperiment({ trackingMetrics: [new UnregisteredMetric({ name: "m" })] });
    const error = await rejection(store.saveExperiment(experiment));
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain("registerMetric(UnregisteredMetric)");
    expect(await store.listExperiments()).toEqual([]);
  });

  it("keeps a snapshot of each saved trial, unaffected by later changes", async () => {
    const store = new MemoryStore();
    const { experiment, clock } = makeExperiment();
    await store.saveExperiment(experiment);
    const t = experiment.newTrial({ generatorRun: run(point(1)) });
    t.properties.tags = ["a"];
    await store.saveTrials(experiment, [t]);
    clock.advance(1000);
    t.markRunning().updateRunMetadata({ job: 1 });
    (t.properties.tags as JsonValue[]).push("b");
    t.properties.extra = 1;
    const saved = store.savedTrial("exp", 0);
    expect(saved?.status).toBe("CANDIDATE");
    expect(saved?.timeRunStarted).toBeNull();
    expect(saved?.runMetadata).toEqual({});
    expect(saved?.properties).toEqual({ tags: ["a"] });
    expect(saved?.arms).toEqual([{ name: "0_0", parameters: point(1) }]);
    await store.saveTrials(experiment, [t]);
    expect(store.savedTrial("exp", 0)?.status).toBe("RUNNING");
    expect(store.savedTrial("exp", 0)?.runMetadata).toEqual({ job: 1 });
    expect(store.savedTrial("exp", 1)).toBeUndefined();
    expect(store.savedTrial("other", 0)).toBeUndefined();
  });

  it("counts one write per trial saved and per data row saved", async () => {
    const store = new MemoryStore();
    const { experiment } = makeExperiment();
    await store.saveExperiment(experiment);
    const trials = [0, 1, 2].map((i) => experiment.newTrial({ generatorRun: run(point(i)) }));
    await store.saveTrials(experiment, trials);
    expect(store.writeCount("exp")).toBe(4);
    await store.saveTrials(experiment, [trials[1]!]);
    expect(store.writeCount("exp")).toBe(5);
    await store.saveTrials(experiment, []);
    expect(store.writeCount("exp")).toBe(5);
    await store.saveData(experiment, rows(0, 3));
    expect(store.writeCount("exp")).toBe(8);
    expect(store.savedDataRowCount("exp")).toBe(3);
    await store.saveGenerationState("exp", { step: 0 });
    expect(store.writeCount("exp")).toBe(9);
    expect(store.writeCount("never-saved")).toBe(0);
    expect(store.savedDataRowCount("never-saved")).toBe(0);
  });

  it("stores and returns deep copies of the generation state", async () => {
    const store = new MemoryStore();
    const { experiment } = makeExperiment();
    await store.saveExperiment(experiment);
    expect(await store.loadGenerationState("exp")).toBeNull();
    const state = { step: 1, sobol: { skip: 5, seeds: [1, 2] } };
    await store.saveGenerationState("exp", state);
    state.sobol.seeds.push(3);
    state.step = 9;
    const loaded = (await store.loadGenerationState("exp")) as typeof state;
    expect(loaded).toEqual({ step: 1, sobol: { skip: 5, seeds: [1, 2] } });
    loaded.sobol.skip = 100;
    expect(await store.loadGenerationState("exp")).toEqual({ step: 1, sobol: { skip: 5, seeds: [1, 2] } });
    expect(await store.loadGenerationState("other")).toBeNull();
  });

  it("refuses writes for an experiment that was never saved", async () => {
    const store = new MemoryStore();
    const { experiment } = makeExperiment();
    const t = experiment.newTrial();
    for (const p of [
      store.saveTrials(experiment, [t]),
      store.saveData(experiment, rows(0, 1)),
      store.saveGenerationState("exp", {}),
    ]) {
      const e = await rejection(p);
      expect(e).toBeInstanceOf(StorageError);
      expect((e as StorageError).message).toBe(
        'Experiment "exp" was never saved to this MemoryStore; call saveExperiment first.',
      );
    }
    expect(store.writeCount("exp")).toBe(0);
  });

  it("lists and deletes experiments with their trials, data and state", async () => {
    const store = new MemoryStore();
    const a = makeExperiment({ name: "a" }).experiment;
    const b = makeExperiment({ name: "b" }).experiment;
    await store.saveExperiment(a);
    await store.saveExperiment(b);
    const t = a.newTrial({ generatorRun: run(point(1)) });
    await store.saveTrials(a, [t]);
    await store.saveData(a, rows(0, 2));
    await store.saveGenerationState("a", { s: 1 });
    expect((await store.listExperiments()).sort()).toEqual(["a", "b"]);
    await store.deleteExperiment("a");
    expect(await store.listExperiments()).toEqual(["b"]);
    expect(await store.loadExperiment("a")).toBeNull();
    expect(await store.loadGenerationState("a")).toBeNull();
    expect(store.savedTrial("a", 0)).toBeUndefined();
    expect(store.savedDataRowCount("a")).toBe(0);
    expect(store.writeCount("a")).toBe(0);
    await store.deleteExperiment("missing");
    expect(await store.listExperiments()).toEqual(["b"]);
    const e = catchError(() => {
      throw new StorageError("x", { path: "/p" });
    }, StorageError);
    expect(e.path).toBe("/p");
    // Saving again starts afresh.
    await store.saveExperiment(a);
    expect(store.writeCount("a")).toBe(1);
    expect(store.savedTrial("a", 0)).toBeUndefined();
  });

  it("runs a transaction's function and returns its result", async () => {
    const store = new MemoryStore();
    await expect(store.withTransaction(async () => 42)).resolves.toBe(42);
    await expect(
      store.withTransaction(async () => {
        throw new Error("inner");
      }),
    ).rejects.toThrow("inner");
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe("MemoryStore transactions", () => {
  it("undoes the saves of a throwing transaction and keeps those of a concurrent caller", async () => {
    const store = new MemoryStore();
    const { experiment } = makeExperiment();
    await store.saveExperiment(experiment);
    const t0 = experiment.newTrial({ generatorRun: run(point(0.5)) });
    await store.saveTrials(experiment, [t0]);
    const writes = store.writeCount(experiment.name);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const failing = store.withTransaction(async () => {
      await store.saveTrials(experiment, [t0.markRunning()]);
      await store.saveGenerationState(experiment.name, { step: 3 });
      await gate;
      throw new Error("boom");
    });
    // Another caller saves while the transaction is open; its save must survive the rollback.
    await store.saveData(
      experiment,
      Data.fromRows([{ trialIndex: 0, armName: t0.arms[0]!.name, metricName: "m", mean: 1, sem: null }]),
    );
    release();
    await expect(failing).rejects.toThrow("boom");
    expect(store.savedTrial(experiment.name, 0)?.status).toBe("CANDIDATE");
    expect(await store.loadGenerationState(experiment.name)).toBeNull();
    expect(store.savedDataRowCount(experiment.name)).toBe(1);
    expect(store.writeCount(experiment.name)).toBe(writes + 1);
  });
});
