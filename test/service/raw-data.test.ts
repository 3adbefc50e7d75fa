import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors.js";
import { normalizeRawData, type RawData, type RawDataContext } from "../../src/service/raw-data.js";

const single: RawDataContext = {
  trialIndex: 4,
  armName: "4_0",
  objectiveNames: ["branin"],
  metricNames: new Set(["branin", "cost", "memory"]),
};
const multi: RawDataContext = { ...single, objectiveNames: ["a", "b"], metricNames: new Set(["a", "b"]) };
const row = (metricName: string, mean: number, sem: number | null) => ({
  trialIndex: 4,
  armName: "4_0",
  metricName,
  mean,
  sem,
});

function dataErrorOf(raw: unknown, context = single): DataError {
  try {
    normalizeRawData(raw as RawData, context);
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error("expected a DataError");
}

describe("normalizeRawData", () => {
  it("takes a number or [mean, sem] as the single objective", () => {
    expect(normalizeRawData(1.5, single)).toEqual([row("branin", 1.5, null)]);
    expect(normalizeRawData([1.5, 0.2], single)).toEqual([row("branin", 1.5, 0.2)]);
  });

  it("takes values by metric name, with sem, null sem or none", () => {
    expect(normalizeRawData({ branin: 1.5, cost: [3.2, 0.1], memory: [7, null] }, single)).toEqual([
      row("branin", 1.5, null),
      row("cost", 3.2, 0.1),
      row("memory", 7, null),
    ]);
    expect(normalizeRawData({ a: [1, 0], b: 2 }, multi)).toEqual([row("a", 1, 0), row("b", 2, null)]);
  });

  it.each([
    [{ branin: 1, latency: 2 }, /unknown metric "latency"/, "latency"],
    [{ cost: 1 }, /no value for objective "branin"/, "branin"],
    [{}, /no value for objective "branin"/, "branin"],
    [{ branin: Number.NaN }, /mean must be a finite number, got NaN/, "branin"],
    [{ branin: Number.POSITIVE_INFINITY }, /mean must be a finite number/, "branin"],
    [Number.NaN, /mean must be a finite number/, "branin"],
    [{ branin: [1, -1] }, /sem must be a finite number >= 0/, "branin"],
    [{ branin: [1, Number.NaN] }, /sem must be a finite number >= 0/, "branin"],
    [{ branin: [1] }, /write \[mean, sem\]/, "branin"],
    [{ branin: "1.5" }, /write a number or \[mean, sem\]/, "branin"],
    [{ branin: { mean: 1 } }, /write a number or \[mean, sem\]/, "branin"],
    [{ branin: ["1", 0] }, /mean must be a finite number/, "branin"],
    ["1.5", /raw data must be a number/, undefined],
    [null, /raw data must be a number/, undefined],
  ])("refuses %j with a DataError naming trial and metric", (raw, message, metricName) => {
    const error = dataErrorOf(raw);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Trial 4/);
    expect(error.trialIndex).toBe(4);
    expect(error.metricName).toBe(metricName);
  });

  it("refuses a bare number or pair for several objectives", () => {
    expect(dataErrorOf(1, multi).message).toMatch(/only for a single objective.*\{ a: \.\.\., b: \.\.\. \}/);
    expect(dataErrorOf([1, 0], multi).message).toMatch(/only for a single objective/);
  });
});
