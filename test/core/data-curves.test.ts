import { describe, expect, it } from "vitest";
import { Data, type DataRow, progressionKeyOf } from "../../src/core/index.js";
import { DataError } from "../../src/errors.js";
import { catchError } from "./helpers.js";

const row = (over: Partial<DataRow> = {}): DataRow => ({
  trialIndex: 0,
  armName: "0_0",
  metricName: "loss",
  mean: 1,
  sem: null,
  ...over,
});

/** A progression row of trial 0, arm 0_0, metric "loss". */
const at = (step: number, mean: number, over: Partial<DataRow> = {}): DataRow =>
  row({ progression: { step }, mean, ...over });

describe("DataRow.progression validation", () => {
  it("keeps a frozen copy of a valid progression", () => {
    const progression = { epoch: 3, samples: 96000 };
    const d = Data.fromRows([row({ progression })]);
    progression.epoch = 99;
    expect(d.rows[0]!.progression).toEqual({ epoch: 3, samples: 96000 });
    expect(Object.isFrozen(d.rows[0]!.progression)).toBe(true);
  });

  it("serializes a final row without a progression key, as before", () => {
    const d = Data.fromRows([row(), row({ progression: null }), row({ progression: undefined })]);
    for (const r of d.rows)
      expect(Object.keys(r)).toEqual(["trialIndex", "armName", "metricName", "mean", "sem"]);
    expect(JSON.stringify(d)).not.toContain("progression");
    const withStep = Data.fromRows([at(20, 0.5)]);
    expect(JSON.parse(JSON.stringify(withStep))).toEqual([at(20, 0.5)]);
  });

  it.each([
    ["an array", [1, 2], "expected an object"],
    ["a number", 5, "expected an object, got 5"],
    ["a string", "step", "expected an object"],
    ["a class instance", new Date(0), "expected a plain object"],
    ["an empty object", {}, "it has no keys"],
    ["an empty key", { "": 1 }, "a key is empty"],
    ["a NaN value", { step: Number.NaN }, '"step" is NaN, not a finite number'],
    ["an infinite value", { step: Number.POSITIVE_INFINITY }, '"step" is Infinity'],
    ["a string value", { epoch: "3" }, '"epoch" is 3, not a finite number'],
    ["a null value", { step: null }, '"step" is null'],
  ])("rejects %s, naming the trial and metric", (_what, progression, message) => {
    const e = catchError(
      () =>
        Data.fromRows([
          row(),
          row({
            trialIndex: 4,
            metricName: "acc",
            progression: progression as unknown as DataRow["progression"],
          }),
        ]),
      DataError,
    );
    expect(e.trialIndex).toBe(4);
    expect(e.metricName).toBe("acc");
    expect(e.message).toContain('Invalid progression for trial 4, metric "acc"');
    expect(e.message).toContain(message);
  });

  it("accepts an object without a prototype and negative or zero values", () => {
    const bare = Object.assign(Object.create(null) as Record<string, number>, { step: 0, offset: -2 });
    expect(Data.fromRows([row({ progression: bare })]).rows[0]!.progression).toEqual({ step: 0, offset: -2 });
  });
});

describe("Data.progressionKeys and progressionKeyOf", () => {
  it("lists distinct keys in order of appearance", () => {
    const d = Data.fromRows([
      row(),
      row({ progression: { epoch: 1, samples: 10 } }),
      at(3, 1),
      row({ progression: { samples: 20 } }),
    ]);
    expect(d.progressionKeys).toEqual(["epoch", "samples", "step"]);
    expect(Data.fromRows([row()]).progressionKeys).toEqual([]);
  });

  it('orders a row by "step" when it has it, else by its first key', () => {
    const [final, epoch, both] = Data.fromRows([
      row(),
      row({ progression: { epoch: 2, samples: 5 } }),
      row({ progression: { samples: 5, step: 9 } }),
    ]).rows;
    expect(progressionKeyOf(final!)).toBeNull();
    expect(progressionKeyOf(epoch!)).toBe("epoch");
    expect(progressionKeyOf(both!)).toBe("step");
  });
});

