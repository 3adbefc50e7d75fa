import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { registerBuiltInRunners } from "../../src/service/builtin-runners.js";
import { openStore } from "../../src/storage/db-settings.js";
import { tempDir } from "../support/temp-dir.js";
import { runTsxChild } from "../support/tsx-child.js";

async function ascent(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { ASCENT_PROGRESS: "plain", ...env },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function storedDemo(url: string) {
  registerBuiltInRunners();
  const store = await openStore(url);
  try {
    return (await store.loadExperiment("branin_demo"))!;
  } finally {
    await store.close();
  }
}

const FAST = ["--job-ms", "1,10"];

describe("ascent demo", () => {
  it("runs Branin in the store, prints the best point and how to look at it, and resumes on the next run", async () => {
    const dir = tempDir();
    const url = `sqlite:${join(dir, "ascent.db")}`;
    const first = await ascent(["demo", "--storage", url, "--trials", "6", ...FAST]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("Minimizing Branin: 6 trials, up to 3 at once, stored in sqlite:");
    expect(first.out).toMatch(/Experiment "branin_demo": 6 trials: 6 completed/);
    expect(first.out).toMatch(/Best point: trial \d+, branin = [\d.]+\n {2}x1 = -?[\d.]+\n {2}x2 = [\d.]+/);
    expect(first.out).toContain(`ascent show branin_demo --storage ${url}`);
    expect(first.out).toContain(`ascent best branin_demo --storage ${url}`);
    // Plain progress lines: one per event.
    expect(first.err).toMatch(/^trial 0 started \(Sobol\): x1=/m);
    expect(first.err).toMatch(/^trial \d completed: branin = [\d.]+ \(\d\/6 done/m);
    expect(first.err).toMatch(/^best so far: branin = /m);
    // It ends by writing the HTML report next to the SQLite file, and says where.
    const report = join(dir, "report.html");
    expect(first.out.split("\n").at(-1)).toBe(
      `Report: ${report} (open it in a browser; it needs no network).`,
    );
    const page = readFileSync(report, "utf8");
    expect(page).toContain("<h1>Ascent report: branin_demo</h1>");
    expect(page).toContain("because all 2 tunable parameters are ordered");
    rmSync(report);

    const second = await ascent([
      "demo",
      "--storage",
      url,
      "--trials",
      "4",
      "--quiet",
      "--no-report",
      ...FAST,
    ]);
    expect(second.code).toBe(0);
    expect(existsSync(report)).toBe(false);
    expect(second.out).not.toContain("Report:");
    expect(second.out).toContain('Resuming experiment "branin_demo"');
    expect(second.out).toContain("6 trials so far (6 completed); adding 4 more");
    expect(second.err).toBe("");
    const experiment = await storedDemo(url);
    expect(experiment.numTrials).toBe(10);
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(10);
    // Sobol for 5 trials, then Bayesian optimization, which the resumed run continues; no arm repeats.
    const trials = [...experiment.trials.values()];
    expect(trials.map((t) => t.generatorName)).toEqual([
      ...Array(5).fill("Sobol"),
      ...Array(5).fill("BoTorch"),
    ]);
    expect(new Set(trials.map((t) => t.arms[0]!.signature)).size).toBe(10);

    const elsewhere = join(dir, "elsewhere.html");
    const fresh = await ascent([
      "demo",
      "--storage",
      url,
      "--trials",
      "2",
      "--fresh",
      "--quiet",
      "--report",
      elsewhere,
      ...FAST,
    ]);
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain(`Report: ${elsewhere}`);
    expect(readFileSync(elsewhere, "utf8")).toContain("<strong>branin_demo</strong>");
    expect(fresh.out).toContain('Deleted the stored experiment "branin_demo"; starting fresh.');
    expect((await storedDemo(url)).numTrials).toBe(2);
  });

  it("stores where ASCENT_DB says when no --storage is given", async () => {
    const url = `sqlite:${join(tempDir(), "env.db")}`;
    const r = await ascent(["demo", "--trials", "1", "--quiet", ...FAST], { ASCENT_DB: url });
    expect(r.code).toBe(0);
    expect((await storedDemo(url)).numTrials).toBe(1);
  });

  it("exits 2 for bad usage and 3 for a store it cannot open", async () => {
    const bad = await ascent(["demo", "--trials", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("expected an integer ≥ 1");
    const scheme = await ascent(["demo", "--storage", "mysql://x/y"]);
    expect(scheme.code).toBe(2);
    expect(scheme.err).toContain('Unsupported database URL scheme "mysql:"');
    const dir = tempDir();
    writeFileSync(join(dir, "not-a-dir"), "");
    const unreachable = await ascent(["demo", "--storage", `sqlite:${join(dir, "not-a-dir", "x.db")}`]);
    expect(unreachable.code).toBe(3);
    expect(unreachable.err).toContain("ascent demo: Cannot read");
  });

  it("has help", async () => {
    const r = await ascent(["demo", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: ascent demo [options]");
    expect(r.out).toContain("--storage <url>");
    expect(r.out).toContain("--quiet");
    expect(r.out).toContain("--report <file>");
    expect(r.out).toContain("--no-report");
    expect(r.out).toContain("Exit codes: 0 done");
  });
});

describe("examples/main-job.ts (npm start)", () => {
  it("runs the demo through the command line, with commands spelled for a clone", async () => {
    const url = `sqlite:${join(tempDir(), "ascent.db")}`;
    const r = await runTsxChild("examples/main-job.ts", ["--storage", url, "--trials", "3", ...FAST]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Best point: trial");
    expect(r.out).toContain(`npm run ascent -- show branin_demo --storage ${url}`);
    expect((await storedDemo(url)).countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(3);
    const report = join(dirname(url.slice("sqlite:".length)), "report.html");
    expect(r.out).toContain(`Report: ${report} (open it in a browser; it needs no network).`);
    expect(readFileSync(report, "utf8")).toMatch(/^<!doctype html>/);
  });
});
