import { describe, expect, it } from "vitest";
import { parseExperimentConfig } from "../../../src/cli/config/index.js";
import { ConfigError } from "../../../src/errors.js";
import {
  AndEarlyStoppingStrategy,
  CurvePredictionEarlyStoppingStrategy,
  PercentileEarlyStoppingStrategy,
  ThresholdEarlyStoppingStrategy,
} from "../../../src/scheduler/early-stopping/index.js";
import { tempDir } from "../../support/temp-dir.js";
import { smallConfig } from "./config-fixtures.js";

function parse(extra: string) {
  return parseExperimentConfig(smallConfig(extra), { baseDir: tempDir(), env: {} });
}

function problems(extra: string): string[] {
  try {
    parse(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error("the config was accepted");
}

describe("config: earlyStopping", () => {
  it("builds the strategy of the section into the Scheduler options", () => {
    const config = parse("earlyStopping: { type: percentile, percentileThreshold: 70, minProgression: 5 }\n");
    const strategy = config.schedulerOptions.earlyStoppingStrategy;
    expect(strategy).toBeInstanceOf(PercentileEarlyStoppingStrategy);
    expect((strategy as PercentileEarlyStoppingStrategy).toJSON()).toMatchObject({
      type: "percentile",
      percentileThreshold: 70,
      minProgression: 5,
    });
    expect(parse("").schedulerOptions.earlyStoppingStrategy).toBeNull();
  });

  it("combines strategies with and/or, keeping the scheduler section's settings", () => {
    const config = parse(`scheduler: { totalTrials: 12 }
earlyStopping:
  type: and
  strategies:
    - { type: percentile }
    - { type: threshold, metricThreshold: 0.5 }
`);
    const strategy = config.schedulerOptions.earlyStoppingStrategy as AndEarlyStoppingStrategy;
    expect(strategy).toBeInstanceOf(AndEarlyStoppingStrategy);
    expect(config.schedulerOptions.totalTrials).toBe(12);
    const parts = (strategy.toJSON() as unknown as { strategies: { type: string }[] }).strategies;
    expect(parts.map((p) => p.type)).toEqual(["percentile", "threshold"]);
    expect(new ThresholdEarlyStoppingStrategy({ metricThreshold: 0.5 }).toJSON()).toEqual(parts[1]);
  });

  it("names the path of a bad type or option", () => {
    expect(problems("earlyStopping: { type: percentil }\n")).toEqual([
      'earlyStopping.type: must be "percentile", "threshold", "curve-prediction", "and" or "or" (got "percentil"); did you mean "percentile"?',
    ]);
    // Without a type the section is the default strategy (curve prediction), which has no such option.
    expect(problems("earlyStopping: { percentileThreshold: 70 }\n")[0]).toMatch(
      /^earlyStopping\.percentileThreshold: .*curve/i,
    );
    expect(parse("earlyStopping: {}\n").schedulerOptions.earlyStoppingStrategy).toBeInstanceOf(
      CurvePredictionEarlyStoppingStrategy,
    );
    expect(problems("earlyStopping: percentile\n")[0]).toMatch(/^earlyStopping: must be an object such as/);
    const [option] = problems("earlyStopping: { type: percentile, percentileThreshold: 150 }\n");
    expect(option).toMatch(/^earlyStopping\.percentileThreshold: /);
    const [nested] = problems(`earlyStopping:
  type: or
  strategies:
    - { type: percentile }
    - { type: threshold }
`);
    expect(nested).toMatch(/^earlyStopping\.strategies\[1\]\.metricThreshold: /);
    const [unknown] = problems("earlyStopping: { type: percentile, minProgresion: 3 }\n");
    expect(unknown).toMatch(/^earlyStopping\.minProgresion: /);
  });
});
