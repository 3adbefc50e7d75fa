import { describe, expect, it } from "vitest";
import { Data, ResultMetric, TrialStatus } from "../../src/core/index.js";
import {
  ClientError,
  DataError,
  MaxParallelismReachedError,
  OptimizationConfigError,
  ParameterConstraintError,
  SearchSpaceError,
  SearchSpaceExhaustedError,
} from "../../src/errors.js";
import { GenerationStep, GenerationStrategy, Generators } from "../../src/generation/index.js";
import { Client, type CreateExperimentOptions, type RawData } from "../../src/service/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { FakeClock } from "../../src/util/clock.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { stateOf } from "../contracts/store-contract-fixtures.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

const braninExperiment: CreateExperimentOptions = {
  name: "branin",
  parameters: [
    { name: "x1", type: "range", bounds: [-5, 10], valueType: "float" },
    { name: "x2", type: "range", bounds: [0, 15] },
    { name: "kind", type: "choice", values: ["a", "b"], isOrdered: false },
    { name: "n", type: "range", bounds: [1, 64], valueType: "int", logScale: true },
  ],
  objectives: { branin: { minimize: true } },
  outcomeConstraints: ["cost <= 10"],
};

async function braninClient(options: { store?: MemoryStore; maxParallelismCap?: number } = {}) {
  const store = options.store ?? new MemoryStore();
  const client = new Client({ seed: 0, store, logger: quiet() });
  await client.createExperiment({ ...braninExperiment, maxParallelismCap: options.maxParallelismCap });
  return { client, store };
}

/** Statuses, data and store writes: what a refused call must leave alone. */
function snapshot(client: Client, store: MemoryStore) {
  const e = client.experiment;
  return {
    statuses: [...e.trials.values()].map((t) => t.status),
    data: e.lookupData().rows,
    writes: store.writeCount(e.name),
  };
}

