// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax under test.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperimentConfig, parseExperimentConfig } from "../../../src/cli/config/index.js";
import { MultiObjective } from "../../../src/core/objective.js";
import { LogLevel } from "../../../src/index.js";
import { CommandRunner } from "../../../src/runners/command/index.js";
import { FunctionRunner } from "../../../src/runners/function/index.js";
import { QueueRunner } from "../../../src/runners/queue/index.js";
import { SqlStore } from "../../../src/storage/index.js";
import { Logger } from "../../../src/util/logger.js";
import { tempDir } from "../../support/temp-dir.js";
import { ISSUE_EXAMPLE, smallConfig, writeConfig } from "./config-fixtures.js";

const silent = new Logger({ name: "test", level: LogLevel.SILENT });

describe("loadExperimentConfig: the documented example", () => {
  it("reads every key of the example exactly as written", async () => {
    const dir = tempDir();
    const config = await loadExperimentConfig(writeConfig(dir, ISSUE_EXAMPLE));
    expect(config.name).toBe("cache_tuning");
    expect(config.file).toBe(join(dir, "experiment.yaml"));
    expect(config.baseDir).toBe(dir);
    expect(config.experimentOptions).toMatchObject({
      name: "cache_tuning",
      parameterConstraints: ["threads <= cacheMb"],
      objectives: { p99Ms: { minimize: true } },
      outcomeConstraints: ["memoryMb <= 2048"],
      trackingMetricNames: ["throughput"],
    });
    expect(config.seed).toBe(0);
    expect(config.storageUrl).toBe(`sqlite:${join(dir, "ascent.db")}`);
  });

  it("builds the experiment the example describes", async () => {
    const config = await loadExperimentConfig(writeConfig(tempDir(), ISSUE_EXAMPLE));
    const experiment = config.createExperiment();
    const space = experiment.searchSpace;
    expect(space.parameterNames).toEqual(["threads", "cacheMb", "policy", "warmup"]);
    expect(space.parameterConstraints.map((c) => c.toString())).toEqual(["threads <= cacheMb"]);
    expect(experiment.optimizationConfig?.objective.metricNames).toEqual(["p99Ms"]);
    expect(experiment.optimizationConfig?.outcomeConstraints.map((c) => c.toString())).toEqual([
      "memoryMb <= 2048",
    ]);
    expect(experiment.trackingMetrics.map((m) => m.name)).toEqual(["throughput"]);
  });

  it("builds a command runner that runs in the config file's folder", async () => {
    const dir = tempDir();
    const config = await loadExperimentConfig(writeConfig(dir, ISSUE_EXAMPLE));
    const runner = await config.createRunner();
    expect(runner).toBeInstanceOf(CommandRunner);
    expect((runner as CommandRunner).storedFields()).toMatchObject({
      command: ["node", "bench.mjs", "--threads", "{threads}"],
      cwd: dir,
      workDir: join(dir, "ascent-trials"),
      timeoutSeconds: 60,
    });
    expect(config.createExperiment({ runner }).runner).toBe(runner);
  });

  it("turns the scheduler section into SchedulerOptions, maxParallelism into maxPendingTrials", async () => {
    const config = await loadExperimentConfig(writeConfig(tempDir(), ISSUE_EXAMPLE));
    expect(config.schedulerOptions).toMatchObject({
      totalTrials: 30,
      maxPendingTrials: 2,
      toleratedTrialFailureRate: 0.5,
      ttlSecondsForTrials: 600,
    });
  });

  it("chooses the default strategy with the budget, the parallelism cap and the seed", async () => {
    const config = await loadExperimentConfig(writeConfig(tempDir(), ISSUE_EXAMPLE));
    const strategy = config.createGenerationStrategy(config.createExperiment(), { logger: silent });
    expect(strategy.name).toBe("Sobol+BoTorch");
    expect(strategy.seed).toBe(0);
    // 30 trials: at most a fifth of the budget (6) for initialization; the cap of 2 on the Sobol step.
    expect(strategy.steps.map((s) => [s.generatorName, s.numTrials, s.maxParallelism])).toEqual([
      ["Sobol", 6, 2],
      ["BoTorch", -1, 2],
    ]);
  });

  it("opens the SQLite store next to the config file only when asked", async () => {
    const dir = tempDir();
    const config = await loadExperimentConfig(writeConfig(dir, ISSUE_EXAMPLE));
    const settings = config.createDbSettings();
    expect(settings.dialect).toBe("sqlite");
    expect(existsSync(join(dir, "ascent.db"))).toBe(false);
    const store = await settings.openStore();
    expect(store).toBeInstanceOf(SqlStore);
    await store.close();
    expect(existsSync(join(dir, "ascent.db"))).toBe(true);
  });
});

