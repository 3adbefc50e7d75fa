import { beforeAll, describe, expect, it } from "vitest";
import type { BaseTrial, RunMetadata } from "../../src/core/base-trial.js";
import { Data, type DataRow } from "../../src/core/data.js";
import type { ExperimentStore } from "../../src/core/experiment-store.js";
import { Objective } from "../../src/core/objective.js";
import { OptimizationConfig } from "../../src/core/optimization-config.js";
import { ComparisonOp, OutcomeConstraint } from "../../src/core/outcome-constraint.js";
import { TrialStatus } from "../../src/core/trial-status.js";
import { FailureRateExceededError, RunMetadataError } from "../../src/errors.js";
import {
  GenerationStep,
  GenerationStrategy,
  type GenerationStrategyState,
  Generators,
} from "../../src/generation/index.js";
import { SchedulerOptions } from "../../src/scheduler/index.js";
import { checkRunMetadata } from "../../src/scheduler/run-metadata-check.js";
import { registerMetric, registerRunner } from "../../src/storage/codec/index.js";
import {
  BraninMetric,
  CapableJobRunner,
  FakeJobQueue,
  JobRunner,
  MockJobQueueScheduler,
  makeFixture,
  messages,
  sobolStrategy,
} from "./fixtures.js";
import { postgresStore, registerFixtureClasses, sqliteStore, statusesOf } from "./stored-fixtures.js";

/** Each save behaviour is tested against both real stores, and with and without suppressed errors. */
const SAVE_CASES = [
  { suppress: false, backend: "SQLite", openStore: sqliteStore },
  { suppress: true, backend: "PostgreSQL", openStore: postgresStore },
] as const;

const FAST = { initSecondsBetweenPolls: 0, minSecondsBeforePoll: 0 } as const;

beforeAll(() => {
  registerFixtureClasses();
  registerMetric(MischievousMetric, {
    encode: (m) => ({ name: m.name }),
    decode: (fields) => new MischievousMetric({ name: String(fields.name) }),
  });
  registerRunner(BadMetadataRunner, {
    encode: () => ({}),
    decode: () => new BadMetadataRunner(new FakeJobQueue()),
  });
  registerRunner(BadMetadataStoppingRunner, {
    encode: () => ({}),
    decode: () => new BadMetadataStoppingRunner(new FakeJobQueue()),
  });
});

/** A runner that can stop jobs and returns a BigInt in the run metadata of chosen trials. */
class BadMetadataStoppingRunner extends CapableJobRunner {
  readonly bad = new Set<number>();
  override async run(trial: BaseTrial): Promise<RunMetadata> {
    const good = await super.run(trial);
    return (this.bad.has(trial.index) ? { ...good, handle: 10n } : good) as RunMetadata;
  }
}

/** A runner that returns a value JSON cannot hold in the run metadata of chosen trials. */
class BadMetadataRunner extends JobRunner {
  readonly bad = new Map<number, () => unknown>();
  override async run(trial: BaseTrial): Promise<RunMetadata> {
    const good = await super.run(trial);
    const make = this.bad.get(trial.index);
    return (make ? { ...good, ...(make() as object) } : good) as RunMetadata;
  }
}

function circular(): unknown {
  const handle: Record<string, unknown> = { pool: "gpu" };
  handle.self = handle;
  return { handle };
}

async function runWithBadMetadata(store: ExperimentStore, suppressStorageErrors: boolean) {
  const f = makeFixture();
  const runner = new BadMetadataRunner(f.queue);
  f.experiment.runner = runner;
  runner.bad.set(1, () => ({ handle: 10n }));
  runner.bad.set(2, () => ({ callback: () => 1 }));
  runner.bad.set(3, circular);
  const s = new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ ...FAST, maxPendingTrials: 2, suppressStorageErrors }),
    store,
    logger: f.logger,
  });
  await s.runNTrials({ maxTrials: 6 });
  return f;
}

