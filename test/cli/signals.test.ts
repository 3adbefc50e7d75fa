import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, ascentChild, loadStored, until, writeSlowConfig } from "./run-fixture.js";
import { expectCompleteOnce, interruptThenResume, sqliteUrl, TOTAL } from "./signals-fixture.js";

describe("Ctrl-C and resume on SQLite", () => {
  it("SIGINT stops launching, saves, prints the resume command; resume completes every trial once", async () => {
    await interruptThenResume(sqliteUrl(tempDir()));
  });
});

describe("a second Ctrl-C", () => {
  it("exits at once; the store stays consistent and resume completes every trial once", async () => {
    const dir = tempDir();
    const url = sqliteUrl(dir);
    const trialLog = join(dir, "trials.log");
    const config = writeSlowConfig(dir, { name: "twice", storage: url, totalTrials: TOTAL });
    const env = { TRIAL_LOG: trialLog, SLOW_TRIAL_MS: "800" };
    const child = ascentChild(["run", config], env);
    await until(() => /^trial 1 started/m.test(child.err()), "two trials to start");
    child.child.kill("SIGINT");
    child.child.kill("SIGINT");
    const signal = await new Promise((resolve) => child.child.on("exit", (_code, s) => resolve(s)));
    const exitedBySignal = signal === "SIGINT";
    // Either the second signal ended it, or the first had already finished the run's shutdown.
    expect(exitedBySignal || child.child.exitCode === 130).toBe(true);
    if (exitedBySignal) expect(child.err()).toContain("Received SIGINT again: exiting now. Resume with:");
    const resumed = await ascent(["resume", "twice", "--storage", url], env);
    expect(resumed.code).toBe(0);
    await expectCompleteOnce(url, "twice", trialLog);
  });
});

describe("Ctrl-C during ascent demo (trials evaluated in the process)", () => {
  it("lets the running trials finish, so that none is lost, and prints the command that resumes", async () => {
    const url = sqliteUrl(tempDir());
    const child = ascentChild(["demo", "--storage", url, "--trials", "8", "--job-ms", "1200,1500"]);
    await until(() => /^trial 1 started/m.test(child.err()), "two trials to start");
    child.child.kill("SIGINT");
    expect(await child.exited).toBe(130);
    expect(child.err()).toMatch(
      /Received SIGINT: launching no more trials; waiting for the \d running trial\(s\) to finish/,
    );
    expect(child.out()).toContain(`Resume with:\n  ascent demo --storage ${url} --trials 8`);
    const stored = (await loadStored(url, "branin_demo"))!;
    expect(stored.numTrials).toBeLessThan(8);
    expect(stored.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(stored.numTrials);
  });
});
