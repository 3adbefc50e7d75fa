import { describe, expect, it } from "vitest";
import { Arm, Data, type DataRow, GeneratorRun } from "../../src/core/index.js";
import { DataError } from "../../src/errors.js";
import { catchError, makeExperiment, point, run } from "./helpers.js";

const progress = (trialIndex: number, step: number, mean: number, over: Partial<DataRow> = {}): DataRow => ({
  trialIndex,
  armName: `${trialIndex}_0`,
  metricName: "loss",
  mean,
  sem: null,
  progression: { step },
  ...over,
});
const final = (trialIndex: number, mean: number, over: Partial<DataRow> = {}): DataRow => ({
  trialIndex,
  armName: `${trialIndex}_0`,
  metricName: "loss",
  mean,
  sem: null,
  ...over,
});

/** An experiment with `n` running one-arm trials. */
function withTrials(n: number) {
  const { experiment } = makeExperiment();
  for (let i = 0; i < n; i++) experiment.newTrial({ generatorRun: run(point(i)) }).markRunning();
  return experiment;
}

const attach = (experiment: ReturnType<typeof withTrials>, ...rows: DataRow[]) =>
  experiment.attachData(Data.fromRows(rows));

describe("Experiment curves", () => {
  it("keeps the latest value per the latest() rule and the whole curve", () => {
    const e = withTrials(2);
    attach(e, progress(0, 10, 0.9), progress(0, 30, 0.4), progress(0, 20, 0.6));
    attach(e, progress(1, 5, 2), progress(1, 5, 1.5));
    expect(e.lookupData().rows).toEqual([progress(0, 30, 0.4), progress(1, 5, 1.5)]);
    expect(e.numObservations).toBe(2);
    expect(e.curve(0, "loss").map((p) => [p.progression, p.mean])).toEqual([
      [10, 0.9],
      [20, 0.6],
      [30, 0.4],
    ]);
    expect(e.curve(1, "loss")).toEqual([{ progression: 5, mean: 1.5, sem: null }]);

    attach(e, final(0, 0.35));
    attach(e, progress(0, 40, 0.3)); // a late progression row never replaces the final value
    expect(e.lookupTrialData(0).rows).toEqual([final(0, 0.35)]);
    expect(e.curve(0, "loss").map((p) => p.progression)).toEqual([10, 20, 30, 40]);
    expect(e.hasDataFor(0, "loss")).toBe(true);
  });

  it("gives the same latest rows and curves as Data.latest and Data.curve on the same rows", () => {
    const e = withTrials(3);
    const rows = [
      progress(0, 3, 1),
      progress(1, 1, 5, { progression: { epoch: 1 } }),
      progress(0, 1, 2),
      final(2, 7),
      progress(1, 2, 4, { progression: { epoch: 2 } }),
      progress(0, 3, 0.5),
      progress(2, 9, 1),
    ];
    for (const r of rows) attach(e, r);
    const data = Data.fromRows(rows);
    expect(e.lookupData().rows).toEqual(data.latest().rows);
    for (const i of [0, 1, 2]) expect(e.curve(i, "loss")).toEqual(data.curve(i, "loss"));
  });

  it("reads curves of a metric by trial, only trials with points, with options", () => {
    const e = withTrials(4);
    attach(e, progress(2, 1, 3), progress(0, 2, 1), progress(0, 1, 2), final(1, 9));
    attach(e, progress(3, 1, 8, { metricName: "acc", progression: { epoch: 1 } }));
    const curves = e.curves("loss");
    expect([...curves.keys()]).toEqual([0, 2]);
    expect(curves.get(0)!.map((p) => p.progression)).toEqual([1, 2]);
    expect([...e.curves("loss", { trialIndices: [2, 1, 9] }).keys()]).toEqual([2]);
    expect([...e.curves("acc").keys()]).toEqual([3]);
    expect(e.curves("acc", { progressionKey: "step" }).size).toBe(0);
    expect(e.progressionKeys()).toEqual(["step", "epoch"]);
    expect(e.progressionKeys("acc")).toEqual(["epoch"]);
    expect(e.progressionKeys("nothing")).toEqual([]);
    expect(e.curve(9, "loss")).toEqual([]);
  });

  it("reads one arm's curve of a batch trial, and asks which arm when there are several", () => {
    const { experiment: e } = makeExperiment();
    const arms = [new Arm({ parameters: point(1) }), new Arm({ parameters: point(2) })];
    e.newBatchTrial({ generatorRuns: [GeneratorRun.manual(arms)] }).markRunning();
    attach(e, progress(0, 1, 1, { armName: "0_0" }), progress(0, 1, 2, { armName: "0_1" }));
    catchError(() => e.curve(0, "loss"), DataError);
    catchError(() => e.curves("loss"), DataError);
    expect(e.curve(0, "loss", { armName: "0_1" })).toEqual([{ progression: 1, mean: 2, sem: null }]);
    expect(e.curves("loss", { armName: "0_0" }).get(0)).toEqual([{ progression: 1, mean: 1, sem: null }]);
  });

  it("exports every progression row and the final row with lookupCurveData", () => {
    const e = withTrials(2);
    attach(e, progress(0, 1, 3), final(0, 5), progress(0, 2, 2), progress(1, 1, 1));
    attach(e, progress(0, 1, 1, { metricName: "acc" }), final(0, 4));
    expect(e.lookupCurveData().rows).toEqual([
      progress(0, 1, 3),
      progress(0, 2, 2),
      final(0, 4),
      progress(0, 1, 1, { metricName: "acc" }),
      progress(1, 1, 1),
    ]);
    expect(e.lookupCurveData({ trialIndices: [1] }).rows).toEqual([progress(1, 1, 1)]);
    expect(e.lookupCurveData({ metricNames: ["acc"] }).rows).toEqual([
      progress(0, 1, 1, { metricName: "acc" }),
    ]);
    // Reloading the exported rows gives the same latest values and curves.
    const copy = withTrials(2);
    copy.attachData(e.lookupCurveData());
    expect(copy.lookupData().rows).toEqual(e.lookupData().rows);
    expect(copy.curves("loss")).toEqual(e.curves("loss"));
  });

  it("appends a trial's 10,001st row to the same curve without losing or reordering rows", () => {
    const e = withTrials(1);
    for (let s = 0; s < 10_000; s++) attach(e, progress(0, s, 10_000 - s));
    const before = e.curve(0, "loss");
    attach(e, progress(0, 10_000, 0));
    const after = e.curve(0, "loss");
    expect(before).toHaveLength(10_000);
    expect(after).toHaveLength(10_001);
    expect(after.slice(0, 10_000)).toEqual(before);
    expect(e.lookupData().rows).toEqual([progress(0, 10_000, 0)]);
    expect(e.numObservations).toBe(1);
  });

  it("rolls back progression rows and latest values at a savepoint", () => {
    const e = withTrials(2);
    attach(e, progress(0, 1, 5), progress(0, 2, 4));
    const latest = e.lookupData().rows;
    const curve = e.curve(0, "loss");
    expect(e.numDataRowsAttached).toBe(2);

    const savepoint = e.savepoint();
    attach(e, progress(0, 3, 3), progress(0, 0, 9), final(0, 2));
    attach(e, progress(1, 1, 1), progress(1, 2, 0.5), progress(0, 4, 1, { metricName: "acc" }));
    expect(e.curve(0, "loss")).toHaveLength(4);
    // Every row counts, though trial 0's loss is still one observation.
    expect(e.numDataRowsAttached).toBe(8);
    savepoint.rollback();
    expect(e.numDataRowsAttached).toBe(2);

    expect(e.lookupData().rows).toEqual(latest);
    expect(e.curve(0, "loss")).toEqual(curve);
    expect(e.curves("loss").size).toBe(1);
    expect(e.curve(0, "acc")).toEqual([]);
    expect(e.lookupCurveData().rows).toEqual([progress(0, 1, 5), progress(0, 2, 4)]);
    expect(e.numObservations).toBe(1);
    expect(e.progressionKeys("acc")).toEqual([]);
    // After the rollback, new rows append where the kept ones end.
    attach(e, progress(0, 3, 3.5));
    expect(e.curve(0, "loss").map((p) => p.mean)).toEqual([5, 4, 3.5]);
  });
});
