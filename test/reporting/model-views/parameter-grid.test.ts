import { describe, expect, it } from "vitest";
import { cellEdges, parameterGrid } from "../../../src/reporting/model-views/parameter-grid.js";
import { choice, float, int } from "./helpers.js";

describe("parameterGrid", () => {
  it("spreads a FLOAT range evenly, in log space when log scale, ending exactly at its bounds", () => {
    expect(parameterGrid(float("x", 0, 1), 5)!.values).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const log = parameterGrid(float("lr", 1e-4, 1, true), 5)!;
    expect(log.logScale).toBe(true);
    expect(log.values[0]).toBe(1e-4);
    expect(log.values[2]).toBeCloseTo(1e-2, 12);
    expect(log.values[4]).toBe(1);
  });

  it("keeps an INT range's integers, or evenly spread distinct integers when there are many", () => {
    expect(parameterGrid(int("n", 2, 5), 25)!.values).toEqual([2, 3, 4, 5]);
    const many = parameterGrid(int("n", 1, 1000), 25)!.values as number[];
    expect(many).toHaveLength(25);
    expect(many.every(Number.isInteger)).toBe(true);
    expect([many[0], many.at(-1)]).toEqual([1, 1000]);
  });

  it("lists a choice's values", () => {
    expect(parameterGrid(choice("k", ["a", "b"]), 25)).toMatchObject({ kind: "choice", values: ["a", "b"] });
  });
});

describe("cellEdges", () => {
  it("tiles the axis without gaps or overlaps", () => {
    for (const grid of [
      parameterGrid(float("x", 0, 1), 5)!,
      parameterGrid(int("n", 2, 5), 25)!,
      parameterGrid(int("n", 1, 1000), 25)!,
    ]) {
      const { lower, upper } = cellEdges(grid);
      for (let i = 1; i < lower.length; i++) expect(lower[i]).toBe(upper[i - 1]);
      grid.values.forEach((v, i) => {
        expect(lower[i]!).toBeLessThanOrEqual(v as number);
        expect(upper[i]!).toBeGreaterThanOrEqual(v as number);
      });
    }
    expect(cellEdges(parameterGrid(int("n", 2, 4), 25)!)).toEqual({
      lower: [1.5, 2.5, 3.5],
      upper: [2.5, 3.5, 4.5],
    });
  });
});