describe("Client: the ask/tell flow", () => {
  it("runs the README flow", async () => {
    const client = new Client({ seed: 0 });
    await client.createExperiment({
      name: "branin",
      parameters: [
        { name: "x1", type: "range", bounds: [-5, 10], valueType: "float" },
        { name: "x2", type: "range", bounds: [0, 15] },
        { name: "kind", type: "choice", values: ["a", "b"], isOrdered: false },
        { name: "n", type: "range", bounds: [1, 64], valueType: "int", logScale: true },
      ],
      objectives: { branin: { minimize: true } },
      outcomeConstraints: ["cost <= 10"],
    });
    const { trialIndex, parameters } = await client.getNextTrial();
    expect(trialIndex).toBe(0);
    expect(client.experiment.searchSpace.checkMembership(parameters)).toBe(true);
    expect(Object.keys(parameters).sort()).toEqual(["kind", "n", "x1", "x2"]);
    expect(["a", "b"]).toContain(parameters.kind);
    expect(Number.isInteger(parameters.n)).toBe(true);
    expect(parameters.n).toBeGreaterThanOrEqual(1);
    expect(parameters.n).toBeLessThanOrEqual(64);
    expect(parameters.x1).toBeGreaterThanOrEqual(-5);
    expect(parameters.x1).toBeLessThanOrEqual(10);
    expect(client.getTrial(0).status).toBe(TrialStatus.RUNNING);
    expect(client.getTrial(0).generatorName).toBe("Sobol");

    await client.completeTrial(trialIndex, { branin: 1.5, cost: [3.2, 0.1] });
    expect(client.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(client.experiment.lookupTrialData(0).rows).toEqual([
      { trialIndex: 0, armName: "0_0", metricName: "branin", mean: 1.5, sem: null },
      { trialIndex: 0, armName: "0_0", metricName: "cost", mean: 3.2, sem: 0.1 },
    ]);

    const best = await client.getBestParameters();
    expect(best).toEqual({
      trialIndex: 0,
      parameters,
      values: { branin: 1.5, cost: 3.2 },
      rule: "observed",
      reason: "no model yet (the strategy has not reached Bayesian optimization): the best observation",
    });
  });

  it("builds the experiment from the specs, with ResultMetric metrics", async () => {
    const { client } = await braninClient();
    const e = client.experiment;
    expect(e.searchSpace.parameterNames).toEqual(["x1", "x2", "kind", "n"]);
    expect(e.searchSpace.getParameter("x2").parameterType).toBe("FLOAT");
    expect(e.searchSpace.getParameter("n").parameterType).toBe("INT");
    expect(e.optimizationConfig?.toString()).toBe("minimize branin subject to cost <= 10");
    expect(e.metrics.every((m) => m instanceof ResultMetric)).toBe(true);
    expect(client.generationStrategy.currentGeneratorName).toBe("Sobol");
    expect(client.generationStrategy.name).toBe("Sobol+BoTorch");
  });

  it("takes description, isTest, tracking metrics and parameter constraints", async () => {
    const client = new Client({ seed: 3, logger: quiet() });
    const e = await client.createExperiment({
      name: "constrained",
      parameters: [
        { name: "x1", type: "range", bounds: [0, 10] },
        { name: "x2", type: "range", bounds: [0, 10] },
      ],
      parameterConstraints: ["x1 + x2 <= 10", "x1 <= x2"],
      objectives: { y: { minimize: false } },
      trackingMetricNames: ["memory"],
      description: "a test",
      isTest: true,
    });
    expect(e).toBe(client.experiment);
    expect(e).toMatchObject({ description: "a test", isTest: true });
    expect(e.trackingMetrics.map((m) => m.name)).toEqual(["memory"]);
    for (const { parameters } of await client.getNextTrials(8)) {
      expect(Number(parameters.x1) + Number(parameters.x2)).toBeLessThanOrEqual(10 + 1e-9);
      expect(Number(parameters.x1)).toBeLessThanOrEqual(Number(parameters.x2));
    }
    await client.completeTrial(0, { y: 1, memory: [5, null] });
    expect(client.experiment.lookupTrialData(0).metricNames).toEqual(["y", "memory"]);
  });

  it("saves the experiment, each trial, each data row and the strategy state", async () => {
    const { client, store } = await braninClient();
    expect(stateOf((await store.loadExperiment("branin"))!)).toEqual(stateOf(client.experiment));
    expect(await store.loadGenerationState("branin")).toMatchObject({ name: "Sobol+BoTorch" });
    await client.getNextTrial();
    expect(store.savedTrial("branin", 0)?.status).toBe("RUNNING");
    const writes = store.writeCount("branin");
    await client.completeTrial(0, { branin: 1, cost: 2 });
    expect(store.savedTrial("branin", 0)?.status).toBe("COMPLETED");
    expect(store.savedDataRowCount("branin")).toBe(2);
    expect(store.writeCount("branin")).toBe(writes + 3); // one trial, two rows
  });

  it("uses the injected clock and logger", async () => {
    const clock = new FakeClock(Date.UTC(2030, 0, 1));
    const lines: string[] = [];
    const logger = new Logger({ name: "client", sink: (line) => lines.push(line) });
    const client = new Client({ seed: 0, clock, logger });
    await client.createExperiment(braninExperiment);
    clock.advance(5000);
    await client.getNextTrial();
    expect(client.getTrial(0).timeRunStarted).toBe(Date.UTC(2030, 0, 1) + 5000);
    await client.completeTrial(0, 2);
    expect(lines.some((l) => l.includes("Generated new trial 0"))).toBe(true);
    expect(lines.some((l) => l.includes("Completed trial 0 with data: branin: (2, unknown sem)"))).toBe(true);
  });

  it("logs INFO lines only with verboseLogging", async () => {
    const lines: string[] = [];
    const capture = (line: unknown): void => {
      lines.push(String(line));
    };
    const original = console.log;
    console.log = capture;
    try {
      const client = new Client({ seed: 0, verboseLogging: false });
      await client.createExperiment(braninExperiment);
      await client.getNextTrial();
    } finally {
      console.log = original;
    }
    expect(lines.filter((l) => l.includes("ascent."))).toEqual([]);
  });
});

describe("Client: generation", () => {
  it("is deterministic under a seed, and another seed gives other trials", async () => {
    const run = async (seed: number) => {
      const client = new Client({ seed, logger: quiet() });
      await client.createExperiment({
        name: "branin10",
        parameters: [
          { name: "x1", type: "range", bounds: [-5, 10] },
          { name: "x2", type: "range", bounds: [0, 15] },
        ],
        objectives: { branin: { minimize: true } },
      });
      const values: number[] = [];
      const points: unknown[] = [];
      for (let i = 0; i < 10; i++) {
        const { trialIndex, parameters } = await client.getNextTrial();
        const x1 = Number(parameters.x1);
        const x2 = Number(parameters.x2);
        expect(x1).toBeGreaterThanOrEqual(-5);
        expect(x1).toBeLessThanOrEqual(10);
        expect(x2).toBeGreaterThanOrEqual(0);
        expect(x2).toBeLessThanOrEqual(15);
        const y = branin(x1, x2);
        values.push(y);
        points.push(parameters);
        await client.completeTrial(trialIndex, y);
      }
      const generators = client.getTrialsTable().map((r) => r.generatorModel);
      return { points, values, generators, best: await client.getBestParameters() };
    };
    const a = await run(0);
    const again = await run(0);
    const other = await run(1);
    expect(a.generators).toEqual([...Array(5).fill("Sobol"), ...Array(5).fill("BoTorch")]);
    expect(again.points).toEqual(a.points);
    expect(other.points).not.toEqual(a.points);
    expect(a.best?.values.branin).toBe(Math.min(...a.values));
    // The best is the arm of the lowest value, and it came from Bayesian optimization, after Sobol.
    const bestIndex = a.values.indexOf(Math.min(...a.values));
    expect(a.best?.trialIndex).toBe(bestIndex);
    expect(a.best?.parameters).toEqual(a.points[bestIndex]);
    expect(a.generators[bestIndex]).toBe("BoTorch");
  });

  it("chooses Sobol then Bayesian optimization by default, for several objectives too", async () => {
    const lines: string[] = [];
    const logger = new Logger({ name: "test", sink: (line) => lines.push(line) });
    const client = new Client({ seed: 0, logger });
    await client.createExperiment(braninExperiment);
    expect(client.generationStrategy.toString()).toBe(
      "GenerationStrategy(name='Sobol+BoTorch', steps=[Sobol for 8 trials, BoTorch for subsequent trials])",
    );
    expect(client.generationStrategy.steps.map((s) => s.maxParallelism)).toEqual([null, 3]);
    expect(lines.some((l) => l.includes("Using Bayesian Optimization generation strategy"))).toBe(true);

    const moo = new Client({ seed: 0, logger });
    await moo.createExperiment({
      ...braninExperiment,
      name: "moo",
      objectives: { branin: { minimize: true }, speed: { minimize: false } },
    });
    expect(moo.generationStrategy.name).toBe("Sobol+BoTorch");
    expect(lines.at(-2)).toContain("Using Bayesian Optimization generation strategy");
  });

  it("passes chooseGenerationStrategyOptions on (Ax's choose_generation_strategy_kwargs)", async () => {
    const client = new Client({ seed: 4, logger: quiet() });
    await client.createExperiment({
      ...braninExperiment,
      maxParallelismCap: 2,
      chooseGenerationStrategyOptions: { numInitializationTrials: 3, maxParallelismCap: 5 },
    });
    const gs = client.generationStrategy;
    expect(gs.seed).toBe(4);
    expect(gs.steps.map((s) => [s.generatorName, s.numTrials, s.maxParallelism])).toEqual([
      ["Sobol", 3, 5],
      ["BoTorch", -1, 3],
    ]);
    const random = new Client({ logger: quiet() });
    await random.createExperiment({
      ...braninExperiment,
      chooseGenerationStrategyOptions: { forceRandomSearch: true },
    });
    expect(random.generationStrategy.name).toBe("Sobol");
  });

  it("getNextTrials returns an array and stops at max parallelism", async () => {
    const { client } = await braninClient({ maxParallelismCap: 3 });
    const trials = await client.getNextTrials(5);
    expect(trials.map((t) => t.trialIndex)).toEqual([0, 1, 2]);
    expect(new Set(trials.map((t) => JSON.stringify(t.parameters))).size).toBe(3);
    expect(client.experiment.runningTrials).toHaveLength(3);
    await expect(client.getNextTrial()).rejects.toThrow(MaxParallelismReachedError);
    expect(await client.getNextTrials(2)).toEqual([]);
    await client.completeTrial(1, { branin: 1 });
    expect((await client.getNextTrials(2)).map((t) => t.trialIndex)).toEqual([3]);
    await expect(client.getNextTrials(0)).rejects.toThrow(ClientError);
    await expect(client.getNextTrials(1.5)).rejects.toThrow(ClientError);
  });

  it("getNextTrials stops when a discrete search space is exhausted", async () => {
    const client = new Client({ seed: 0, logger: quiet() });
    await client.createExperiment({
      name: "tiny",
      parameters: [
        { name: "kind", type: "choice", values: ["a", "b", "c"] },
        { name: "mode", type: "fixed", value: "fast" },
      ],
      objectives: { y: { minimize: true } },
    });
    const trials = await client.getNextTrials(10);
    expect(trials.map((t) => t.parameters.kind).sort()).toEqual(["a", "b", "c"]);
    expect(trials.every((t) => t.parameters.mode === "fast")).toBe(true);
    await expect(client.getNextTrial()).rejects.toThrow(SearchSpaceExhaustedError);
  });

  it("serializes concurrent calls so each generation sees the earlier trials", async () => {
    const { client } = await braninClient();
    const trials = await Promise.all([client.getNextTrial(), client.getNextTrial(), client.getNextTrial()]);
    expect(trials.map((t) => t.trialIndex).sort()).toEqual([0, 1, 2]);
    expect(new Set(trials.map((t) => JSON.stringify(t.parameters))).size).toBe(3);
  });

  it("uses a generation strategy given to the constructor", async () => {
    const generationStrategy = new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: 2 })],
      seed: 7,
    });
    const client = new Client({ generationStrategy, logger: quiet() });
    expect(client.generationStrategy).toBe(generationStrategy);
    await client.createExperiment(braninExperiment);
    expect(client.generationStrategy).toBe(generationStrategy);
    expect(await client.getNextTrials(5)).toHaveLength(2);
  });
});

