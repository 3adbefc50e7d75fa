import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperimentConfig } from "../../../src/cli/config/index.js";
import { LogLevel, Scheduler, TrialStatus } from "../../../src/index.js";
import { Logger } from "../../../src/util/logger.js";
import { tempDir } from "../../support/temp-dir.js";
import { writeConfig } from "./config-fixtures.js";

const silent = new Logger({ name: "test", level: LogLevel.SILENT });

/** Runs a loaded config to the end with a Scheduler, as `ascent run` does, and reopens its store. */
async function runConfig(path: string) {
  const config = await loadExperimentConfig(path);
  const experiment = config.createExperiment({ runner: await config.createRunner() });
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: config.createGenerationStrategy(experiment, { logger: silent }),
    options: config.schedulerOptions,
    dbSettings: config.createDbSettings(),
    logger: silent,
  });
  await scheduler.runAllTrials();
  const store = await config.createDbSettings().openStore();
  try {
    const stored = await store.loadExperiment(config.name);
    if (!stored) throw new Error(`experiment ${config.name} was not stored`);
    return stored;
  } finally {
    await store.close();
  }
}

describe("a config file run by a Scheduler", () => {
  it("runs its command in the file's folder and stores every trial in SQLite next to the file", async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      "const [x, mode] = process.argv.slice(2);\n" +
        "console.log(JSON.stringify({ loss: (Number(x) - 0.3) ** 2, size: mode.length }));\n",
      "evaluate.mjs",
    );
    const path = writeConfig(
      dir,
      `name: quadratic
parameters:
  - { name: x, type: range, bounds: [0, 1] }
  - { name: mode, type: choice, values: [a, bb] }
objectives:
  loss: { minimize: true }
trackingMetrics: [size]
runner:
  type: command
  command: ["node", "evaluate.mjs", "{x}", "{mode}"]
  timeoutSeconds: 30
scheduler: { totalTrials: 3, maxParallelism: 3, initSecondsBetweenPolls: 0.05, minSecondsBeforePoll: 0 }
generationStrategy: [{ generator: sobol }]
seed: 1
`,
    );
    const stored = await runConfig(path);
    const trials = [...stored.trials.values()];
    expect(trials).toHaveLength(3);
    expect(trials.every((t) => t.status === TrialStatus.COMPLETED)).toBe(true);
    expect(stored.lookupData().filter({ metricNames: ["size"] }).rows).toHaveLength(3);
  });

  it("runs a function runner's module through the same path", async () => {
    const dir = tempDir();
    writeConfig(dir, "export default ({ x }) => ({ loss: Number(x) ** 2 });\n", "objective.mjs");
    const path = writeConfig(
      dir,
      `name: fn
parameters: [{ name: x, type: range, bounds: [-1, 1] }]
objectives: { loss: { minimize: true } }
runner: { type: function, module: objective.mjs }
scheduler: { totalTrials: 4, initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 }
storage: sqlite:./results/fn.db
`,
    );
    mkdirSync(join(dir, "results"));
    const stored = await runConfig(path);
    expect([...stored.trials.values()].map((t) => t.status)).toEqual(Array(4).fill(TrialStatus.COMPLETED));
  });
});