describe("parseExperimentConfig", () => {
  it("reads JSON as well as YAML", async () => {
    const dir = tempDir();
    const json = JSON.stringify({
      name: "json_exp",
      parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
      objectives: { loss: { minimize: true } },
      runner: { type: "command", command: ["node", "e.mjs", "{x}"] },
    });
    const config = await loadExperimentConfig(writeConfig(dir, json, "experiment.json"));
    expect(config.name).toBe("json_exp");
    expect(config.storageUrl).toBe(`sqlite:${join(dir, "ascent.db")}`);
  });

  it("makes several objectives with thresholds a multi-objective experiment", () => {
    const text = smallConfig().replace(
      "loss: { minimize: true }",
      "loss: { minimize: true, threshold: 10 }\n  speed: { minimize: false, threshold: 2 }",
    );
    const experiment = parseExperimentConfig(text, { baseDir: tempDir() }).createExperiment();
    const config = experiment.optimizationConfig!;
    expect(config.objective).toBeInstanceOf(MultiObjective);
    expect(config.objectiveThresholds.map((t) => [t.metric.name, t.op, t.bound])).toEqual([
      ["loss", "LEQ", 10],
      ["speed", "GEQ", 2],
    ]);
  });

  it("builds explicit generation steps, the last one without limit", () => {
    const text = smallConfig(
      "generationStrategy: [{ generator: sobol, numTrials: 8 }, { generator: botorch }]\nseed: 7\n",
    );
    const config = parseExperimentConfig(text, { baseDir: tempDir() });
    const strategy = config.createGenerationStrategy(config.createExperiment());
    expect(strategy.steps.map((s) => [s.generatorName, s.numTrials])).toEqual([
      ["Sobol", 8],
      ["BoTorch", -1],
    ]);
    expect(strategy.seed).toBe(7);
  });

  it("resolves runner.cwd, runner.workDir, logFilepath and storage against the file's folder", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "data"));
    const text = smallConfig(
      "  cwd: .\n  workDir: out/trials\nscheduler: { logFilepath: logs/run.log, loggingLevel: WARNING }\nstorage: sqlite:data/exp.db\n",
    );
    const config = parseExperimentConfig(text, { baseDir: dir });
    expect(config.runner).toMatchObject({
      type: "command",
      options: { cwd: dir, workDir: join(dir, "out/trials") },
    });
    expect(config.schedulerOptions.logFilepath).toBe(join(dir, "logs/run.log"));
    expect(config.schedulerOptions.loggingLevel).toBe(LogLevel.WARNING);
    expect(config.storageUrl).toBe(`sqlite:${join(dir, "data/exp.db")}`);
  });

  it("keeps postgres URLs and absolute SQLite paths as written", () => {
    const base = { baseDir: tempDir() };
    const pg = parseExperimentConfig(smallConfig("storage: postgres://ascent@127.0.0.1:5432/test\n"), base);
    expect(pg.storageUrl).toBe("postgres://ascent@127.0.0.1:5432/test");
    expect(pg.createDbSettings().dialect).toBe("postgres");
    const abs = parseExperimentConfig(smallConfig("storage: sqlite:///var/tmp/x.db\n"), base);
    expect(abs.storageUrl).toBe("sqlite:/var/tmp/x.db");
  });

  it("expands ${VAR} in storage and runner from the given environment", () => {
    const text = smallConfig(
      '  env: { TOKEN: "${API_TOKEN}", LITERAL: "$${API_TOKEN}" }\nstorage: "postgres://app:${PGPASS}@db:5432/exp"\n',
    );
    const config = parseExperimentConfig(text, {
      baseDir: tempDir(),
      env: { API_TOKEN: "t0k3n", PGPASS: "s3cret" },
    });
    expect(config.runner).toMatchObject({ options: { env: { TOKEN: "t0k3n", LITERAL: "${API_TOKEN}" } } });
    expect(config.storageUrl).toBe("postgres://app:s3cret@db:5432/exp");
  });

  it("leaves ${VAR} outside storage and runner as written", () => {
    const text = smallConfig("description: costs ${DOLLARS}\n");
    const config = parseExperimentConfig(text, { baseDir: tempDir(), env: {} });
    expect(config.experimentOptions.description).toBe("costs ${DOLLARS}");
  });

  it("accepts trackingMetricNames, the Client's name, as well", () => {
    const config = parseExperimentConfig(smallConfig("trackingMetricNames: [speed]\n"), {
      baseDir: tempDir(),
    });
    expect(config.experimentOptions.trackingMetricNames).toEqual(["speed"]);
  });
});