describe("run metadata is checked where run() returns", () => {
  for (const { suppress, backend, openStore } of SAVE_CASES) {
    it(`marks only the trials with non-JSON metadata FAILED, and stores every trial (${backend}, suppressStorageErrors: ${suppress})`, async () => {
      const { store, reopen } = await openStore();
      const f = await runWithBadMetadata(store, suppress);
      const statuses = statusesOf(f.experiment.trials.values());
      expect(statuses.map(([i, s]) => [i, s])).toEqual([
        [0, "COMPLETED"],
        [1, "FAILED"],
        [2, "FAILED"],
        [3, "FAILED"],
        [4, "COMPLETED"],
        [5, "COMPLETED"],
      ]);
      expect(f.experiment.getTrial(1).failureReason).toMatch(
        /^Trial 1: run metadata field "handle" is a bigint \(10\), which cannot be stored/,
      );
      expect(f.experiment.getTrial(2).failureReason).toMatch(/field "callback" is a function/);
      expect(f.experiment.getTrial(3).failureReason).toMatch(/field "handle.self" is a circular reference/);
      // Nothing of the bad values reached the trials.
      for (const i of [1, 2, 3]) expect(f.experiment.getTrial(i).runMetadata).toEqual({});
      expect(messages(f.lines).filter((l) => l.startsWith("ERROR"))).toEqual([]);
      // A fresh connection sees exactly what is in memory.
      const loaded = await (await reopen()).loadExperiment(f.experiment.name);
      expect(statusesOf(loaded!.trials.values())).toEqual(statuses);
      expect(loaded!.lookupData().rows).toHaveLength(3);
    });
  }

  it("asks a runner that can stop jobs to stop the job of a trial whose metadata was refused", async () => {
    const { store } = await sqliteStore();
    const f = makeFixture();
    const runner = new BadMetadataStoppingRunner(f.queue);
    runner.bad.add(1);
    f.experiment.runner = runner;
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: sobolStrategy(),
      options: new SchedulerOptions({ ...FAST, maxPendingTrials: 2 }),
      store,
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 3 });
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.FAILED);
    expect(runner.stopped).toEqual([1]);
  });

  it("names the trial and the path of the first non-JSON value", () => {
    const error = (value: unknown) => {
      try {
        checkRunMetadata(7, value);
      } catch (e) {
        return e as RunMetadataError;
      }
      throw new Error("accepted");
    };
    const nested = error({ a: { b: [1, 2n] } });
    expect(nested).toBeInstanceOf(RunMetadataError);
    expect([nested.trialIndex, nested.path]).toEqual([7, "a.b[1]"]);
    expect(error({ when: new Date(0) }).path).toBe("when");
    expect(error({ when: new Date(0) }).message).toMatch(/is a Date instance/);
    expect(error({ loss: Number.NaN }).message).toMatch(/"loss" is the number NaN/);
    expect(error([1]).message).toMatch(/^Trial 7: run returned an array as run metadata/);
    expect(error(new Map()).path).toBe("");
    const ok = { jobId: 3, tags: ["a"], nested: { x: null } };
    const copy = checkRunMetadata(7, ok);
    expect(copy).toEqual(ok);
    ok.nested.x = 1 as never;
    expect(copy.nested).toEqual({ x: null });
    expect(checkRunMetadata(7, undefined)).toEqual({});
  });
});

/** A Branin metric whose results for chosen trials are rewritten (wrong trial, wrong metric, nothing). */
class MischievousMetric extends BraninMetric {
  readonly rewrite = new Map<number, (rows: DataRow[]) => DataRow[]>();
  override async fetchTrialData(trial: BaseTrial): Promise<Data> {
    const data = await super.fetchTrialData(trial);
    const edit = this.rewrite.get(trial.index);
    return edit ? Data.fromRows(edit([...data.rows])) : data;
  }
}

/** A fixture whose objective (and, with `constraint`, constraint) metrics can be told to misbehave. */
function mischiefFixture(constraint = false) {
  const f = makeFixture({ constraint });
  const objective = new MischievousMetric({ name: "branin" });
  const cost = constraint ? new MischievousMetric({ name: "cost" }) : null;
  f.experiment.optimizationConfig = new OptimizationConfig({
    objective: new Objective({ metric: objective, minimize: true }),
    outcomeConstraints: cost
      ? [new OutcomeConstraint({ metric: cost, op: ComparisonOp.LEQ, bound: 100 })]
      : [],
  });
  return { f, objective, cost };
}

async function runFetchTest(f: ReturnType<typeof makeFixture>, maxTrials: number, init = {}) {
  const { store, reopen } = await sqliteStore();
  const s = new MockJobQueueScheduler({
    experiment: f.experiment,
    generationStrategy: sobolStrategy(),
    options: new SchedulerOptions({ ...FAST, maxPendingTrials: 1, ...init }),
    store,
    logger: f.logger,
  });
  const error = await s.runNTrials({ maxTrials }).then(
    () => null,
    (e: unknown) => e,
  );
  const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
  return { error, loaded };
}

