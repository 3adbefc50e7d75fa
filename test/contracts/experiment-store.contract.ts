import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { Data, type Experiment, TrialStatus } from "../../src/core/index.js";
import { ExperimentExistsError, ExperimentLockedError, StorageError } from "../../src/errors.js";
import { point, run } from "../core/helpers.js";
import { describeCurveStorageContract } from "./curve-storage.contract.js";
import {
  addTrialsOfEachStatus,
  contractExperiment,
  pause,
  registerContractMetric,
  rejection,
  row,
  stateOf,
  statuses,
} from "./store-contract-fixtures.js";

/** A store under test, with a way to open it again (another connection to the same database). */
export interface StoreFixture {
  store: ExperimentStore;
  /**
   * Another instance on the same database, as a second process would open it; a process-local store
   * (MemoryStore) returns itself, which rebuilds what it loads from what was saved all the same. The
   * fixture closes what it opened in `cleanup`.
   */
  reopen(): Promise<ExperimentStore>;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every {@link ExperimentStore} must have. Persistent stores are checked through a second
 * instance (`reopen`), so what is asserted is what was stored, not what is in memory.
 */
export function describeExperimentStoreContract(label: string, factory: () => Promise<StoreFixture>): void {
  describe(`ExperimentStore contract: ${label}`, () => {
    let fx: StoreFixture;
    let store: ExperimentStore;
    beforeAll(() => registerContractMetric());
    beforeEach(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterEach(async () => {
      await fx.cleanup();
    });

    /** Saves an experiment with one trial of each status and some data. */
    async function savedExperiment(name = "exp"): Promise<Experiment> {
      const { experiment, clock } = contractExperiment(name);
      addTrialsOfEachStatus(experiment, clock);
      const data = Data.fromRows([row(3, "3_0", "latency", 12.5), row(3, "3_0", "cost", 3, null)]);
      experiment.attachData(data);
      await store.saveExperiment(experiment);
      await store.saveTrials(experiment, [...experiment.trials.values()]);
      await store.saveData(experiment, data);
      return experiment;
    }

    async function loadElsewhere(name = "exp"): Promise<Experiment> {
      const loaded = await (await fx.reopen()).loadExperiment(name);
      expect(loaded).not.toBeNull();
      return loaded!;
    }

    it("has nothing for an unknown name", async () => {
      expect(await store.loadExperiment("nope")).toBeNull();
      expect(await store.loadGenerationState("nope")).toBeNull();
      expect(await store.listExperiments()).toEqual([]);
      await store.deleteExperiment("nope");
    });

    it("round-trips an experiment with trials of every status, batch trials, custom metrics and data", async () => {
      const experiment = await savedExperiment();
      const loaded = await loadElsewhere();
      expect(stateOf(loaded)).toEqual(stateOf(experiment));
      expect(statuses(loaded)).toEqual([
        "CANDIDATE",
        "STAGED",
        "RUNNING",
        "COMPLETED",
        "FAILED",
        "ABANDONED",
        "EARLY_STOPPED",
        "RUNNING",
      ]);
      expect(loaded.getTrial(4).failureReason).toBe("runner crashed");
      expect(loaded.getTrial(2).runMetadata).toEqual({ jobId: "job-2", attempt: 1 });
      expect(loaded.metrics.map((m) => m.constructor.name)).toEqual([
        "ContractLatencyMetric",
        "ReportedMetric",
      ]);
      expect(loaded.countTrialsWithStatus(TrialStatus.RUNNING)).toBe(2);
      expect(loaded.lookupTrialData(3).rows).toHaveLength(2);
    });

    it("createExperiment stores the experiment, its trials, data and generation state together", async () => {
      const { experiment, clock } = contractExperiment("created");
      addTrialsOfEachStatus(experiment, clock);
      experiment.attachData(Data.fromRows([row(3, "3_0", "latency", 12.5)]));
      await store.createExperiment(experiment, { step: 0, seed: 3 });
      const other = await fx.reopen();
      expect(stateOf((await other.loadExperiment("created"))!)).toEqual(stateOf(experiment));
      expect(await other.loadGenerationState("created")).toEqual({ step: 0, seed: 3 });
      // Later saves from the creating object are incremental, as after saveExperiment.
      const t = experiment.newTrial({ generatorRun: run(point(9)) });
      await store.saveTrials(experiment, [t]);
      expect((await (await fx.reopen()).loadExperiment("created"))!.numTrials).toBe(9);
    });

    it("createExperiment refuses a stored name with ExperimentExistsError and changes nothing", async () => {
      const first = await savedExperiment("taken");
      await store.saveGenerationState("taken", { step: 1 });
      const { experiment: second } = contractExperiment("taken");
      second.newTrial({ generatorRun: run(point(7)) });
      const other = await fx.reopen();
      const refused = await rejection(other.createExperiment(second, { step: 9 }), ExperimentExistsError);
      expect(refused.experimentName).toBe("taken");
      expect(refused).toBeInstanceOf(StorageError);
      expect(stateOf((await loadElsewhere("taken"))!)).toEqual(stateOf(first));
      expect(await (await fx.reopen()).loadGenerationState("taken")).toEqual({ step: 1 });
    });

    it("createExperiment inside a transaction that throws stores nothing", async () => {
      const { experiment } = contractExperiment("rolled-back");
      await rejection(
        store.withTransaction(async () => {
          await store.createExperiment(experiment, { step: 0 });
          throw new Error("crash before commit");
        }),
        Error,
      );
      const other = await fx.reopen();
      expect(await other.listExperiments()).toEqual([]);
      expect(await other.loadGenerationState("rolled-back")).toBeNull();
      await other.createExperiment(experiment, { step: 0 }); // and the name is free again
    });

    it("refuses trials, data and generation state of an experiment it never saved", async () => {
      const { experiment } = contractExperiment("unsaved");
      const t = experiment.newTrial({ generatorRun: run(point(1)) });
      await rejection(store.saveTrials(experiment, [t]), StorageError);
      await rejection(store.saveData(experiment, Data.fromRows([row(0, "0_0", "latency", 1)])), StorageError);
      await rejection(store.saveGenerationState("unsaved", { step: 0 }), StorageError);
      expect(await store.listExperiments()).toEqual([]);
    });

    it("saves trial changes and new observations incrementally; the latest observation wins", async () => {
      const experiment = await savedExperiment();
      const t0 = experiment.getTrial(0).markRunning().updateRunMetadata({ jobId: "job-0" });
      experiment.getTrial(1).markRunning(); // changed in memory, never saved
      await store.saveTrials(experiment, [t0]);
      let loaded = await loadElsewhere();
      expect(loaded.getTrial(0).status).toBe("RUNNING");
      expect(loaded.getTrial(0).runMetadata).toEqual({ jobId: "job-0" });
      expect(loaded.getTrial(1).status).toBe("STAGED"); // what was saved, not what is in memory

      const t8 = experiment.newTrial({ generatorRun: run(point(9)) });
      await store.saveTrials(experiment, [t8]);
      for (const rows of [
        [row(0, "0_0", "latency", 5)],
        [row(3, "3_0", "latency", 11), row(0, "0_0", "cost", 1)],
      ]) {
        const data = Data.fromRows(rows);
        experiment.attachData(data); // as the Scheduler and Client do: attach, then save the new rows
        await store.saveData(experiment, data);
      }
      loaded = await loadElsewhere();
      expect(loaded.numTrials).toBe(9);
      expect(loaded.getTrial(8).toJSON()).toEqual(t8.toJSON());
      expect(loaded.lookupTrialData(3).rows.find((r) => r.metricName === "latency")?.mean).toBe(11);
      expect(
        loaded
          .lookupTrialData(0)
          .rows.map((r) => [r.metricName, r.mean])
          .sort(),
      ).toEqual([
        ["cost", 1],
        ["latency", 5],
      ]);
      expect(loaded.numObservations).toBe(4);
    });

    it("saves every row of one saveTrials or saveData call of thousands of rows", async () => {
      const { experiment } = contractExperiment("big");
      await store.saveExperiment(experiment);
      const n = 2345; // more than one SQL statement's worth of rows (1000 a statement)
      const trials = Array.from({ length: n }, (_, i) =>
        experiment.newTrial({ generatorRun: run(point((i % 100) / 10, Math.floor(i / 100) / 10)) }),
      );
      await store.saveTrials(experiment, trials);
      const data = Data.fromRows(trials.map((t) => row(t.index, `${t.index}_0`, "latency", t.index / 2)));
      experiment.attachData(data);
      await store.saveData(experiment, data);
      const loaded = await loadElsewhere("big");
      expect(loaded.numTrials).toBe(n);
      expect([...loaded.trials.keys()]).toEqual(trials.map((t) => t.index));
      expect(loaded.getTrial(n - 1).toJSON()).toEqual(trials[n - 1]!.toJSON());
      const means = loaded.lookupData().rows.map((r) => [r.trialIndex, r.mean]);
      expect(means.sort((a, b) => a[0]! - b[0]!)).toEqual(trials.map((t) => [t.index, t.index / 2]));
    });

    it("round-trips the generation state; the last save wins", async () => {
      await savedExperiment();
      const state = { step: 1, generators: [{ name: "Sobol", seed: 7, skip: 12 }], extra: null, ok: true };
      await store.saveGenerationState("exp", state);
      expect(await (await fx.reopen()).loadGenerationState("exp")).toEqual(state);
      await store.saveGenerationState("exp", { step: 2 });
      expect(await (await fx.reopen()).loadGenerationState("exp")).toEqual({ step: 2 });
    });

    it("lists and deletes experiments with their trials, data, generation state and lease", async () => {
      await savedExperiment("a");
      const b = await savedExperiment("b");
      await store.saveGenerationState("a", { step: 1 });
      await store.acquireLease("a", "scheduler-1", 60_000, 0);
      expect([...(await store.listExperiments())].sort()).toEqual(["a", "b"]);
      await store.deleteExperiment("a");
      const other = await fx.reopen();
      expect(await other.listExperiments()).toEqual(["b"]);
      expect(await other.loadExperiment("a")).toBeNull();
      expect(await other.loadGenerationState("a")).toBeNull();
      await other.acquireLease("a", "scheduler-2", 60_000, 1);
      expect(stateOf(await loadElsewhere("b"))).toEqual(stateOf(b));
      const { experiment: again } = contractExperiment("a");
      await store.saveExperiment(again);
      expect((await loadElsewhere("a")).numTrials).toBe(0);
    });

    it("commits the saves inside withTransaction together and returns fn's value", async () => {
      const { experiment } = contractExperiment("tx");
      const value = await store.withTransaction(async () => {
        await store.saveExperiment(experiment);
        await store.saveTrials(experiment, [experiment.newTrial({ generatorRun: run(point(1)) })]);
        await store.withTransaction(() => store.saveGenerationState("tx", { step: 0 }));
        return 42;
      });
      expect(value).toBe(42);
      expect((await loadElsewhere("tx")).numTrials).toBe(1);
      expect(await (await fx.reopen()).loadGenerationState("tx")).toEqual({ step: 0 });
    });

    it("rolls back every save inside a throwing withTransaction, nested calls included", async () => {
      const experiment = await savedExperiment();
      await store.saveGenerationState("exp", { step: 0 });
      const before = stateOf(await loadElsewhere());
      const boom = new Error("boom");
      const thrown = await rejection(
        store.withTransaction(async () => {
          const t = experiment.newTrial({ generatorRun: run(point(9)) });
          await store.saveTrials(experiment, [t, experiment.getTrial(0).markRunning()]);
          await store.withTransaction(async () => {
            await store.saveData(experiment, Data.fromRows([row(8, "8_0", "latency", 1)]));
            await store.saveGenerationState("exp", { step: 5 });
          });
          await store.saveExperiment(contractExperiment("other").experiment);
          throw boom;
        }),
        Error,
      );
      expect(thrown).toBe(boom);
      const loaded = await loadElsewhere();
      expect(stateOf(loaded)).toEqual(before);
      expect(await (await fx.reopen()).loadGenerationState("exp")).toEqual({ step: 0 });
      expect(await (await fx.reopen()).loadExperiment("other")).toBeNull();
    });

    it("gives the lease to one owner at a time, renews it, takes over a stale one and releases it", async () => {
      await savedExperiment();
      const other = await fx.reopen();
      await store.acquireLease("exp", "A", 1000, 0);
      await store.acquireLease("exp", "A", 1000, 100); // re-acquiring renews
      const refused = await rejection(other.acquireLease("exp", "B", 1000, 500), ExperimentLockedError);
      expect(refused.owner).toBe("A");
      expect(refused.expiresAt).toBe(1100);
      expect(refused.experimentName).toBe("exp");
      expect(refused.message).toContain("A");
      await store.renewLease("exp", "A", 1000, 1000); // now until 2000
      await rejection(other.acquireLease("exp", "B", 1000, 1999), ExperimentLockedError);
      await other.acquireLease("exp", "B", 1000, 2000); // stale: taken over
      const lost = await rejection(store.renewLease("exp", "A", 1000, 2100), ExperimentLockedError);
      expect(lost.owner).toBe("B");
      await store.releaseLease("exp", "A"); // not the holder: no effect
      await rejection(store.acquireLease("exp", "A", 1000, 2200), ExperimentLockedError);
      await other.releaseLease("exp", "B");
      await store.acquireLease("exp", "A", 1000, 2300);
    });

    it("serializes withExperimentLock callers, so refresh-then-add keeps trial indices unique", async () => {
      await savedExperiment();
      const other = await fx.reopen();
      const mine = (await store.loadExperiment("exp"))!;
      const theirs = (await other.loadExperiment("exp"))!;
      const addTrial = (s: ExperimentStore, e: Experiment, x: number) =>
        s.withExperimentLock("exp", async () => {
          await s.refreshExperiment(e);
          await pause(5); // a window in which an unserialized caller would pick the same index
          const t = e.newTrial({ generatorRun: run(point(x)) });
          await s.saveTrials(e, [t]);
          return t.index;
        });
      const indices = await Promise.all([
        addTrial(store, mine, 1.5),
        addTrial(other, theirs, 2.5),
        addTrial(store, mine, 3.5),
        addTrial(other, theirs, 4.5),
      ]);
      expect([...indices].sort((a, b) => a - b)).toEqual([8, 9, 10, 11]);
      const loaded = await loadElsewhere();
      expect(loaded.numTrials).toBe(12);
      const added = [8, 9, 10, 11].map((i) => loaded.getTrial(i).arms[0]?.parameters.x1);
      expect([...added].sort((a, b) => Number(a) - Number(b))).toEqual([1.5, 2.5, 3.5, 4.5]);
    });

    it("releases the experiment lock when fn throws, rethrowing its error", async () => {
      await savedExperiment();
      const boom = new Error("inside the lock");
      expect(
        await rejection(
          store.withExperimentLock("exp", () => Promise.reject(boom)),
          Error,
        ),
      ).toBe(boom);
      expect(await (await fx.reopen()).withExperimentLock("exp", async () => "next")).toBe("next");
    });

    it("refreshExperiment brings in trials and data saved through another instance", async () => {
      const original = await savedExperiment();
      const other = await fx.reopen();
      const theirs = (await other.loadExperiment("exp"))!;
      const mine = (await store.loadExperiment("exp"))!;
      await store.refreshExperiment(mine); // nothing new: no change
      expect(stateOf(mine)).toEqual(stateOf(original));

      const t0 = theirs.getTrial(0).markRunning();
      const t8 = theirs.newTrial({ generatorRun: run(point(8.5)) });
      await other.saveTrials(theirs, [t0, t8]);
      const rows = [row(2, "2_0", "latency", 1), row(2, "2_0", "latency", 2), row(8, "8_0", "cost", 4)];
      await other.saveData(theirs, Data.fromRows(rows));
      theirs.attachData(Data.fromRows(rows));

      await store.refreshExperiment(mine);
      expect(mine.numTrials).toBe(9);
      expect(mine.getTrial(0).status).toBe("RUNNING");
      expect(mine.getTrial(8).toJSON()).toEqual(t8.toJSON());
      expect(mine.lookupTrialData(2).rows.map((r) => r.mean)).toEqual([2]);
      expect(stateOf(mine)).toEqual(stateOf(theirs));
      await store.refreshExperiment(mine); // idempotent
      expect(stateOf(mine)).toEqual(stateOf(theirs));

      // And the other way round, with this side's own saves not undone by its refresh.
      mine.getTrial(8).markRunning();
      await store.saveTrials(mine, [mine.getTrial(8)]);
      await other.refreshExperiment(theirs);
      expect(theirs.getTrial(8).status).toBe("RUNNING");
      await store.refreshExperiment(mine);
      expect(mine.getTrial(8).status).toBe("RUNNING");
      expect(stateOf(mine)).toEqual(stateOf(theirs));
    });
  });
  describeCurveStorageContract(label, factory);
}
