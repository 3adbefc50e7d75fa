import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Experiment } from "../../src/core/experiment.js";
import { Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ParameterType } from "../../src/core/parameter-type.js";
import { RangeParameter } from "../../src/core/range-parameter.js";
import { ResultMetric } from "../../src/core/result-metric.js";
import type { Runner } from "../../src/core/runner.js";
import { SearchSpace } from "../../src/core/search-space.js";
import { FunctionRunnerError } from "../../src/errors.js";
import { CommandRunner } from "../../src/runners/command/index.js";
import { FunctionRunner } from "../../src/runners/function/index.js";
import { QueueRunner } from "../../src/runners/queue/index.js";
import { registerBuiltInRunners } from "../../src/service/builtin-runners.js";
import { isRunnerRegistered, unregisterRunner } from "../../src/storage/codec/index.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";

function experimentWith(name: string, runner: Runner): Experiment {
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: [new RangeParameter({ name: "x", parameterType: ParameterType.FLOAT, lower: 0, upper: 1 })],
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ResultMetric({ name: "loss" }), minimize: true }),
    }),
    runner,
  });
}

const NAMES = ["FunctionRunner", "CommandRunner", "QueueRunner"];

/** The experiment's definition as the SQLite file holds it (read with a connection of its own). */
function storedDefinition(name: string): string {
  const db = new Database(join(dir, "ascent.db"), { readonly: true });
  try {
    const row = db.prepare("SELECT definition FROM ascent_experiments WHERE name = ?").get(name) as {
      definition: string;
    };
    return row.definition;
  } finally {
    db.close();
  }
}
let store: SqlStore;
const dir = mkdtempSync(join(tmpdir(), "ascent-builtin-"));

beforeAll(async () => {
  for (const name of NAMES) unregisterRunner(name);
  store = await SqlStore.openSqlite({ path: join(dir, "ascent.db") });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  registerBuiltInRunners();
});

describe("registerBuiltInRunners", () => {
  it("registers the three built-in runners once, whatever the number of calls", () => {
    expect(NAMES.map(isRunnerRegistered)).toEqual([false, false, false]);
    registerBuiltInRunners();
    registerBuiltInRunners();
    expect(NAMES.map(isRunnerRegistered)).toEqual([true, true, true]);
  });

  it("stores a CommandRunner as its command and settings and rebuilds it from them", async () => {
    registerBuiltInRunners();
    const runner = new CommandRunner({
      command: ["node", "train.mjs", "--lr", "{x}"],
      cwd: "/tmp",
      timeoutSeconds: 30,
      env: { API_TOKEN: "secret-value" },
    });
    await store.saveExperiment(experimentWith("stored_command", runner));
    const loaded = (await store.loadExperiment("stored_command"))!;
    expect(loaded.runner).toBeInstanceOf(CommandRunner);
    expect((loaded.runner as CommandRunner).storedFields()).toEqual(runner.storedFields());
    expect(storedDefinition("stored_command")).toContain("API_TOKEN");
    expect(storedDefinition("stored_command")).not.toContain("secret-value");
  });

  it("stores a QueueRunner without the password of its Redis URL", async () => {
    registerBuiltInRunners();
    const runner = new QueueRunner({
      connection: { url: "redis://user:hunter2@127.0.0.1:6379/0" },
      queueName: "q1",
    });
    await store.saveExperiment(experimentWith("stored_queue", runner));
    const loaded = (await store.loadExperiment("stored_queue"))!;
    expect(loaded.runner).toBeInstanceOf(QueueRunner);
    expect((loaded.runner as QueueRunner).queueName).toBe("q1");
    expect(storedDefinition("stored_queue")).toContain("127.0.0.1:6379");
    expect(storedDefinition("stored_queue")).not.toContain("hunter2");
  });

  it("stores a FunctionRunner without its function; the rebuilt one refuses to run and says how to resume", async () => {
    registerBuiltInRunners();
    await store.saveExperiment(experimentWith("stored_function", new FunctionRunner(() => 1)));
    const loaded = (await store.loadExperiment("stored_function"))!;
    expect(loaded.runner).toBeInstanceOf(FunctionRunner);
    expect((loaded.runner as FunctionRunner).evaluate).toBeNull();
    const trial = loaded.newTrial();
    await expect((loaded.runner as FunctionRunner).run(trial)).rejects.toThrow(FunctionRunnerError);
  });
});