describe("fetched data must belong to the trial being completed", () => {
  it("abandons a trial whose metric returns rows of another trial, leaving that trial's value alone", async () => {
    const { f, objective } = mischiefFixture();
    objective.rewrite.set(2, (rows) =>
      rows.map((r) => ({ ...r, trialIndex: 0, armName: "0_0", mean: -1e9 })),
    );
    const { loaded } = await runFetchTest(f, 3);
    const t2 = f.experiment.getTrial(2);
    expect(t2.status).toBe(TrialStatus.ABANDONED);
    expect(t2.failureReason).toMatch(
      /^Failed to fetch branin: Trial 2: got a row of metric "branin" for trial 0 \(arm "0_0"\)/,
    );
    for (const exp of [f.experiment, loaded]) {
      const rows = exp.lookupData({ metricNames: ["branin"] }).rows;
      expect(rows.map((r) => r.trialIndex).sort()).toEqual([0, 1]);
      expect(rows.every((r) => r.mean > -1e9)).toBe(true);
    }
    expect(loaded.getTrial(2).failureReason).toBe(t2.failureReason);
  });

  it("abandons a trial whose data is under an undeclared metric or an arm it does not have", async () => {
    const { f, objective } = mischiefFixture();
    objective.rewrite.set(0, (rows) => rows.map((r) => ({ ...r, metricName: "latency" })));
    objective.rewrite.set(1, (rows) => rows.map((r) => ({ ...r, armName: "7_0" })));
    await runFetchTest(f, 3);
    expect(f.experiment.getTrial(0).failureReason).toMatch(/Trial 0: unknown metric "latency"/);
    expect(f.experiment.getTrial(1).failureReason).toMatch(/arm "7_0", which is not an arm of this trial/);
    expect(statusesOf(f.experiment.trials.values()).map(([i, s]) => [i, s])).toEqual([
      [0, "ABANDONED"],
      [1, "ABANDONED"],
      [2, "COMPLETED"],
    ]);
    expect(f.experiment.lookupData().rows.map((r) => r.trialIndex)).toEqual([2]);
  });

  it("abandons a trial without a value for the objective or a constraint", async () => {
    const { f, objective, cost } = mischiefFixture(true);
    objective.rewrite.set(0, () => []);
    cost!.rewrite.set(1, () => []);
    const { loaded } = await runFetchTest(f, 3);
    const reasons = statusesOf(f.experiment.trials.values());
    expect(reasons[0]![2]).toMatch(/^Failed to fetch branin: Trial 0: no value for objective "branin"/);
    expect(reasons[1]![2]).toMatch(/^Failed to fetch cost: Trial 1: no value for outcome constraint "cost"/);
    expect(reasons.map(([i, s]) => [i, s])).toEqual([
      [0, "ABANDONED"],
      [1, "ABANDONED"],
      [2, "COMPLETED"],
    ]);
    expect(statusesOf(loaded.trials.values())).toEqual(reasons);
    // Nothing of an abandoned trial is attached: no half-observed trials.
    expect(f.experiment.lookupData().rows.map((r) => r.trialIndex)).toEqual([2, 2]);
  });

  it("counts such trials toward the failure rate", async () => {
    const { f, objective } = mischiefFixture();
    for (const i of [0, 1, 2]) objective.rewrite.set(i, () => []);
    const { error } = await runFetchTest(f, 4, { minFailedTrialsForFailureRateCheck: 2 });
    expect(error).toBeInstanceOf(FailureRateExceededError);
    expect((error as FailureRateExceededError).failureKind).toBe("fetch");
  });

  it("drops a tracking metric's rows of another trial with a warning, and completes the trial", async () => {
    const tracking = new MischievousMetric({ name: "gpu_hours" });
    const f = makeFixture({ trackingMetrics: [tracking] });
    tracking.rewrite.set(1, (rows) => rows.map((r) => ({ ...r, trialIndex: 0, armName: "0_0" })));
    await runFetchTest(f, 2);
    expect(f.experiment.getTrial(1).status).toBe(TrialStatus.COMPLETED);
    expect(f.experiment.lookupData({ metricNames: ["gpu_hours"] }).rows.map((r) => r.trialIndex)).toEqual([
      0,
    ]);
    expect(
      messages(f.lines).some((l) =>
        /^WARNING Failed to fetch tracking metric gpu_hours for trial 1: Trial 1: got a row/.test(l),
      ),
    ).toBe(true);
  });
});

