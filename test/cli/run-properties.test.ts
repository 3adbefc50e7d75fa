import { describe, expect, it } from "vitest";
import {
  recordRunSettings,
  schedulerOptionsOf,
  storedRunSettings,
} from "../../src/cli/session/run-properties.js";
import { EarlyStoppingConfigError } from "../../src/errors.js";
import {
  OrEarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
  ThresholdEarlyStoppingStrategy,
} from "../../src/scheduler/early-stopping/index.js";
import { SchedulerOptions } from "../../src/scheduler/scheduler-options.js";
import { experimentFromOptions } from "../../src/service/experiment-from-options.js";

function experiment() {
  return experimentFromOptions({
    name: "run_settings",
    parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
    objectives: { loss: { minimize: true } },
  });
}

describe("run settings kept for ascent resume", () => {
  it("keep the early-stopping strategy as its config, rebuilt by resume", () => {
    const e = experiment();
    const strategy = new OrEarlyStoppingStrategy(
      new PercentileEarlyStoppingStrategy({ percentileThreshold: 70, minProgression: 3 }),
      new ThresholdEarlyStoppingStrategy({ metricThreshold: 2 }),
    );
    recordRunSettings(
      e,
      "/x/experiment.yaml",
      new SchedulerOptions({ totalTrials: 9, earlyStoppingStrategy: strategy }),
    );
    // Through JSON, as the store keeps experiment properties.
    const settings = storedRunSettings(JSON.parse(JSON.stringify({ properties: e.properties })) as typeof e)!;
    expect(settings.earlyStopping).toEqual(strategy.toJSON());
    const options = schedulerOptionsOf(settings);
    expect(options.totalTrials).toBe(9);
    expect(options.earlyStoppingStrategy).toBeInstanceOf(OrEarlyStoppingStrategy);
    expect((options.earlyStoppingStrategy as OrEarlyStoppingStrategy).toJSON()).toEqual(strategy.toJSON());
  });

  it("keep none without a strategy, and say where a stored config went bad", () => {
    const e = experiment();
    recordRunSettings(e, undefined, new SchedulerOptions({ totalTrials: 2 }));
    const settings = storedRunSettings(e)!;
    expect(settings.earlyStopping).toBeNull();
    expect(schedulerOptionsOf(settings).earlyStoppingStrategy).toBeNull();
    const broken = { ...settings, earlyStopping: { type: "percentile", percentileThreshold: 500 } };
    expect(() => schedulerOptionsOf(broken)).toThrow(EarlyStoppingConfigError);
    expect(() => schedulerOptionsOf(broken)).toThrow(/earlyStopping\.percentileThreshold/);
  });
});