describe("runner types", () => {
  it("loads a function runner's default export, relative to the config file", async () => {
    const dir = tempDir();
    writeConfig(dir, "export default ({ x }) => ({ loss: Number(x) ** 2 });\n", "evaluate.mjs");
    const text = smallConfig().replace(
      /runner:[\s\S]*$/,
      "runner: { type: function, module: ./evaluate.mjs }\n",
    );
    const config = await loadExperimentConfig(writeConfig(dir, text));
    const runner = await config.createRunner();
    expect(runner).toBeInstanceOf(FunctionRunner);
  });

  it("falls back to an export named evaluate, and takes a named export", async () => {
    const dir = tempDir();
    writeConfig(dir, "export function evaluate() { return 1; }\nexport const other = () => 2;\n", "f.mjs");
    const base = smallConfig().replace(/runner:[\s\S]*$/, "runner: { type: function, module: f.mjs }\n");
    const fallback = await loadExperimentConfig(writeConfig(dir, base));
    expect(await fallback.createRunner()).toBeInstanceOf(FunctionRunner);
    const named = base.replace("module: f.mjs", "module: f.mjs, export: other");
    const config = await loadExperimentConfig(writeConfig(dir, named, "named.yaml"));
    expect(await config.createRunner()).toBeInstanceOf(FunctionRunner);
  });

  it("prefers an export named evaluate to the default export, as ascent worker --module does", async () => {
    const dir = tempDir();
    writeConfig(dir, "export function evaluate() { return 1; }\nexport default () => 2;\n", "both.mjs");
    const text = smallConfig().replace(/runner:[\s\S]*$/, "runner: { type: function, module: both.mjs }\n");
    const runner = (await (
      await loadExperimentConfig(writeConfig(dir, text))
    ).createRunner()) as FunctionRunner;
    expect(runner.evaluate?.({}, {} as never)).toBe(1);
  });

  it("names the export to write when the module has no such function", async () => {
    const dir = tempDir();
    writeConfig(dir, "export const score = () => 1;\n", "g.mjs");
    const text = smallConfig().replace(
      /runner:[\s\S]*$/,
      "runner: { type: function, module: g.mjs, export: evalute }\n",
    );
    const config = await loadExperimentConfig(writeConfig(dir, text));
    await expect(config.createRunner()).rejects.toMatchObject({
      name: "ConfigError",
      problems: [{ path: "runner.export", message: expect.stringContaining("write export: score") }],
    });
  });

  it("builds a queue runner from redis and queueName without connecting during validation", async () => {
    const text = smallConfig().replace(
      /runner:[\s\S]*$/,
      "runner: { type: queue, redis: redis://127.0.0.1:6379, queueName: cfg-test, attempts: 2, jobTimeoutSeconds: 30 }\n",
    );
    const config = parseExperimentConfig(text, { baseDir: tempDir() });
    expect(config.runner).toEqual({
      type: "queue",
      options: {
        queueName: "cfg-test",
        connection: { url: "redis://127.0.0.1:6379" },
        attempts: 2,
        jobTimeoutSeconds: 30,
      },
    });
    const runner = (await config.createRunner()) as QueueRunner;
    expect(runner).toBeInstanceOf(QueueRunner);
    expect(runner.storedFields()).toMatchObject({
      queueName: "cfg-test",
      attempts: 2,
      jobTimeoutSeconds: 30,
    });
    await runner.close();
  });

  it("creates nothing on disk while validating a valid file", async () => {
    const dir = tempDir();
    await loadExperimentConfig(writeConfig(dir, ISSUE_EXAMPLE));
    expect(readdirSync(dir)).toEqual(["experiment.yaml"]);
  });
});
