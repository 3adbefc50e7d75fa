import { describe, expect, it } from "vitest";
import { type ParseExperimentConfigOptions, parseExperimentConfig } from "../../../src/cli/config/index.js";
import {
  recordRunSettings,
  schedulerOptionsOf,
  storedRunSettings,
} from "../../../src/cli/session/run-properties.js";
import { ConfigError } from "../../../src/errors.js";
import { ImprovementGlobalStoppingStrategy } from "../../../src/scheduler/index.js";
import { tempDir } from "../../support/temp-dir.js";
import { smallConfig } from "./config-fixtures.js";

function parse(extra: string, options: ParseExperimentConfigOptions = {}) {
  return parseExperimentConfig(smallConfig(extra), { baseDir: tempDir(), env: {}, ...options });
}

/** Every problem of an invalid config as `path: message` lines. */
function problems(extra: string): string[] {
  try {
    parse(extra);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error("the config was accepted");
}

describe("config globalStopping", () => {
  it("builds an ImprovementGlobalStoppingStrategy into the Scheduler options, defaults filled in", () => {
    const config = parse(
      "scheduler: { totalTrials: 20 }\nglobalStopping: { type: improvement, minTrials: 8, improvementBar: 0.05 }\n",
    );
    const strategy = config.schedulerOptions.globalStoppingStrategy;
    expect(strategy).toBeInstanceOf(ImprovementGlobalStoppingStrategy);
    expect((strategy as ImprovementGlobalStoppingStrategy).toJSON()).toEqual({
      type: "improvement",
      minTrials: 8,
      windowSize: 5,
      improvementBar: 0.05,
      inactiveWhenPendingTrials: true,
    });
    expect(config.schedulerOptions.totalTrials).toBe(20);
    expect(parse("").schedulerOptions.globalStoppingStrategy).toBeNull();
  });

  it("names the option at fault, with the strategy's own rule", () => {
    expect(problems("globalStopping: { type: improvement, windowSize: 1 }\n")).toEqual([
      "globalStopping.windowSize: must be an integer >= 2 (a window of one trial compares the best value with itself) (got 1)",
    ]);
    expect(problems("globalStopping: { type: improvement, improvementBar: -1 }\n")).toEqual([
      "globalStopping.improvementBar: must be a finite number >= 0 (e.g. 0.1) (got -1)",
    ]);
    expect(problems("globalStopping: { type: improvement, minTrials: 0 }\n")).toEqual([
      "globalStopping.minTrials: must be an integer >= 1 (completed trials before stopping is considered) (got 0)",
    ]);
  });

  it("refuses unknown types, unknown keys and values of the wrong type", () => {
    expect(problems("globalStopping: { type: improvment }\n")).toEqual([
      'globalStopping.type: must be "improvement" (got "improvment"); did you mean "improvement"?',
    ]);
    expect(problems("globalStopping: { type: improvement, windowsize: 3 }\n")).toEqual([
      'globalStopping.windowsize: unknown key; did you mean "windowSize"?',
    ]);
    expect(problems("globalStopping: { type: improvement, minTrials: many }\n")).toEqual([
      "globalStopping.minTrials: must be an integer (got a string)",
    ]);
    expect(problems("globalStopping: improvement\n")[0]).toMatch(
      /^globalStopping: must be an object such as/,
    );
    expect(problems("scheduler: { globalStoppingStrategy: x }\n")).toEqual([
      "scheduler.globalStoppingStrategy: unknown key; write globalStopping: { type: improvement, ... } at the top level of the file",
    ]);
  });

  it("is recorded with the run settings, so a resume stops by the same rule", () => {
    const config = parse(
      "scheduler: { totalTrials: 12 }\nglobalStopping: { type: improvement, windowSize: 4 }\n",
    );
    const experiment = config.createExperiment();
    recordRunSettings(experiment, config.file, config.schedulerOptions);
    // Through JSON, as the store keeps it.
    experiment.properties.ascentRun = JSON.parse(JSON.stringify(experiment.properties.ascentRun));
    const options = schedulerOptionsOf(storedRunSettings(experiment)!);
    expect((options.globalStoppingStrategy as ImprovementGlobalStoppingStrategy).windowSize).toBe(4);
    expect(options.totalTrials).toBe(12);
    const plain = parse("scheduler: { totalTrials: 12 }\n");
    const other = plain.createExperiment();
    recordRunSettings(other, plain.file, plain.schedulerOptions);
    expect(schedulerOptionsOf(storedRunSettings(other)!).globalStoppingStrategy).toBeNull();
  });
});
