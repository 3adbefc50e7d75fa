import { describe, expect, it } from "vitest";
import { FailureRateExceededError, SchedulerError } from "../../src/errors.js";
import { FailureAccounting } from "../../src/scheduler/failure-accounting.js";
import {
  formatIndexList,
  formatIndexSet,
  formatPollSeconds,
  formatPythonNumber,
} from "../../src/scheduler/format.js";
import { MAX_SECONDS_BETWEEN_POLLS, PollBackoff } from "../../src/scheduler/poll-backoff.js";
import { normalizeStatusMap } from "../../src/scheduler/poll-processor.js";
import { withRetries } from "../../src/scheduler/retry.js";
import { FakeClock } from "../../src/util/clock.js";

describe("PollBackoff", () => {
  it("grows by the factor, resets, and is capped", () => {
    const b = new PollBackoff(1, 1.5);
    expect([b.next(), b.next(), b.next()]).toEqual([1, 1.5, 2.25]);
    b.reset();
    expect(b.next()).toBe(1);
    for (let i = 0; i < 50; i++) b.next();
    expect(b.seconds).toBe(MAX_SECONDS_BETWEEN_POLLS);
  });
});

describe("log formatting", () => {
  it("formats like Ax (Python reprs)", () => {
    expect(formatIndexList([4, 3])).toBe("[3, 4]");
    expect(formatIndexSet(new Set([2, 0]))).toBe("{0, 2}");
    expect(formatPythonNumber(0.00001)).toBe("1e-05");
    expect(formatPythonNumber(0.5)).toBe("0.5");
    expect(formatPythonNumber(2)).toBe("2");
    expect(formatPollSeconds(1)).toBe("1");
    expect(formatPollSeconds(1.5)).toBe("1.5");
    expect(formatPollSeconds(2.25)).toBe("2");
    expect(formatPollSeconds(1.5 * 1.5 * 1.5 * 1.5)).toBe("5");
  });
});

describe("withRetries", () => {
  it("retries with doubling waits through the clock, and not SchedulerErrors", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const value = await withRetries(
      () => {
        calls++;
        if (calls < 3) throw new Error("flaky");
        return 7;
      },
      { attempts: 3, clock, initialDelayMs: 100 },
    );
    expect(value).toBe(7);
    expect(clock.sleeps).toEqual([100, 200]);
    let misuse = 0;
    await expect(
      withRetries(
        () => {
          misuse++;
          throw new SchedulerError("contract");
        },
        { attempts: 3, clock, initialDelayMs: 100 },
      ),
    ).rejects.toThrow("contract");
    expect(misuse).toBe(1);
  });
});

describe("FailureAccounting", () => {
  it("counts only trials it ran, checks from minFailed on, and forces the check at the end", () => {
    const f = new FailureAccounting({
      toleratedTrialFailureRate: 0.5,
      minFailedTrialsForFailureRateCheck: 3,
    });
    for (let i = 0; i < 4; i++) f.recordRan(i);
    f.recordFailure(9, "run", "not ours");
    f.recordFailure(0, "run", "a");
    f.recordFailure(0, "fetch", "counted once");
    f.recordFailure(1, "fetch", "b");
    expect(f.numFailed).toBe(2);
    expect(f.isExceeded()).toBe(false);
    expect(f.isExceeded(true)).toBe(false); // 2/4 is not above 0.5
    f.recordFailure(2, "fetch", "c");
    expect(f.isExceeded()).toBe(true);
    const e = f.toError();
    expect(e).toBeInstanceOf(FailureRateExceededError);
    expect(e.failureKind).toBe("mixed");
    expect(e.message).toContain("3 of the 4 trials");
    expect(e.message).toContain("trial 0 (run): a; trial 1 (fetch): b; trial 2 (fetch): c");
  });
});

describe("normalizeStatusMap", () => {
  it("accepts Maps and plain objects, refuses unknown statuses", () => {
    expect(normalizeStatusMap(new Map([["COMPLETED", new Set([1])]]))).toEqual(
      new Map([["COMPLETED", new Set([1])]]),
    );
    expect(normalizeStatusMap({ FAILED: [2, 3] })).toEqual(new Map([["FAILED", new Set([2, 3])]]));
    expect(() => normalizeStatusMap({ DONE: [1] })).toThrow(/unknown status "DONE"/);
    expect(() => normalizeStatusMap(null)).toThrow(SchedulerError);
    expect(() => normalizeStatusMap({ COMPLETED: ["x"] })).toThrow(/non-integer/);
  });
});