describe("Client: completeTrial refuses bad input and changes nothing", () => {
  const cases: [string, number, RawData, typeof ClientError | typeof DataError, RegExp][] = [
    ["an unknown trial", 7, { branin: 1 }, ClientError, /no such trial \(indices 0 to 2\)/],
    ["a non-integer trial index", 0.5, { branin: 1 }, ClientError, /no such trial/],
    ["an already completed trial", 0, { branin: 1 }, ClientError, /already COMPLETED/],
    ["a failed trial", 2, { branin: 1 }, ClientError, /is FAILED; only RUNNING trials/],
    ["an unknown metric", 1, { branin: 1, latency: 3 }, DataError, /Trial 1: unknown metric "latency"/],
    ["a missing objective", 1, { cost: 3 }, DataError, /Trial 1: no value for objective "branin"/],
    ["a NaN mean", 1, { branin: 1, cost: Number.NaN }, DataError, /Trial 1, metric "cost": the mean/],
    ["a negative sem", 1, { branin: [1, -0.1] }, DataError, /Trial 1, metric "branin": the sem/],
    ["an infinite bare number", 1, Number.POSITIVE_INFINITY, DataError, /Trial 1, metric "branin"/],
  ];

  it.each(cases)("refuses %s", async (_what, trialIndex, raw, errorClass, message) => {
    const { client, store } = await braninClient();
    await client.getNextTrials(3);
    await client.completeTrial(0, { branin: 5, cost: 1 });
    await client.logTrialFailure(2, "crashed");
    const before = snapshot(client, store);
    const error = await client.completeTrial(trialIndex, raw).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(message);
    expect(snapshot(client, store)).toEqual(before);
    expect(before.statuses).toEqual(["COMPLETED", "RUNNING", "FAILED"]);
  });

  it("names the trial and metric on the DataError", async () => {
    const { client } = await braninClient();
    await client.getNextTrial();
    const error = await client.completeTrial(0, { branin: Number.NaN }).catch((e: unknown) => e);
    expect(error).toMatchObject({ trialIndex: 0, metricName: "branin" });
  });

  it("asks for named metrics with several objectives", async () => {
    const client = new Client({ seed: 0, logger: quiet() });
    await client.createExperiment({
      ...braninExperiment,
      objectives: { branin: { minimize: true }, speed: { minimize: false, threshold: 2 } },
    });
    await client.getNextTrial();
    await expect(client.completeTrial(0, 1.5)).rejects.toThrow(/only for a single objective/);
    await client.completeTrial(0, { branin: 1, speed: 3 });
    await expect(client.getBestParameters()).rejects.toThrow(OptimizationConfigError);
    await expect(client.getBestParameters()).rejects.toThrow(/Pareto frontier/);
  });
});

