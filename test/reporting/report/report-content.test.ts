import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Arm, GeneratorRun } from "../../../src/core/index.js";
import { ReportWriteError } from "../../../src/errors.js";
import { GenerationStep } from "../../../src/generation/generation-step.js";
import { GenerationStrategy } from "../../../src/generation/generation-strategy.js";
import { Generators } from "../../../src/generation/generators.js";
import { renderReport, writeReport } from "../../../src/reporting/report/index.js";
import { formatDuration, reportDurations } from "../../../src/reporting/report/report-durations.js";
import { tempDir } from "../../support/temp-dir.js";
import { completed, makeExperiment } from "../helpers.js";
import { reportExperiment } from "./report-fixture.js";

/** The text of the page's main element, tags removed and entities of the escaping undone (for assertions). */
function text(page: string): string {
  const main = page.includes("<main>") ? page.slice(page.indexOf("<main>"), page.indexOf("</main>")) : page;
  return main
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

describe("report durations", () => {
  it("wall time spans the first creation to the last end; run times are end − run start", () => {
    const { experiment } = reportExperiment({ numTrials: 10, failEvery: 100, running: 1 });
    const trials = [...experiment.trials.values()];
    const runTimes = trials
      .filter((t) => t.timeCompleted !== null)
      .map((t) => t.timeCompleted! - t.timeRunStarted!)
      .sort((a, b) => a - b);
    const d = reportDurations(experiment);
    expect(d.numTimed).toBe(9);
    expect(d.runTimeMs?.median).toBe(runTimes[4]);
    expect(d.runTimeMs?.max).toBe(runTimes[8]);
    expect(d.wallTimeMs).toBe(trials[8]!.timeCompleted! - trials[0]!.timeCreated);
  });

  it("formats durations for people", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatDuration(245_000)).toBe("4 min 05 s");
    expect(formatDuration(7_380_000)).toBe("2 h 03 min");
  });
});

