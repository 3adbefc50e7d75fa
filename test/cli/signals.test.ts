import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../integration/postgres-fixture.js";
import { tempDir } from "../support/temp-dir.js";
import { ascent, ascentChild, loadStored, until, writeSlowConfig } from "./run-fixture.js";

const TOTAL = 4;
const schemas: string[] = [];

afterAll(async () => {
  for (const schema of schemas) await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});

function sqliteUrl(dir: string): string {
  return `sqlite:${join(dir, "ascent.db")}`;
}

function postgresUrl(): string {
  const schema = randomSchema();
  schemas.push(schema);
  return `${POSTGRES_URL}?schema=${schema}`;
}

/** Every trial COMPLETED, TOTAL of them, and each trial's process started exactly once. */
async function expectCompleteOnce(url: string, name: string, trialLog: string) {
  const stored = (await loadStored(url, name))!;
  expect(stored.numTrials).toBe(TOTAL);
  expect(stored.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(TOTAL);
  const started = readFileSync(trialLog, "utf8").trim().split("\n").map(Number);
  expect(started.sort((a, b) => a - b)).toEqual([...Array(TOTAL).keys()]);
  expect(stored.lookupData().rows.filter((r) => r.metricName === "loss")).toHaveLength(TOTAL);
}

describe.each([
  ["SQLite", sqliteUrl],
  ["PostgreSQL", (_dir: string) => postgresUrl()],
])("Ctrl-C and resume on %s", (_label, makeUrl) => {
  it("SIGINT stops launching, saves, prints the resume command; resume completes every trial once", async () => {
    const dir = tempDir();
    const url = makeUrl(dir);
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