describe("Client: failures, abandonment and attached trials", () => {
  it("logs failures and abandons trials, with reasons in the table", async () => {
    const { client, store } = await braninClient();
    await client.getNextTrials(3);
    await client.logTrialFailure(0, "segfault");
    await client.abandonTrial(1);
    expect(client.getTrial(0)).toMatchObject({ status: "FAILED", failureReason: "segfault" });
    expect(client.getTrial(1)).toMatchObject({ status: "ABANDONED", failureReason: null });
    expect(store.savedTrial("branin", 0)?.status).toBe("FAILED");
    expect(client.getTrialsTable()[0]).toMatchObject({ trialStatus: "FAILED", failureReason: "segfault" });
    await expect(client.logTrialFailure(0)).rejects.toThrow(/already ended as FAILED/);
    await expect(client.abandonTrial(1)).rejects.toThrow(ClientError);
    await expect(client.abandonTrial(9)).rejects.toThrow(ClientError);
    await client.completeTrial(2, { branin: 1 });
    await expect(client.abandonTrial(2)).rejects.toThrow(/already ended as COMPLETED/);
    expect(client.getTrial(2).status).toBe("COMPLETED");
  });

  it("attaches a user-chosen trial, cast and marked RUNNING by generator Manual", async () => {
    const { client, store } = await braninClient();
    const attached = await client.attachTrial({ x1: "2.5", x2: 3, kind: "b", n: "8" });
    expect(attached).toEqual({ trialIndex: 0, parameters: { x1: 2.5, x2: 3, kind: "b", n: 8 } });
    expect(client.getTrial(0)).toMatchObject({ status: "RUNNING", generatorName: "Manual" });
    expect(store.savedTrial("branin", 0)?.status).toBe("RUNNING");
    expect(client.getTrialsTable()[0]).toMatchObject({ generatorModel: "Manual", x1: 2.5, n: 8 });
    await client.completeTrial(0, { branin: 0.5, cost: 1 });
    expect(await client.getBestParameters()).toMatchObject({
      trialIndex: 0,
      parameters: attached.parameters,
    });
    expect((await client.getNextTrial()).trialIndex).toBe(1);
  });

  it.each([
    [{ x1: 11, x2: 3, kind: "a", n: 8 }, /"x1" = 11 is not FLOAT in \[-5, 10\]/, "x1"],
    [{ x1: 1, x2: 3, kind: "c", n: 8 }, /"kind"/, "kind"],
    [{ x1: 1, x2: 3, kind: "a", n: 100 }, /"n" = 100/, "n"],
    [{ x1: 1, x2: 3, kind: "a" }, /"n" is missing/, "n"],
    [{ x1: 1, x2: 3, kind: "a", n: 8, extra: 1 }, /Unknown parameter "extra"/, "extra"],
    [{ x1: "one", x2: 3, kind: "a", n: 8 }, /expects a value of type FLOAT/, "x1"],
    [{ x1: 1, x2: 3, kind: "a", n: 8.2 }, /"n" is an integer parameter, got 8.2/, "n"],
    [{ x1: 1, x2: 3, kind: "a", n: "7.5" }, /"n" is an integer parameter, got "7.5"/, "n"],
  ])(
    "refuses to attach %j with a SearchSpaceError and adds no trial",
    async (parameters, message, parameter) => {
      const { client, store } = await braninClient();
      const writes = store.writeCount("branin");
      const error = await client.attachTrial(parameters).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SearchSpaceError);
      expect((error as Error).message).toMatch(message);
      expect((error as SearchSpaceError).parameter).toBe(parameter);
      expect(client.experiment.numTrials).toBe(0);
      expect(store.writeCount("branin")).toBe(writes);
    },
  );
});

