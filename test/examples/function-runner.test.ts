import { describe, expect, it } from "vitest";
import { runFunctionRunnerExample } from "../../examples/function-runner.js";

describe("examples/function-runner.ts (tuning an in-process model with optimize)", () => {
  it("tunes the classifier within its budget, tracks accuracy, and prints the best parameters", async () => {
    const printed: string[] = [];
    const result = await runFunctionRunnerExample({ totalTrials: 8, print: (line) => printed.push(line) });
    expect(result.trialCounts.COMPLETED).toBe(8);
    expect(result.experiment.metrics.map((m) => m.name).sort()).toEqual([
      "accuracy",
      "gradientSteps",
      "validationLoss",
    ]);
    const observed = result.observedValues!;
    expect(observed.gradientSteps).toBeLessThanOrEqual(600);
    expect(observed.accuracy).toBeGreaterThan(0.6);
    expect(printed[0]).toBe("Trials: 8 completed, 0 failed.");
    expect(printed[1]).toBe(`Best parameters: ${JSON.stringify(result.bestParameters)}`);
    expect(printed[3]).toMatch(
      /^Observed: validation loss \d\.\d{4}, accuracy \d\.\d{3}, \d+ gradient steps\.$/,
    );
    expect(printed[4]).toBe(`Chosen by ${result.rule}: ${result.reason}.`);
  });

  it("proposes the same trials for the same seed", async () => {
    const run = async () =>
      [
        ...(await runFunctionRunnerExample({ totalTrials: 6, print: () => {} })).experiment.trials.values(),
      ].map((t) => t.arms[0]!.parameters);
    expect(await run()).toEqual(await run());
  });
});
