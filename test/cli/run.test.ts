import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, loadStored, writeSlowConfig } from "./run-fixture.js";

describe("ascent run", () => {
  it("runs examples/cli/experiment.yaml (log compression) with a small budget: stored, best point printed", async () => {
    const dir = tempDir();
    copyFileSync("examples/cli/evaluate.mjs", join(dir, "evaluate.mjs"));
    const text = readFileSync("examples/cli/experiment.yaml", "utf8").replace(
      "totalTrials: 16",
      "totalTrials: 3",
    );
    writeFileSync(join(dir, "experiment.yaml"), text);
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const r = await ascent(["run", join(dir, "experiment.yaml")]);
    expect(r.err).toMatch(/^trial 0 started \(Sobol\): codec=(gzip|brotli), level=\d, windowBits=\d+$/m);
    expect(r.err).toMatch(
      /^trial \d completed: sizeKb = [\d.]+, compressMs = [\d.]+, ratio = [\d.]+ \(\d\/3 done/m,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Running experiment "log_compression": 3 trials, stored in ${url}.`);
    expect(r.out).toContain('Experiment "log_compression": 3 trials: 3 completed');
    expect(r.out).toContain(`ascent show log_compression --storage ${url}`);
    const stored = await loadStored(url, "log_compression");
    expect(stored?.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(3);
    expect(stored?.lookupData().metricNames.sort()).toEqual(["compressMs", "ratio", "sizeKb"]);
  });

  it("refuses an invalid config with the config's messages, exit code 2, and writes nothing", async () => {
    const dir = tempDir();
    const path = join(dir, "bad.yaml");
    writeFileSync(
      path,
      [
        "name: bad",
        "parameters:",
        "  - { name: threads, type: range, bounds: [5, 1] }",
        "objectives: { loss: { minimize: true } }",
        'runner: { type: command, command: "node evaluate.mjs" }',
        "scheduler: { totalTrial: 3 }",
        "storage: sqlite:./should-not-exist.db",
      ].join("\n"),
    );
    const r = await ascent(["run", path]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("parameters[0].bounds: lower (5) must be below upper (1)");
    expect(r.err).toContain(
      'runner.command: must be a non-empty array of strings (got a string; write ["node", "evaluate.mjs"])',
    );
    expect(r.err).toContain('scheduler.totalTrial: unknown key; did you mean "totalTrials"?');
    expect(existsSync(join(dir, "should-not-exist.db"))).toBe(false);
    const missing = await ascent(["run", join(dir, "missing.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no such file");
  });

  it("refuses a name already stored, suggesting ascent resume (exit 2)", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "s.db")}`;
    const config = writeSlowConfig(dir, { name: "twice", storage: url, totalTrials: 1 });
    const env = { SLOW_TRIAL_MS: "10" };
    const verbose = await ascent(["run", config, "--verbose"], env);
    expect(verbose.code).toBe(0);
    // --verbose adds the Scheduler's log (INFO and up) to the trial events.
    expect(verbose.err).toMatch(/^\[INFO [\d: -]+\] CliScheduler: /m);
    const again = await ascent(["run", config], env);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`an experiment named "twice" is already stored in ${url}`);
    expect(again.err).toContain(`ascent resume twice --storage ${url}`);
  });

  it("exits 1 when every trial failed, 3 when the store cannot be opened, 2 for a malformed --storage", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "f.db")}`;
    const config = writeSlowConfig(dir, { name: "failing", storage: url, totalTrials: 2 });
    const failed = await ascent(["run", config, "--quiet"], { SLOW_TRIAL_MS: "10", FAIL_ALL: "1" });
    expect(failed.code).toBe(1);
    expect(failed.out).toContain("2 trials: 2 failed");
    writeFileSync(join(dir, "file"), "");
    const unreachable = await ascent(["run", config, "--storage", `sqlite:${join(dir, "file", "x.db")}`]);
    expect(unreachable.code).toBe(3);
    const malformed = await ascent(["run", config, "--storage", "mysql://h/db"]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain("ascent run: --storage: Unsupported database URL");
  });

  it("has help naming the exit codes", async () => {
    const r = await ascent(["run", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: ascent run [options] <config>");
    expect(r.out).toContain("--verbose");
    expect(r.out).toContain("Exit codes: 0 done, 1 the run failed");
    expect((await ascent(["run"])).code).toBe(2);
  });
});
