import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_FAST_CHECK_SEED, fastCheckSeed } from "./fast-check-seed.js";

describe("fast-check seeding", () => {
  it("gives every property without its own seed the run's global seed", () => {
    expect(fc.readConfigureGlobal().seed).toBe(fastCheckSeed());
    // Unseeded, fast-check draws a new seed from the clock on every call: these would differ.
    expect(fc.sample(fc.double(), 8)).toEqual(fc.sample(fc.double(), 8));
  });

  it("reads FAST_CHECK_SEED, falls back to the default, and refuses a malformed seed", () => {
    expect(fastCheckSeed({})).toBe(DEFAULT_FAST_CHECK_SEED);
    expect(fastCheckSeed({ FAST_CHECK_SEED: "" })).toBe(DEFAULT_FAST_CHECK_SEED);
    expect(fastCheckSeed({ FAST_CHECK_SEED: "123" })).toBe(123);
    expect(() => fastCheckSeed({ FAST_CHECK_SEED: "12x" })).toThrow(
      /FAST_CHECK_SEED must be a 32-bit integer/,
    );
    expect(() => fastCheckSeed({ FAST_CHECK_SEED: "1.5" })).toThrow(/FAST_CHECK_SEED/);
  });
});
