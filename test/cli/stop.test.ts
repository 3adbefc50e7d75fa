import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, ascentChild, loadStored, until, writeSlowConfig } from "./run-fixture.js";

describe("ascent stop", () => {
  it("makes the run in another process launch no more trials; its running trials finish; resume goes on", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const config = writeSlowConfig(dir, { name: "stoppable", storage: url, totalTrials: 8 });
    const env = { SLOW_TRIAL_MS: "1000" };
    const child = ascentChild(["run", config], env);
    await until(() => /^trial 1 started/m.test(child.err()), "two trials to start");
    const stop = await ascent(["stop", "stoppable", "--storage", url]);
    expect(stop.code).toBe(0);
    expect(stop.out).toMatch(
      /^Stop requested: the process running "stoppable" \(.+\) launches no more trials/,
    );
    expect(await child.exited).toBe(0);
    expect(child.err()).toMatch(
      /Stopped by ascent stop \(.+\): launching no more trials; running trials finish\./,
    );
    const stored = (await loadStored(url, "stoppable"))!;
    expect(stored.numTrials).toBeLessThan(8);
    expect(stored.countTrialsWithStatus(TrialStatus.RUNNING)).toBe(0);
    expect(stored.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(stored.numTrials);

    // The request is cleared on resume, which goes to the total.
    const resumed = await ascent(["resume", "stoppable", "--storage", url, "--quiet"], {
      SLOW_TRIAL_MS: "10",
    });
    expect(resumed.code).toBe(0);
    expect((await loadStored(url, "stoppable"))!.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(8);
    const idle = await ascent(["stop", "stoppable", "--storage", url]);
    expect(idle).toMatchObject({ code: 0, out: 'Experiment "stoppable" is not running: nothing to stop.' });
  });

  it("exits 2 for an unknown experiment, 3 for a store it cannot open", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "s.db")}`;
    writeSlowConfig(dir, { name: "x", storage: url, totalTrials: 1 });
    expect(
      (await ascent(["run", join(dir, "experiment.yaml"), "--quiet"], { SLOW_TRIAL_MS: "1" })).code,
    ).toBe(0);
    const unknown = await ascent(["stop", "y", "--storage", url]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No experiment named "y"');
    writeFileSync(join(dir, "file"), "");
    expect((await ascent(["stop", "x", "--storage", `sqlite:${join(dir, "file", "x.db")}`])).code).toBe(3);
    expect((await ascent(["stop"])).code).toBe(2);
    const help = await ascent(["stop", "--help"]);
    expect(help.out).toContain("Usage: ascent stop [options] <name>");
  });
});
