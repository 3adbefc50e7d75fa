import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, loadStored, writeSlowConfig } from "./run-fixture.js";

function functionConfig(dir: string, name: string, url: string, totalTrials: number): string {
  writeFileSync(join(dir, "evaluate.mjs"), "export default ({ x }) => ({ loss: (x - 1) ** 2 });\n");
  const path = join(dir, "function.yaml");
  writeFileSync(
    path,
    [
      `name: ${name}`,
      "parameters: [{ name: x, type: range, bounds: [-3, 3] }]",
      "objectives: { loss: { minimize: true } }",
      "runner: { type: function, module: ./evaluate.mjs }",
      `scheduler: { totalTrials: ${totalTrials}, initSecondsBetweenPolls: 0.05, minSecondsBeforePoll: 0 }`,
      `storage: ${JSON.stringify(url)}`,
      "seed: 0",
    ].join("\n"),
  );
  return path;
}

describe("ascent resume", () => {
  it("re-imports a function runner's module from the recorded config and goes to the recorded total", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const config = functionConfig(dir, "fn", url, 3);
    expect((await ascent(["run", config, "--quiet"])).code).toBe(0);
    const done = await ascent(["resume", "fn", "--storage", url]);
    expect(done.code).toBe(0);
    expect(done.out).toContain('Resuming experiment "fn" stored in');
    expect(done.out).toContain("3 of 3 trials so far, 0 still running");
    expect(done.out).toMatch(/Best point: trial \d, loss = /);
    // A larger total in the config, given again with --config, adds trials up to it.
    functionConfig(dir, "fn", url, 5);
    const more = await ascent(["resume", "fn", "--storage", url, "--config", config, "--quiet"]);
    expect(more.code).toBe(0);
    expect((await loadStored(url, "fn"))!.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);
  });

  it("exits 2 for an unknown name, a config of another experiment, or a missing module; 3 for no store", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const config = functionConfig(dir, "fn", url, 1);
    expect((await ascent(["run", config, "--quiet"])).code).toBe(0);
    const unknown = await ascent(["resume", "nope", "--storage", url]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No experiment named "nope"');
    const other = functionConfig(tempDir(), "other", url, 1);
    const mismatch = await ascent(["resume", "fn", "--storage", url, "--config", other]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain('it describes experiment "other", not "fn"');
    // A config whose module is gone (never imported by this process, which would keep it cached).
    const movedDir = tempDir();
    const moved = functionConfig(movedDir, "fn", url, 1);
    rmSync(join(movedDir, "evaluate.mjs"));
    const noModule = await ascent(["resume", "fn", "--storage", url, "--config", moved]);
    expect(noModule.code).toBe(2);
    expect(noModule.err).toContain("runner.module");
    writeFileSync(join(dir, "file"), "");
    expect((await ascent(["resume", "fn", "--storage", `sqlite:${join(dir, "file", "x.db")}`])).code).toBe(3);
    const help = await ascent(["resume", "--help"]);
    expect(help.out).toContain("Usage: ascent resume [options] <name>");
    expect(help.out).toContain("--config <file>");
  });

  it("exits 1 when every trial of the experiment failed", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const config = writeSlowConfig(dir, { name: "broken", storage: url, totalTrials: 2 });
    const env = { SLOW_TRIAL_MS: "1", FAIL_ALL: "1" };
    expect((await ascent(["run", config, "--quiet"], env)).code).toBe(1);
    const resumed = await ascent(["resume", "broken", "--storage", url, "--quiet"], env);
    expect(resumed.code).toBe(1);
    expect(resumed.err).toContain("every trial failed");
  });
});
