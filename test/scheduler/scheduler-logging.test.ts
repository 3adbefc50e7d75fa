import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { SchedulerOptions } from "../../src/scheduler/scheduler-options.js";
import { LogLevel } from "../../src/util/logger.js";
import { tempDir } from "../support/temp-dir.js";
import { MockJobQueueScheduler, makeFixture, sobolStrategy } from "./fixtures.js";

describe("Scheduler: logging options", () => {
  it("writes its log to logFilepath at loggingLevel, under the subclass's name", async () => {
    const dir = tempDir("ascent-log-");
    const logFilepath = join(dir, "scheduler.log");
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.COMPLETED;
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const scheduler = new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(3),
        options: new SchedulerOptions({ logFilepath, loggingLevel: LogLevel.INFO }),
      });
      await scheduler.runNTrials({ maxTrials: 2 });
      const lines = readFileSync(logFilepath, "utf8").trim().split("\n");
      expect(
        lines.some((l) => /^\[INFO [^\]]+\] MockJobQueueScheduler: Running trials \[0\]\.\.\.$/.test(l)),
      ).toBe(true);
      expect(lines.some((l) => l.includes("Retrieved COMPLETED trials: {0"))).toBe(true);
      // The same lines went to the console.
      expect(out.mock.calls.map((c) => c[0])).toEqual(lines);
    } finally {
      out.mockRestore();
    }
  });

  it("loggingLevel WARNING keeps INFO lines out of the console and the file", async () => {
    const dir = tempDir("ascent-log-");
    const logFilepath = join(dir, "scheduler.log");
    const f = makeFixture();
    f.queue.policy = () => TrialStatus.COMPLETED;
    const out = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const scheduler = new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(3),
        options: new SchedulerOptions({ logFilepath, loggingLevel: LogLevel.WARNING }),
      });
      await scheduler.runNTrials({ maxTrials: 2 });
      expect(f.experiment.numTrials).toBe(2);
      expect(out).not.toHaveBeenCalled();
      expect(() => readFileSync(logFilepath, "utf8")).toThrow();
    } finally {
      out.mockRestore();
    }
  });
});
