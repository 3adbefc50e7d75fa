import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCommandRunnerExample } from "../../examples/command-runner/optimize.js";
import { tempDir } from "../support/temp-dir.js";

describe("examples/command-runner (tuning a program run once per trial)", () => {
  it("runs one training process per trial, keeps accuracy as a tracking metric, and prints the best", async () => {
    const workDir = tempDir("ascent-example-");
    const printed: string[] = [];
    const result = await runCommandRunnerExample({
      totalTrials: 6,
      maxParallelism: 3,
      workDir,
      print: (line) => printed.push(line),
    });
    expect(result.trialCounts.COMPLETED).toBe(6);
    expect(result.experiment.metrics.map((m) => m.name).sort()).toEqual(["accuracy", "loss"]);
    expect(result.observedValues!.loss).toBeGreaterThan(0);
    expect(result.observedValues!.accuracy).toBeGreaterThan(0.5);
    expect(printed[0]).toBe("Trials: 6 completed, 0 failed.");
    expect(printed[1]).toBe(`Best parameters: ${JSON.stringify(result.bestParameters)}`);
    const trialDirs = readdirSync(join(workDir, "two_moons_network")).sort();
    expect(trialDirs).toEqual(["0", "1", "2", "3", "4", "5"]);
    const stdout = readFileSync(join(workDir, "two_moons_network", "0", "stdout.log"), "utf8");
    expect(stdout.trim().split("\n").at(-1)).toMatch(/^\{"loss":[0-9.e-]+,"accuracy":[0-9.]+\}$/);
  }, 60_000);
});
