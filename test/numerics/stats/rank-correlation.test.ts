import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { averageRanks, spearmanCorrelation } from "../../../src/numerics/stats/index.js";

/** test/fixtures/rank-correlation-reference.json (scripts/fixtures/rank-correlation-reference.py, scipy). */
interface RankCase {
  name: string;
  x: number[];
  y: number[];
  ranksX: number[];
  ranksY: number[];
  spearman: number;
}

const cases: RankCase[] = JSON.parse(
  readFileSync(new URL("../../fixtures/rank-correlation-reference.json", import.meta.url), "utf8"),
).cases;

describe("rank correlation", () => {
  for (const c of cases) {
    it(`ranks with ties averaged and correlates them as scipy does (${c.name})`, () => {
      expect([...averageRanks(c.x)]).toEqual(c.ranksX);
      expect([...averageRanks(c.y)]).toEqual(c.ranksY);
      expect(spearmanCorrelation(c.x, c.y)).toBeCloseTo(c.spearman, 12);
    });
  }

  it("is NaN for a constant sample and throws on a length mismatch", () => {
    expect(spearmanCorrelation([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearmanCorrelation([1], [2])).toBeNaN();
    expect(() => spearmanCorrelation([1, 2], [1])).toThrow(RangeError);
  });
});