describe("renderReport", () => {
  it("summarizes the strategy with its steps and stored reason, and says when the reason was not recorded", async () => {
    const { experiment, strategy } = reportExperiment({ numTrials: 12 });
    const page = text(
      await renderReport(experiment, { generationStrategy: strategy, charts: [], models: false }),
    );
    expect(page).toContain("Sobol+BoTorch");
    expect(page).toContain("Sobol for 14 trials (12 produced, current)");
    expect(page).toContain("BoTorch for subsequent trials, at most 3 at once (0 produced)");
    expect(page).toContain(strategy.reason!);
    const handMade = new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
    });
    const hand = text(
      await renderReport(experiment, { generationStrategy: handMade, charts: [], models: false }),
    );
    expect(hand).toContain("Sobol for all trials");
    expect(hand).toContain("The reason for this strategy was not recorded");
    const none = text(await renderReport(experiment, { charts: [], models: false }));
    expect(none).toContain("No generation strategy is stored with this experiment.");
  });

  it("shows the best point, by the model or by observation, with the rule that chose it", async () => {
    // Noise of known size: the model judges the arms.
    const noisy = reportExperiment({ numTrials: 16, sem: 0.05, noiseSd: 0.05 }).experiment;
    const withModel = text(await renderReport(noisy, { charts: [] }));
    expect(withModel).toMatch(
      /minimize hartmann6, by the model's prediction \(a GP of all \d+ observations\): trial \d+ \(arm \d+_0\)/,
    );
    expect(withModel).toMatch(/hartmann6 -?[\d.]+ \(predicted -?[\d.]+ ± [\d.e-]+\)/);
    expect(withModel).toMatch(/Rule: model \(.*known noise sd [\d.e-]+.*\)\./);

    // Bare numbers without noise: a noise-free model explains them as well, so the observation wins.
    const bare = text(
      await renderReport(reportExperiment({ numTrials: 16, sem: null }).experiment, { charts: [] }),
    );
    expect(bare).toContain("minimize hartmann6, by observed value:");
    expect(bare).toMatch(/Rule: observed \(no noise detectable in the observations .*gain -?[\d.e-]+\)/);

    const { experiment } = reportExperiment({ numTrials: 16 });
    const exact = text(await renderReport(experiment, { charts: [] }));
    expect(exact).toContain("minimize hartmann6, by observed value:");
    expect(exact).toContain(
      "Rule: observed (noise-free observations (sem 0): the best observation, which the model interpolates).",
    );
    const observed = text(await renderReport(experiment, { charts: [], models: false, title: "Mine" }));
    expect(observed).toContain("minimize hartmann6, by observed value:");
    expect(observed).not.toContain("predicted");
    expect(observed).toContain("Mine");
  });

  it("shows the observed Pareto frontier of several objectives", async () => {
    const experiment = makeExperiment({ multiObjective: true });
    completed(experiment, 1, { obj: 1, obj2: 1 });
    completed(experiment, 2, { obj: 2, obj2: 3 });
    completed(experiment, 3, { obj: 3, obj2: 2 }); // dominated by trial 1
    const page = text(await renderReport(experiment, { charts: [], models: false }));
    expect(page).toContain("minimize obj, maximize obj2: 2 Pareto-optimal arm(s), observed; hypervolume");
    expect(page).toContain("trial 0 (arm 0_0)");
    expect(page).toContain("trial 1 (arm 1_0)");
    expect(page).not.toContain("trial 2 (arm 2_0)");
  });

  it("gives batch trials an arm column, one row per arm", async () => {
    const experiment = makeExperiment();
    completed(experiment, 1, { obj: 1 });
    const arms = [new Arm({ parameters: { x: 2, kind: "a" } }), new Arm({ parameters: { x: 3, kind: "b" } })];
    experiment.newBatchTrial({ generatorRuns: [new GeneratorRun({ arms, generatorName: "Manual" })] });
    const page = await renderReport(experiment, { charts: [], models: false });
    const table = text(
      page.slice(
        page.indexOf('<table class="trials'),
        page.indexOf("</table>", page.indexOf('<table class="trials')),
      ),
    );
    expect(table).toMatch(/^ trial arm status generator x kind obj run time \(s\) reason /);
    expect(table).toContain(" 1 1_0 CANDIDATE Manual 2 a ");
    expect(table).toContain(" 1 1_1 CANDIDATE Manual 3 b ");
  });

  it("reports an experiment without trials without failing", async () => {
    const { experiment } = reportExperiment({ numTrials: 0 });
    const page = text(await renderReport(experiment, { models: true }));
    expect(page).toContain("0 trials");
    expect(page).toContain("no feasible completed trial yet");
    expect(page).toContain("no trial ran to an end");
  });
});

describe("writeReport", () => {
  it("writes the page atomically and returns the absolute path, replacing an older report", async () => {
    const dir = tempDir();
    const { experiment } = reportExperiment({ numTrials: 5 });
    writeFileSync(join(dir, "report.html"), "old");
    const path = await writeReport(experiment, join(dir, "report.html"), { charts: [], models: false });
    expect(path).toBe(join(dir, "report.html"));
    expect(readFileSync(path, "utf8")).toMatch(/^<!doctype html>/);
    expect(readdirSync(dir)).toEqual(["report.html"]);
  });

  it("names the missing directory, and leaves nothing behind when the write fails", async () => {
    const dir = tempDir();
    const { experiment } = reportExperiment({ numTrials: 3 });
    const missing = join(dir, "nope", "report.html");
    const error = await writeReport(experiment, missing, { charts: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportWriteError);
    expect(error).toMatchObject({ path: missing, reason: "missing-directory" });
    expect((error as Error).message).toContain(`the directory ${join(dir, "nope")} does not exist`);
    mkdirSync(join(dir, "taken.html"));
    const failed = await writeReport(experiment, join(dir, "taken.html"), {
      charts: [],
      models: false,
    }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ reason: "write-failed" });
    expect((failed as Error).message).toContain("it is a directory");
    expect(readdirSync(dir)).toEqual(["taken.html"]);
  });
});
