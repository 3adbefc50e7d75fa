import { describe, expect, it } from "vitest";
import { Data, type DataRow } from "../../src/core/index.js";
import { DataError } from "../../src/errors.js";
import { catchError } from "./helpers.js";

const row = (over: Partial<DataRow> = {}): DataRow => ({
  trialIndex: 3,
  armName: "3_0",
  metricName: "loss",
  mean: 1,
  sem: 0.1,
  ...over,
});

describe("Data.fromRows", () => {
  it("keeps valid rows, frozen, with a missing sem as null", () => {
    const d = Data.fromRows([
      row(),
      row({ sem: null, mean: -2 }),
      { ...row({ trialIndex: 4 }), sem: undefined as unknown as null },
    ]);
    expect(d.rows).toHaveLength(3);
    expect(d.rows[1]).toEqual(row({ sem: null, mean: -2 }));
    expect(d.rows[2]!.sem).toBeNull();
    expect(Object.isFrozen(d.rows[0])).toBe(true);
    expect(Data.fromRows([row({ sem: 0 })]).rows[0]!.sem).toBe(0);
  });

  it("copies rows so later changes of the input do not leak in", () => {
    const input = { ...row() };
    const d = Data.fromRows([input]);
    input.mean = 99;
    expect(d.rows[0]!.mean).toBe(1);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "rejects mean %d, naming the trial and metric",
    (mean) => {
      const e = catchError(
        () => Data.fromRows([row(), row({ trialIndex: 7, metricName: "acc", mean })]),
        DataError,
      );
      expect(e.trialIndex).toBe(7);
      expect(e.metricName).toBe("acc");
      expect(e.message).toContain(`Invalid mean ${mean} for trial 7, metric "acc"`);
      expect(e.message).toContain("failed trial");
    },
  );

  it("rejects a mean that is not a number", () => {
    const e = catchError(() => Data.fromRows([row({ mean: "1" as unknown as number })]), DataError);
    expect(e.message).toContain('Invalid mean 1 for trial 3, metric "loss"');
  });

  it.each([-0.1, Number.NaN, Number.POSITIVE_INFINITY])(
    "rejects sem %d, naming the trial and metric",
    (sem) => {
      const e = catchError(() => Data.fromRows([row({ trialIndex: 2, metricName: "lat", sem })]), DataError);
      expect(e.trialIndex).toBe(2);
      expect(e.metricName).toBe("lat");
      expect(e.message).toContain(`Invalid sem ${sem} for trial 2, metric "lat"`);
      expect(e.message).toContain(">= 0, or null");
    },
  );

  it.each([-1, 1.5, Number.NaN])("rejects trialIndex %d", (trialIndex) => {
    const e = catchError(() => Data.fromRows([row({ trialIndex })]), DataError);
    expect(e.metricName).toBe("loss");
    expect(e.message).toContain(`invalid trialIndex ${trialIndex}`);
  });

  it("rejects a row without a metric name or arm name", () => {
    const noMetric = catchError(() => Data.fromRows([row({ metricName: "" })]), DataError);
    expect(noMetric.trialIndex).toBe(3);
    expect(noMetric.message).toContain("has no metricName");
    const noArm = catchError(() => Data.fromRows([row({ armName: "" })]), DataError);
    expect([noArm.trialIndex, noArm.metricName]).toEqual([3, "loss"]);
    expect(noArm.message).toContain("has no armName");
  });

  it("rejects a row that is not an object", () => {
    const e = catchError(() => Data.fromRows([null as unknown as DataRow]), DataError);
    expect(e.message).toContain("must be an object");
  });
});

describe("Data queries", () => {
  const d = Data.fromRows([
    row({ trialIndex: 1, metricName: "a" }),
    row({ trialIndex: 0, metricName: "b" }),
    row({ trialIndex: 1, metricName: "b" }),
  ]);

  it("lists metrics and trials in order of appearance", () => {
    expect(d.metricNames).toEqual(["a", "b"]);
    expect(d.trialIndices).toEqual([1, 0]);
    expect(d.isEmpty).toBe(false);
    expect(Data.empty().isEmpty).toBe(true);
    expect(Data.empty().rows).toEqual([]);
  });

  it("filters by trial and metric", () => {
    expect(d.filter({ trialIndices: [1] }).rows.map((r) => r.metricName)).toEqual(["a", "b"]);
    expect(d.filter({ metricNames: ["b"] }).trialIndices).toEqual([0, 1]);
    expect(d.filter({ trialIndices: [0], metricNames: ["a"] }).isEmpty).toBe(true);
    expect(d.filter({}).rows).toEqual(d.rows);
  });

  it("concatenates and serializes", () => {
    const more = Data.fromRows([row({ trialIndex: 9 })]);
    const both = d.concat(more, Data.empty());
    expect(both.rows).toHaveLength(4);
    expect(both.trialIndices).toEqual([1, 0, 9]);
    expect(d.rows).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(both))).toEqual(both.rows);
  });
});