/** A runner that changes its trials where the run() boundary cannot see it. */
class MeddlingRunner extends JobRunner {
  override async run(trial: BaseTrial): Promise<RunMetadata> {
    const metadata = await super.run(trial);
    if (trial.index === 1) (trial.properties as Record<string, unknown>).handle = 5n;
    return trial.index === 2 ? { ...metadata, job: { host: "gpu-7" } } : metadata;
  }
}

describe("one trial that cannot be encoded never blocks the save queue", () => {
  beforeAll(() => {
    registerRunner(MeddlingRunner, {
      encode: () => ({}),
      decode: () => new MeddlingRunner(new FakeJobQueue()),
    });
  });

  for (const { suppress, backend, openStore } of SAVE_CASES) {
    it(`replaces values user code put into a trial after run() returned, and saves everything (${backend}, suppressStorageErrors: ${suppress})`, async () => {
      const f = makeFixture();
      f.queue.policy = (job) => {
        // A poll that changes the nested run metadata of the trial it reports on.
        const job2 = f.experiment.getTrial(job.trialIndex).runMetadata.job;
        if (job2) (job2 as Record<string, unknown>).socket = new Map();
        return TrialStatus.COMPLETED;
      };
      f.experiment.runner = new MeddlingRunner(f.queue);
      const { store, reopen } = await openStore();
      const s = new MockJobQueueScheduler({
        experiment: f.experiment,
        generationStrategy: sobolStrategy(),
        options: new SchedulerOptions({ ...FAST, maxPendingTrials: 1, suppressStorageErrors: suppress }),
        store,
        logger: f.logger,
      });
      await s.runNTrials({ maxTrials: 6 });
      expect(f.experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
      expect(f.experiment.getTrial(1).properties.handle).toBe(
        "[not stored: properties.handle was a bigint (5)]",
      );
      expect(f.experiment.getTrial(2).runMetadata.job).toBe(
        "[not stored: runMetadata.job.socket was a Map instance]",
      );
      const errors = messages(f.lines).filter((l) => l.startsWith("ERROR"));
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(
        /^ERROR Trial 1: properties.handle is a bigint \(5\), which cannot be stored/,
      );
      const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
      expect([...loaded.trials.values()].map((t) => t.toJSON())).toEqual(
        [...f.experiment.trials.values()].map((t) => t.toJSON()),
      );
      expect(loaded.lookupData().rows).toHaveLength(6);
    });
  }
});

describe("a generation state that cannot be stored", () => {
  it("is left out and logged, and every trial and observation is still saved", async () => {
    const f = makeFixture();
    /** Its state gets a value JSON cannot hold once trials exist, as a custom generator's getState might. */
    class UnstorableStateStrategy extends GenerationStrategy {
      override toState(): GenerationStrategyState {
        const state = super.toState();
        if (f.experiment.numTrials === 0) return state;
        return { ...state, cursor: 5n } as unknown as GenerationStrategyState;
      }
    }
    const { store, reopen } = await sqliteStore();
    const s = new MockJobQueueScheduler({
      experiment: f.experiment,
      generationStrategy: new UnstorableStateStrategy({
        steps: [new GenerationStep({ generator: Generators.SOBOL, numTrials: -1 })],
        seed: 0,
      }),
      options: new SchedulerOptions({ ...FAST, maxPendingTrials: 2 }),
      store,
      logger: f.logger,
    });
    await s.runNTrials({ maxTrials: 4 });
    const errors = messages(f.lines).filter((l) => l.startsWith("ERROR"));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e).toMatch(
        /^ERROR The generation strategy's state cannot be stored: generationState.cursor is a bigint \(5\)/,
      );
    }
    const loaded = (await (await reopen()).loadExperiment(f.experiment.name))!;
    expect(statusesOf(loaded.trials.values())).toEqual(statusesOf(f.experiment.trials.values()));
    expect(loaded.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(4);
    expect(loaded.lookupData().rows).toHaveLength(4);
  });
});
