import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { Data, type DataRow, type Experiment } from "../../src/core/index.js";
import { point, run } from "../core/helpers.js";
import type { StoreFixture } from "./experiment-store.contract.js";
import { contractExperiment, registerContractMetric } from "./store-contract-fixtures.js";

/** A progression row of a one-arm trial. */
function progress(
  trialIndex: number,
  progression: Record<string, number>,
  mean: number,
  metricName = "latency",
): DataRow {
  return { trialIndex, armName: `${trialIndex}_0`, metricName, mean, sem: null, progression };
}

/** What the stores must preserve of curves: every row in order, the latest values, the curves, the keys. */
function curvesOf(experiment: Experiment): unknown {
  return {
    rows: experiment.lookupCurveData().rows,
    latest: experiment.lookupData().rows,
    latency: [...experiment.curves("latency")],
    latencyByEpoch: [...experiment.curves("latency", { progressionKey: "epoch" })],
    cost: [...experiment.curves("cost")],
    keys: experiment.progressionKeys(),
  };
}

/**
 * How every store keeps intermediate results: append-only, every progression row in the order it was
 * saved, so that a loaded (or refreshed) experiment has the same curves and latest values as the saver.
 */
export function describeCurveStorageContract(label: string, factory: () => Promise<StoreFixture>): void {
  describe(`ExperimentStore curves: ${label}`, () => {
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

    /** Trials 0 (completed after its curve), 1 (running), 2 (stopped early), 3 (no curve) with one save per row. */
    async function savedWithCurves(): Promise<Experiment> {
      const { experiment } = contractExperiment("curves");
      for (let x = 0; x < 4; x++) experiment.newTrial({ generatorRun: run(point(x)) }).markRunning();
      await store.saveExperiment(experiment);
      await store.saveTrials(experiment, [...experiment.trials.values()]);
      const rows: DataRow[] = [
        progress(0, { step: 10 }, 9),
        progress(1, { epoch: 1, step: 100 }, 8),
        progress(0, { step: 30 }, 6),
        progress(0, { step: 20 }, 7),
        progress(2, { step: 5 }, 5),
        progress(0, { step: 30 }, 5.5), // a repeated step: the later row counts
        progress(1, { epoch: 2, step: 200 }, 4),
        progress(2, { step: 15 }, 3),
        progress(1, { samples: 64 }, 1, "cost"),
        { trialIndex: 0, armName: "0_0", metricName: "latency", mean: 5.2, sem: 0.1 },
        progress(0, { step: 40 }, 5), // after the final row: part of the curve, not the latest value
        { trialIndex: 3, armName: "3_0", metricName: "latency", mean: 2, sem: null },
      ];
      for (const r of rows) {
        const data = Data.fromRows([r]);
        experiment.attachData(data);
        await store.saveData(experiment, data);
      }
      experiment.getTrial(0).markCompleted();
      experiment.getTrial(2).markEarlyStopped("below the median");
      experiment.getTrial(3).markCompleted();
      await store.saveTrials(
        experiment,
        [0, 2, 3].map((i) => experiment.getTrial(i)),
      );
      return experiment;
    }

    async function loadElsewhere(name: string): Promise<Experiment> {
      const loaded = await (await fx.reopen()).loadExperiment(name);
      expect(loaded).not.toBeNull();
      return loaded!;
    }

    it("keeps curves, progression keys and latest values through save and load", async () => {
      const experiment = await savedWithCurves();
      const loaded = await loadElsewhere("curves");
      expect(curvesOf(loaded)).toEqual(curvesOf(experiment));
      expect(loaded.lookupTrialData(0).rows.map((r) => r.mean)).toEqual([5.2]);
      expect(loaded.lookupTrialData(2).rows).toEqual([progress(2, { step: 15 }, 3)]);
      expect(loaded.curve(0, "latency").map((p) => [p.progression, p.mean])).toEqual([
        [10, 9],
        [20, 7],
        [30, 5.5],
        [40, 5],
      ]);
      expect(loaded.curve(1, "latency", { progressionKey: "epoch" }).map((p) => p.mean)).toEqual([8, 4]);
      expect(loaded.lookupCurveData({ trialIndices: [3] }).rows.map((r) => r.progression)).toEqual([
        undefined,
      ]);
      expect(loaded.progressionKeys()).toEqual(["step", "epoch", "samples"]);
    });

    it("loads every row of a trial with thousands of them, in the order they were saved", async () => {
      const { experiment } = contractExperiment("long");
      experiment.newTrial({ generatorRun: run(point(1)) }).markRunning();
      await store.saveExperiment(experiment);
      await store.saveTrials(experiment, [experiment.getTrial(0)]);
      const n = 2500;
      // Steps out of order and some repeated, so that arrival order and step order differ.
      const rows = Array.from({ length: n }, (_, i) => progress(0, { step: (i * 7919) % 2000 }, i / n));
      await store.saveData(experiment, Data.fromRows(rows.slice(0, 2000)));
      for (const r of rows.slice(2000, 2010)) await store.saveData(experiment, Data.fromRows([r]));
      await store.saveData(experiment, Data.fromRows(rows.slice(2010)));
      experiment.attachData(Data.fromRows(rows));
      const loaded = await loadElsewhere("long");
      expect(loaded.lookupCurveData().rows).toEqual(Data.fromRows(rows).rows);
      expect(loaded.curve(0, "latency")).toHaveLength(2000);
      expect(loaded.curve(0, "latency")).toEqual(experiment.curve(0, "latency"));
      expect(loaded.lookupData().rows).toEqual(experiment.lookupData().rows);
      expect(loaded.lookupData().rows).toEqual(Data.fromRows(rows).latest().rows);
    });

    it("createExperiment stores every progression row, not only the latest values", async () => {
      const { experiment } = contractExperiment("created-curves");
      experiment.newTrial({ generatorRun: run(point(1)) }).markRunning();
      experiment.attachData(
        Data.fromRows([
          progress(0, { step: 2 }, 3),
          progress(0, { step: 1 }, 4),
          progress(0, { step: 3 }, 2),
        ]),
      );
      await store.createExperiment(experiment, { step: 0 });
      expect(curvesOf(await loadElsewhere("created-curves"))).toEqual(curvesOf(experiment));
    });

    it("refreshExperiment brings in progression rows saved through another instance", async () => {
      const mine = await savedWithCurves();
      const other = await fx.reopen();
      const theirs = (await other.loadExperiment("curves"))!;
      const added = Data.fromRows([
        progress(1, { epoch: 3, step: 300 }, 3),
        progress(1, { epoch: 2, step: 250 }, 3.5),
        progress(1, { samples: 128 }, 2, "cost"),
      ]);
      await other.saveData(theirs, added);
      theirs.attachData(added);

      await store.refreshExperiment(mine);
      expect(curvesOf(mine)).toEqual(curvesOf(theirs));
      expect(mine.curve(1, "latency").map((p) => p.progression)).toEqual([100, 200, 250, 300]);
      expect(mine.lookupTrialData(1).rows.find((r) => r.metricName === "latency")!.mean).toBe(3);
      await store.refreshExperiment(mine); // idempotent: no row twice
      expect(curvesOf(mine)).toEqual(curvesOf(theirs));

      // Rows saved from this side are not applied again by its own refresh.
      const mineToo = Data.fromRows([progress(1, { epoch: 4, step: 400 }, 2.5)]);
      mine.attachData(mineToo);
      await store.saveData(mine, mineToo);
      await store.refreshExperiment(mine);
      await other.refreshExperiment(theirs);
      expect(mine.lookupCurveData().rows).toHaveLength(theirs.lookupCurveData().rows.length);
      expect(curvesOf(mine)).toEqual(curvesOf(theirs));
    });
  });
}