describe("Client: best parameters", () => {
  /** Attaches trials at x1 = 0..11 and reports branin = f(i) and cost = g(i). */
  async function scored(minimize: boolean) {
    const client = new Client({ seed: 0, logger: quiet() });
    await client.createExperiment({
      ...braninExperiment,
      objectives: { branin: { minimize } },
      outcomeConstraints: ["cost <= 10", "qps >= 100", "latency <= 5%"],
    });
    const objective = [5, 0.1, 3, 9, 2.5, 12, 4, 1, 7, 0.5, 11, 2];
    const cost = [1, 20, 2, 3, 10, 11, 5, 12, 4, 3, 30, 1];
    const qps = [150, 150, 150, 150, 100, 150, 150, 150, 150, 99, 150, 150];
    for (let i = 0; i < objective.length; i++) {
      const { trialIndex } = await client.attachTrial({ x1: i - 5, x2: 1, kind: "a", n: 1 });
      await client.completeTrial(trialIndex, {
        branin: objective[i]!,
        cost: [cost[i]!, 0.1],
        qps: qps[i]!,
        latency: 50, // relative: ignored without a status quo
      });
    }
    // A better trial that is still RUNNING (data attached directly) does not count, nor once FAILED.
    const running = await client.attachTrial({ x1: 9, x2: 1, kind: "b", n: 2 });
    const rows = { branin: minimize ? -100 : 100, cost: 1, qps: 1000 };
    client.experiment.attachData(
      Data.fromRows(
        Object.entries(rows).map(([metricName, mean]) => ({
          trialIndex: running.trialIndex,
          armName: "12_0",
          metricName,
          mean,
          sem: null,
        })),
      ),
    );
    return client;
  }

  it("picks the best feasible trial when minimizing", async () => {
    const client = await scored(true);
    // Feasible: 0 (5), 2 (3), 3 (9), 4 (2.5, on both bounds), 6 (4), 8 (7), 11 (2).
    expect(await client.getBestParameters()).toEqual({
      trialIndex: 11,
      parameters: { x1: 6, x2: 1, kind: "a", n: 1 },
      values: { branin: 2, cost: 1, qps: 150, latency: 50 },
      rule: "observed",
      reason: "no model yet (the strategy has not reached Bayesian optimization): the best observation",
    });
  });

  it("picks the best feasible trial when maximizing", async () => {
    const client = await scored(false);
    await client.logTrialFailure(12);
    expect(await client.getBestParameters()).toMatchObject({ trialIndex: 3, values: { branin: 9 } });
  });

  it("is null before any feasible completed trial", async () => {
    const { client } = await braninClient();
    expect(await client.getBestParameters()).toBeNull();
    await client.getNextTrial();
    expect(await client.getBestParameters()).toBeNull();
    await client.completeTrial(0, { branin: 1, cost: 11 });
    expect(await client.getBestParameters()).toBeNull();
  });
});

