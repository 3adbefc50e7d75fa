import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { SchedulerOptions } from "../../src/scheduler/scheduler-options.js";
import { LogLevel } from "../../src/util/logger.js";
import { tempDir } from "../support/temp-dir.js";
import { MockJobQueueScheduler, makeFixture, sobolStrategy } from "./fixtures.js";

/** Runs two trials that complete at once with the given log settings; returns the log file and console spy. */
async function runWithLogging(loggingLevel: LogLevel) {
  const logFilepath = join(tempDir("ascent-log-"), "scheduler.log");
  const f = makeFixture();
  f.queue.policy = () => TrialStatus.COMPLETED;
  const out = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const scheduler = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(3),
      options: new SchedulerOptions({ logFilepath, loggingLevel }),
    });
    await scheduler.runNTrials({ maxTrials: 2 });
    return { logFilepath, experiment: f.experiment, consoleLines: out.mock.calls.map((c) => c[0] as string) };
  } finally {
    out.mockRestore();
  }
}

describe("Scheduler: logging options", () => {
  it("writes its log to logFilepath at loggingLevel, under the subclass's name", async () => {
    const { logFilepath, consoleLines } = await runWithLogging(LogLevel.INFO);
    const lines = readFileSync(logFilepath, "utf8").trim().split("\n");
    expect(
      lines.some((l) => /^\[INFO [^\]]+\] MockJobQueueScheduler: Running trials \[0\]\.\.\.$/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => l.includes("Retrieved COMPLETED trials: {0"))).toBe(true);
    // The same lines went to the console.
    expect(consoleLines).toEqual(lines);
  });

  it("loggingLevel WARNING keeps INFO lines out of the console and the file", async () => {
    const { logFilepath, experiment, consoleLines } = await runWithLogging(LogLevel.WARNING);
    expect(experiment.numTrials).toBe(2);
    expect(consoleLines).toEqual([]);
    expect(() => readFileSync(logFilepath, "utf8")).toThrow();
  });
});
