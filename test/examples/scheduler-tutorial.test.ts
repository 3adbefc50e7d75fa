import { describe, expect, it, vi } from "vitest";
import { runSchedulerTutorial } from "../../examples/scheduler-tutorial.js";
import { FakeClock, TrialStatus } from "../../src/index.js";

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