describe("Data.latest", () => {
  it("takes the newest final row over any progression row", () => {
    const d = Data.fromRows([at(1, 5), row({ mean: 7 }), at(50, 1), row({ mean: 8 }), at(60, 0.5)]);
    expect(d.latest().rows).toEqual([row({ mean: 8 })]);
  });

  it("takes the greatest progression when there is no final row, the later row on a tie", () => {
    const d = Data.fromRows([at(10, 3), at(30, 1), at(20, 2), at(30, 1.5), at(5, 9)]);
    expect(d.latest().rows).toEqual([at(30, 1.5)]);
  });

  it("does not depend on the metric's direction: the greatest progression, not the best value", () => {
    const d = Data.fromRows([at(1, -100), at(2, 100)]);
    expect(d.latest().rows[0]!.mean).toBe(100);
  });

  it("keeps one row per trial, arm and metric, in order of first appearance", () => {
    const d = Data.fromRows([
      at(1, 1, { trialIndex: 2, armName: "2_0" }),
      at(1, 10, { metricName: "acc" }),
      at(2, 2, { trialIndex: 2, armName: "2_0" }),
      row({ armName: "0_1", mean: 4 }),
      at(2, 20, { metricName: "acc" }),
    ]);
    expect(d.latest().rows).toEqual([
      at(2, 2, { trialIndex: 2, armName: "2_0" }),
      at(2, 20, { metricName: "acc" }),
      row({ armName: "0_1", mean: 4 }),
    ]);
  });

  it("compares rows of different keys by each row's own progression key", () => {
    const d = Data.fromRows([
      row({ progression: { epoch: 3 }, mean: 1 }),
      row({ progression: { epoch: 2, step: 7 }, mean: 2 }),
    ]);
    expect(d.latest().rows[0]!.mean).toBe(2);
  });
});

describe("Data.curve", () => {
  it("sorts by progression and leaves out final rows and other trials and metrics", () => {
    const d = Data.fromRows([
      at(30, 0.3, { sem: 0.1 }),
      at(10, 0.9),
      row({ mean: 0.05 }),
      at(20, 0.5),
      at(15, 7, { trialIndex: 1, armName: "1_0" }),
      at(15, 7, { metricName: "acc" }),
    ]);
    expect(d.curve(0, "loss")).toEqual([
      { progression: 10, mean: 0.9, sem: null },
      { progression: 20, mean: 0.5, sem: null },
      { progression: 30, mean: 0.3, sem: 0.1 },
    ]);
    expect(d.curve(1, "loss")).toEqual([{ progression: 15, mean: 7, sem: null }]);
    expect(d.curve(2, "loss")).toEqual([]);
    expect(d.curve(0, "nothing")).toEqual([]);
  });

  it("keeps the later row of a repeated progression value", () => {
    const d = Data.fromRows([at(1, 5), at(2, 4), at(1, 6), at(2, 3), at(2, 2)]);
    expect(d.curve(0, "loss").map((p) => [p.progression, p.mean])).toEqual([
      [1, 6],
      [2, 2],
    ]);
  });

  it("needs an arm name when the trial has several arms, and is empty for an unknown one", () => {
    const d = Data.fromRows([at(1, 1), at(1, 2, { armName: "0_1" }), at(2, 3, { armName: "0_1" })]);
    const e = catchError(() => d.curve(0, "loss"), DataError);
    expect(e.message).toContain('Trial 0 has several arms with metric "loss" (0_0, 0_1)');
    expect(e.message).toContain("armName");
    expect(e.trialIndex).toBe(0);
    expect(d.curve(0, "loss", { armName: "0_1" }).map((p) => p.mean)).toEqual([2, 3]);
    expect(d.curve(0, "loss", { armName: "nope" })).toEqual([]);
  });

  it("reads a custom key (epoch) by default when no row has a step", () => {
    const d = Data.fromRows([
      row({ progression: { epoch: 2, samples: 64 }, mean: 0.4 }),
      row({ progression: { epoch: 1, samples: 32 }, mean: 0.8 }),
    ]);
    expect(d.curve(0, "loss")).toEqual([
      { progression: 1, mean: 0.8, sem: null },
      { progression: 2, mean: 0.4, sem: null },
    ]);
    expect(d.curve(0, "loss", { progressionKey: "samples" }).map((p) => p.progression)).toEqual([32, 64]);
  });

  it('with mixed keys reads "step" by default, and only the rows that carry the key asked for', () => {
    const d = Data.fromRows([
      row({ progression: { epoch: 1 }, mean: 1 }),
      row({ progression: { epoch: 2, step: 200 }, mean: 2 }),
      row({ progression: { step: 100 }, mean: 3 }),
    ]);
    expect(d.curve(0, "loss").map((p) => [p.progression, p.mean])).toEqual([
      [100, 3],
      [200, 2],
    ]);
    expect(d.curve(0, "loss", { progressionKey: "epoch" }).map((p) => [p.progression, p.mean])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(d.curve(0, "loss", { progressionKey: "samples" })).toEqual([]);
  });
});