describe("Client: the trials table", () => {
  it("has metric columns first, then trial, arm, parameters, status and generator", async () => {
    const { client } = await braninClient();
    await client.getNextTrials(2);
    await client.completeTrial(0, { branin: 1.5, cost: [3.2, 0.1] });
    const rows = client.getTrialsTable();
    expect(Object.keys(rows[0]!)).toEqual([
      "branin",
      "cost",
      "trialIndex",
      "armName",
      "x1",
      "x2",
      "kind",
      "n",
      "trialStatus",
      "generatorModel",
    ]);
    expect(rows[0]).toMatchObject({
      branin: 1.5,
      cost: 3.2,
      trialStatus: "COMPLETED",
      generatorModel: "Sobol",
    });
    expect(rows[1]).toMatchObject({
      branin: undefined,
      trialIndex: 1,
      armName: "1_0",
      trialStatus: "RUNNING",
    });
  });
});

describe("Client: misuse", () => {
  it("refuses every call before createExperiment with a ClientError", async () => {
    const client = new Client({ logger: quiet() });
    expect(() => client.experiment).toThrow(/call createExperiment/);
    expect(() => client.generationStrategy).toThrow(ClientError);
    expect(() => client.getTrialsTable()).toThrow(ClientError);
    expect(() => client.getTrial(0)).toThrow(ClientError);
    await expect(client.getNextTrial()).rejects.toThrow(ClientError);
    await expect(client.getNextTrials(2)).rejects.toThrow(ClientError);
    await expect(client.completeTrial(0, 1)).rejects.toThrow(ClientError);
    await expect(client.logTrialFailure(0)).rejects.toThrow(ClientError);
    await expect(client.abandonTrial(0)).rejects.toThrow(ClientError);
    await expect(client.attachTrial({ x: 1 })).rejects.toThrow(ClientError);
    await expect(client.getBestParameters()).rejects.toThrow(ClientError);
  });

  it.each([
    [{ parameters: [{ name: "x", type: "range", bounds: [1, 0] }] }, SearchSpaceError, /"x"/],
    [
      { parameters: [{ name: "x", type: "range", bounds: [0, 1], log_scale: true }] },
      SearchSpaceError,
      /logScale/,
    ],
    [{ parameters: [{ name: "x", type: "interval", bounds: [0, 1] }] }, SearchSpaceError, /type must be/],
    [{ parameterConstraints: ["x1 + y <= 3"] }, ParameterConstraintError, /unknown parameter "y"/],
    [{ objectives: {} }, OptimizationConfigError, /objectives is empty/],
    [
      { objectives: { branin: { minimize: "yes" } } },
      OptimizationConfigError,
      /minimize must be true or false/,
    ],
    [{ outcomeConstraints: ["cost < 10"] }, OptimizationConfigError, /only <= and >=/],
    [{ outcomeConstraints: ["branin <= 10"] }, OptimizationConfigError, /objective metric "branin"/],
    [{ name: "" }, ClientError, /non-empty name/],
  ])("refuses createExperiment(%j) and keeps no experiment", async (override, errorClass, message) => {
    const store = new MemoryStore();
    const client = new Client({ store, logger: quiet() });
    const options = { ...braninExperiment, ...override } as unknown as CreateExperimentOptions;
    const error = await client.createExperiment(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message).toMatch(message);
    expect(() => client.experiment).toThrow(ClientError);
    expect(await store.listExperiments()).toEqual([]);
  });

  it("refuses a second experiment or a stored name unless overwriteExisting", async () => {
    const { client, store } = await braninClient();
    await client.getNextTrial();
    await expect(client.createExperiment({ ...braninExperiment, name: "other" })).rejects.toThrow(
      /already has experiment "branin"/,
    );
    const second = new Client({ store, logger: quiet() });
    await expect(second.createExperiment(braninExperiment)).rejects.toThrow(
      /store already has an experiment/,
    );
    const replaced = await second.createExperiment({ ...braninExperiment, overwriteExisting: true });
    expect(replaced.numTrials).toBe(0);
    expect(stateOf((await store.loadExperiment("branin"))!)).toEqual(stateOf(replaced));
    expect(store.savedTrial("branin", 0)).toBeUndefined();
    const replacedAgain = await client.createExperiment({ ...braninExperiment, overwriteExisting: true });
    expect(client.experiment).toBe(replacedAgain);
  });

  it("refuses to overwrite when a given strategy has already generated trials", async () => {
    const generationStrategy = new GenerationStrategy({
      steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
    });
    const client = new Client({ generationStrategy, logger: quiet() });
    await client.createExperiment(braninExperiment);
    await client.createExperiment({ ...braninExperiment, overwriteExisting: true });
    await client.getNextTrial();
    await expect(client.createExperiment({ ...braninExperiment, overwriteExisting: true })).rejects.toThrow(
      /new GenerationStrategy/,
    );
  });
});

function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

describe("Client.load", () => {
  it("refuses a missing or misnamed experimentName, naming the key to use", async () => {
    const store = new MemoryStore();
    for (const options of [
      { name: "e", store },
      { experimentName: "", store },
    ]) {
      const error = await Client.load(options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClientError);
      expect((error as Error).message).toMatch(/^Client\.load needs experimentName/);
    }
  });
});
