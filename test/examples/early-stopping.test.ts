import { describe, expect, it } from "vitest";
import { runEarlyStoppingExample } from "../../examples/early-stopping.js";
import { TrialStatus } from "../../src/index.js";

describe("examples/early-stopping.ts (optimize with report and a percentile rule)", () => {
  it("stores every trial's curve, stops some trials early with their last loss as result, and prints the savings", async () => {
    const printed: string[] = [];
    const result = await runEarlyStoppingExample({
      totalTrials: 9,
      epochMs: 10,
      print: (l) => printed.push(l),
    });
    const { experiment, trialCounts } = result;
    const stopped = [...experiment.trialIndicesWithStatus(TrialStatus.EARLY_STOPPED)];
    expect(trialCounts.COMPLETED + stopped.length).toBe(9);
    expect(stopped.length).toBeGreaterThan(0);
    for (const trial of experiment.trials.values()) {
      const curve = experiment.curve(trial.index, "validationLoss");
      expect(curve.map((p) => p.progression)).toEqual(Array.from({ length: curve.length }, (_, i) => i + 1));
      const [latest] = experiment.lookupData({ trialIndices: [trial.index] }).rows;
      expect(latest?.mean).toBe(curve.at(-1)!.mean);
      if (trial.status === TrialStatus.EARLY_STOPPED) {
        // Judged between minProgression and maxProgression; it may report a step or two more before it
        // learns of the stop.
        const reason = / at step (\d+) is worse than the 50th percentile/.exec(trial.failureReason ?? "");
        const step = Number(reason?.[1]);
        expect(step).toBeGreaterThanOrEqual(5);
        expect(step).toBeLessThan(25);
        expect(curve.length).toBeGreaterThanOrEqual(step);
      } else {
        expect(curve).toHaveLength(30);
      }
    }
    const epochs = [...experiment.trials.keys()].reduce(
      (s, i) => s + experiment.curve(i, "validationLoss").length,
      0,
    );
    expect(printed[0]).toBe(`Trials: ${trialCounts.COMPLETED} completed, ${stopped.length} stopped early.`);
    expect(printed[1]).toBe(`Epochs run: ${epochs} of 270.`);
    expect(printed[3]).toMatch(/^Best validation loss: \d+\.\d{4}$/);
  });
});
