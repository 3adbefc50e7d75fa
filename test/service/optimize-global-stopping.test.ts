import { describe, expect, it } from "vitest";
import { OptimizeArgumentError } from "../../src/errors.js";
import { ImprovementGlobalStoppingStrategy } from "../../src/scheduler/index.js";
import { optimize } from "../../src/service/optimize.js";
import { LogLevel } from "../../src/util/logger.js";

const spec = {
  parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
  objectives: { loss: { minimize: true } },
  // A constant loss never improves, so the rule stops as soon as it may judge.
  evaluate: () => 1,
  totalTrials: 30,
  seed: 0,
  loggingLevel: LogLevel.ERROR,
  chooseGenerationStrategyOptions: { forceRandomSearch: true },
} as const;

describe("optimize with a global stopping strategy", () => {
  it("ends before totalTrials when the rule fires, and says why", async () => {
    const result = await optimize({
      ...spec,
      evaluate: ({ x }) => (Number(x) - 0.3) ** 2,
      globalStoppingStrategy: new ImprovementGlobalStoppingStrategy({ minTrials: 6, improvementBar: 1e9 }),
    });
    expect(result.experiment.numTrials).toBe(6);
    expect(result.globalStoppingReason).toContain("less than improvementBar 1000000000");
    expect(result.optimizationResult.globalStoppingReason).toBe(result.globalStoppingReason);
  });

  it("runs to totalTrials without one (the reason is null)", async () => {
    const result = await optimize({ ...spec, totalTrials: 7 });
    expect(result.experiment.numTrials).toBe(7);
    expect(result.globalStoppingReason).toBeNull();
  });

  it("takes the strategy in schedulerOptions too, but not in both places", async () => {
    const strategy = new ImprovementGlobalStoppingStrategy({ minTrials: 5, windowSize: 5 });
    // The loss is constant: the IQR is 0, so the rule cannot judge and the run reaches its total.
    const flat = await optimize({
      ...spec,
      totalTrials: 8,
      schedulerOptions: { globalStoppingStrategy: strategy },
    });
    expect(flat.experiment.numTrials).toBe(8);
    expect(flat.globalStoppingReason).toBeNull();
    await expect(
      optimize({
        ...spec,
        globalStoppingStrategy: strategy,
        schedulerOptions: { globalStoppingStrategy: strategy },
      }),
    ).rejects.toThrow(OptimizeArgumentError);
  });
});
