import { describe, expect, it } from "vitest";
import { nearestKey } from "../../../src/cli/config/nearest-key.js";
import { editDistance } from "../../../src/cli/edit-distance.js";

describe("nearestKey", () => {
  const keys = ["totalTrials", "maxPendingTrials", "maxParallelism", "timeoutHours"];

  it("suggests the key one typo away", () => {
    expect(nearestKey("totalTrial", keys)).toBe("totalTrials");
    expect(nearestKey("maxParalelism", keys)).toBe("maxParallelism");
  });

  it("maps snake_case and other cases to the camelCase key", () => {
    expect(nearestKey("total_trials", keys)).toBe("totalTrials");
    expect(nearestKey("TIMEOUTHOURS", keys)).toBe("timeoutHours");
  });

  it("suggests nothing for a word far from every key", () => {
    expect(nearestKey("earlyStopping", keys)).toBeUndefined();
    expect(nearestKey("x", keys)).toBeUndefined();
  });

  it("measures edits case-insensitively", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("Seed", "seed")).toBe(1);
    expect(nearestKey("Seed", ["seed"])).toBe("seed");
    expect(editDistance("", "abc")).toBe(3);
  });
});
