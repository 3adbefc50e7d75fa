import { describe, expect, it } from "vitest";
import { quantileOfSorted } from "../../../src/numerics/stats/index.js";

describe("quantileOfSorted", () => {
  it("interpolates between order statistics (numpy's default)", () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([10, 20, 30, 40, 50], 0.1)).toBe(14);
    expect(quantileOfSorted([7], 0.9)).toBe(7);
  });
});
