import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, ascentChild, loadStored, until, writeSlowConfig } from "./run-fixture.js";

/** Trials of the experiments of the signal tests. */
export const TOTAL = 4;

/** A SQLite URL in `dir`. */
export function sqliteUrl(dir: string): string {
  return `sqlite:${join(dir, "ascent.db")}`;
}

/** Every trial COMPLETED, TOTAL of them, and each trial's process started exactly once. */
export async function expectCompleteOnce(url: string, name: string, trialLog: string): Promise<void> {
  const stored = (await loadStored(url, name))!;
  expect(stored.numTrials).toBe(TOTAL);
  expect(stored.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(TOTAL);
  const started = readFileSync(trialLog, "utf8").trim().split("\n").map(Number);
  expect(started.sort((a, b) => a - b)).toEqual([...Array(TOTAL).keys()]);
  expect(stored.lookupData().rows.filter((r) => r.metricName === "loss")).toHaveLength(TOTAL);
}

/** `ascent run`, SIGINT once two trials run, then `ascent resume` as printed: every trial once. */
export async function interruptThenResume(url: string): Promise<void> {
  {
    const dir = tempDir();
    const trialLog = join(dir, "trials.log");
    const config = writeSlowConfig(dir, { name: "interrupted", storage: url, totalTrials: TOTAL });
    const env = { TRIAL_LOG: trialLog, SLOW_TRIAL_MS: "800" };
    const child = ascentChild(["run", config], env);
    await until(() => /^trial 1 started/m.test(child.err()), "two trials to start");
    child.child.kill("SIGINT");
    expect(await child.exited).toBe(130);
    expect(child.err()).toContain("Received SIGINT: launching no more trials and saving");
    expect(child.out()).toMatch(
      /Interrupted: launched no more trials; \d trial\(s\) still running were left running/,
    );
    const resumeLine = child.out().trimEnd().split("\n").at(-1)!.trim();
    // A URL with "?" is quoted for the shell.
    const shown = url.includes("?") ? `'${url}'` : url;
    expect(resumeLine).toBe(`ascent resume interrupted --storage ${shown}`);
    const stored = (await loadStored(url, "interrupted"))!;
    expect(stored.numTrials).toBeLessThan(TOTAL);

    const resumed = await ascent(resumeLine.replaceAll("'", "").split(" ").slice(1), env);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain('Resuming experiment "interrupted"');
    expect(resumed.out).toContain(`${TOTAL} trials: ${TOTAL} completed`);
    await expectCompleteOnce(url, "interrupted", trialLog);
  }
}
