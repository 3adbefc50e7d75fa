import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runMainJob } from "../../examples/main-job.js";
import { runSchedulerTutorial } from "../../examples/scheduler-tutorial.js";
import { FakeClock, TrialStatus } from "../../src/index.js";
import { tempDir } from "../support/temp-dir.js";

async function runTutorial(seed = 0) {
  const lines: string[] = [];
  const printed: string[] = [];
  const table = vi.spyOn(console, "table").mockImplementation(() => {});
  try {
    const out = await runSchedulerTutorial({
      seed,
      clock: new FakeClock(),
      logSink: (line) => lines.push(line),
      print: (line) => printed.push(line),
    });
    return { ...out, lines, printed };
  } finally {
    table.mockRestore();
  }
}

describe("examples/scheduler-tutorial.ts (the Ax Scheduler tutorial)", () => {
  it("runs 3 trials, then 3 more, all COMPLETED, with the tutorial's table columns", async () => {
    const { tableAfterThree, tableAfterSix, first, second } = await runTutorial();
    expect(tableAfterThree).toHaveLength(3);
    expect(tableAfterSix).toHaveLength(6);
    expect(first.trialIndicesAdded).toEqual([0, 1, 2]);
    expect(second.trialIndicesAdded).toEqual([3, 4, 5]);
    expect(tableAfterSix.map((r) => r.trialStatus)).toEqual(Array(6).fill(TrialStatus.COMPLETED));
    expect(Object.keys(tableAfterSix[0]!)).toEqual([
      "branin",
      "trialIndex",
      "armName",
      "x1",
      "x2",
      "trialStatus",
      "generatorModel",
    ]);
    expect(tableAfterSix.map((r) => r.armName)).toEqual(["0_0", "1_0", "2_0", "3_0", "4_0", "5_0"]);
    // As in the tutorial: Sobol for the first 5 trials, Bayesian optimization from trial 5 on.
    expect(tableAfterThree.map((r) => r.generatorModel)).toEqual(["Sobol", "Sobol", "Sobol"]);
    expect(tableAfterSix.map((r) => r.generatorModel)).toEqual([
      "Sobol",
      "Sobol",
      "Sobol",
      "Sobol",
      "Sobol",
      "BoTorch",
    ]);
    for (const row of tableAfterSix) {
      expect(typeof row.branin).toBe("number");
      expect(row.x1 as number).toBeGreaterThanOrEqual(-5);
      expect(row.x1 as number).toBeLessThanOrEqual(10);
    }
  });

  it("logs like the tutorial: running, retrieved, waiting", async () => {
    const { lines } = await runTutorial();
    const messages = lines.map((l) => l.replace(/^\[\w+ [\d: -]+\] /, ""));
    expect(messages).toContain("MockJobQueueScheduler: Running trials [0]...");
    expect(
      messages.some((m) => /^MockJobQueueScheduler: Retrieved COMPLETED trials: \{[\d, ]+\}\.$/.test(m)),
    ).toBe(true);
    expect(messages[0]).toBe(
      "ascent.generation: Using Bayesian Optimization generation strategy: GenerationStrategy(name='Sobol+BoTorch', " +
        "steps=[Sobol for 5 trials, BoTorch for subsequent trials]), because all 2 tunable parameters are ordered. " +
        "Iterations after 5 will take longer to generate due to model-fitting.",
    );
    expect(messages[1]).toContain("immutable search space and optimization config");
  });

  it("the timed-out run exits gracefully: one 'Optimization timed out' line, then it returns", async () => {
    const { timedOut, experiment, lines } = await runTutorial();
    expect(timedOut.timedOut).toBe(true);
    const timedOutAt = lines.flatMap((l, i) =>
      l.startsWith("[ERROR") && l.includes("Optimization timed out (timeout hours: 1e-05)!") ? [i] : [],
    );
    expect(timedOutAt).toHaveLength(1);
    const after = lines.slice(timedOutAt[0]! + 1).filter((l) => l.includes("MockJobQueueScheduler:"));
    expect(after.map((l) => l.replace(/^\[\w+ [\d: -]+\] /, ""))).toEqual([
      "MockJobQueueScheduler: `shouldAbort` is `true`, not running more trials.",
    ]);
    expect(timedOut.trialIndicesAdded.length).toBeGreaterThanOrEqual(1);
    expect(timedOut.trialIndicesAdded.length).toBeLessThanOrEqual(3);
    for (const i of timedOut.trialIndicesAdded) {
      expect(experiment.getTrial(i).status).toBe(TrialStatus.COMPLETED);
      expect(experiment.getTrial(i).generatorName).toBe("BoTorch");
    }
    expect(experiment.runningTrials).toHaveLength(0);
  });

  it("runTrialsAndYieldResults yields after each round of completions, ending with all 6 trials done", async () => {
    const { reports, reportingExperiment, printed } = await runTutorial();
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const last = reports.at(-1) as { trialsSoFar: number; runningTrials: number[] };
    expect(last.trialsSoFar).toBe(6);
    expect(last.runningTrials).toEqual([]);
    expect(reportingExperiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
    // The step producing trials moves from Sobol to BoTorch, as in the tutorial's reported results.
    const steps = reports.map(
      (r) =>
        (r as { currentlyProducingTrialsFromGenerationStep: string })
          .currentlyProducingTrialsFromGenerationStep,
    );
    expect(steps[0]).toBe("Sobol");
    expect(steps.at(-1)).toBe("BoTorch");
    const runs = [...reportingExperiment.trials.values()].map((t) => t.generatorRuns[0]!);
    expect(runs.map((r) => r.generatorName)).toEqual([
      "Sobol",
      "Sobol",
      "Sobol",
      "Sobol",
      "Sobol",
      "BoTorch",
    ]);
    expect(runs.map((r) => r.generationStepIndex)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(printed.filter((p) => p.startsWith("Reported result:"))).toHaveLength(reports.length);
  });

  it("is reproducible for a seed", async () => {
    const a = await runTutorial(3);
    const b = await runTutorial(3);
    expect(a.tableAfterSix).toEqual(b.tableAfterSix);
  });
});

describe("examples/main-job.ts (npm start)", () => {
  it("optimizes Branin in the SQLite store and resumes it on the next run", async () => {
    const dir = tempDir("ascent-main-");
    const dbUrl = `sqlite:${join(dir, "ascent.db")}`;
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const table = vi.spyOn(console, "table").mockImplementation(() => {});
    try {
      const first = await runMainJob({ trials: 6, quiet: true, dbUrl });
      expect(first.experiment.numTrials).toBe(6);
      expect(first.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
      const values = first.experiment.lookupData().rows.map((r) => r.mean);
      expect(first.best?.values.branin).toBe(Math.min(...values));

      const second = await runMainJob({ trials: 4, quiet: true, dbUrl });
      const output = log.mock.calls.flat().join("\n");
      expect(output).toContain('Resuming experiment "branin_demo"');
      expect(output).toContain("6 trials so far");
      expect(second.experiment.numTrials).toBe(10);
      expect(second.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(10);
      // Sobol for 5 trials, then Bayesian optimization, which the resumed run continues; no arm repeats.
      const trials = [...second.experiment.trials.values()];
      expect(trials.map((t) => t.generatorName)).toEqual([
        ...Array(5).fill("Sobol"),
        ...Array(5).fill("BoTorch"),
      ]);
      expect(new Set(trials.map((t) => t.arms[0]!.signature)).size).toBe(10);
      // The output says which generator made each trial, and how the strategy proceeds.
      expect(output).toContain(
        "Generation strategy: Sobol for 5 trials, then BoTorch (Bayesian optimization); now at Sobol.",
      );
      expect(output).toContain(
        "Generation strategy: Sobol for 5 trials, then BoTorch (Bayesian optimization); now at BoTorch.",
      );
      expect(output).toMatch(/trial {3}4 \[Sobol\] {3}x1=/);
      expect(output).toMatch(
        /trial {3}9 \[BoTorch\] x1=.* -> branin = [\d.]+ \(model predicted -?[\d.]+ ± [\d.]+\)/,
      );
      // A resumed run prints only its own trials.
      expect(output.match(/trial {3}0 \[Sobol\]/g)).toHaveLength(1);

      const fresh = await runMainJob({ trials: 2, quiet: true, dbUrl, fresh: true });
      expect(fresh.experiment.numTrials).toBe(2);
    } finally {
      log.mockRestore();
      table.mockRestore();
    }
  });
});
