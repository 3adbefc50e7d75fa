import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALL_TRIAL_STATUSES,
  Arm,
  type BaseTrial,
  BatchTrial,
  canTransition,
  Data,
  Experiment,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  OutcomeConstraint,
  type SearchSpace,
  Trial,
  TrialStatus,
} from "../../src/core/index.js";
import { DataError, ExperimentError, OptimizationConfigError } from "../../src/errors.js";
import { catchError, makeExperiment, makeSpace, point, run, TestMetric } from "./helpers.js";

const row = (
  trialIndex: number,
  armName: string,
  metricName: string,
  mean: number,
  sem: number | null = null,
) => ({
  trialIndex,
  armName,
  metricName,
  mean,
  sem,
});

function bruteIndices(experiment: Experiment, status: TrialStatus): number[] {
  return [...experiment.trials.values()].filter((t) => t.status === status).map((t) => t.index);
}

function bruteStepCount(experiment: Experiment, step: number, statuses: readonly TrialStatus[]): number {
  return [...experiment.trials.values()].filter(
    (t) => t.generatorRuns[0]?.generationStepIndex === step && statuses.includes(t.status),
  ).length;
}

function expectIndexesConsistent(experiment: Experiment, steps: readonly number[]): void {
  for (const s of ALL_TRIAL_STATUSES) {
    expect([...experiment.trialIndicesWithStatus(s)].sort((a, b) => a - b)).toEqual(
      bruteIndices(experiment, s),
    );
    expect(experiment.countTrialsWithStatus(s)).toBe(bruteIndices(experiment, s).length);
    for (const step of steps)
      expect(experiment.countStepTrials(step, [s])).toBe(bruteStepCount(experiment, step, [s]));
  }
  for (const step of steps) {
    const pending = [TrialStatus.CANDIDATE, TrialStatus.STAGED, TrialStatus.RUNNING];
    expect(experiment.countStepTrials(step, pending)).toBe(bruteStepCount(experiment, step, pending));
  }
  expect(experiment.runningTrials.map((t) => t.index)).toEqual(bruteIndices(experiment, TrialStatus.RUNNING));
  const pendingTrials = [...experiment.trials.values()].filter((t) =>
    ["CANDIDATE", "STAGED", "RUNNING"].includes(t.status),
  );
  expect(experiment.pendingArms).toEqual(pendingTrials.flatMap((t) => t.arms));
  expect(experiment.hasPendingTrials).toBe(pendingTrials.length > 0);
}

describe("Experiment construction and metrics", () => {
  const obj = new TestMetric({ name: "obj" });
  const cons = new TestMetric({ name: "cons" });
  const config = new OptimizationConfig({
    objective: new Objective({ metric: obj, minimize: true }),
    outcomeConstraints: [new OutcomeConstraint({ metric: cons, op: "LEQ", bound: 1 })],
  });

  it("rejects a missing name or search space", () => {
    expect(catchError(() => makeExperiment({ name: " " }), ExperimentError).message).toContain(
      "non-empty name",
    );
    const e = catchError(
      () => new Experiment({ name: "e", searchSpace: undefined as unknown as SearchSpace }),
      ExperimentError,
    );
    expect(e.message).toBe('Experiment "e" needs a searchSpace.');
  });

  it("lists config metrics first, then tracking metrics", () => {
    const { experiment } = makeExperiment({
      optimizationConfig: config,
      trackingMetrics: [new TestMetric({ name: "t1" }), new TestMetric({ name: "t2" })],
    });
    expect(experiment.metrics.map((m) => m.name)).toEqual(["obj", "cons", "t1", "t2"]);
    expect(experiment.trackingMetrics.map((m) => m.name)).toEqual(["t1", "t2"]);
    experiment.addTrackingMetric(new TestMetric({ name: "t0" }));
    expect(experiment.metrics.map((m) => m.name)).toEqual(["obj", "cons", "t1", "t2", "t0"]);
  });

  it("rejects a duplicate tracking metric, or one named like a config metric", () => {
    const { experiment } = makeExperiment({
      optimizationConfig: config,
      trackingMetrics: [new TestMetric({ name: "t" })],
    });
    const dup = catchError(
      () => experiment.addTrackingMetric(new TestMetric({ name: "t" })),
      ExperimentError,
    );
    expect(dup.message).toBe('Experiment "exp" already has a metric named "t".');
    const clash = catchError(
      () => experiment.addTrackingMetric(new TestMetric({ name: "cons" })),
      ExperimentError,
    );
    expect(clash.message).toContain('metric named "cons"');
    expect(() =>
      makeExperiment({ trackingMetrics: [new TestMetric({ name: "a" }), new TestMetric({ name: "a" })] }),
    ).toThrow(ExperimentError);
    expect(experiment.trackingMetrics).toHaveLength(1);
  });

  it("requires an optimization config on demand", () => {
    const { experiment } = makeExperiment();
    const e = catchError(() => experiment.requireOptimizationConfig(), OptimizationConfigError);
    expect(e.message).toContain('Experiment "exp" has no optimization config');
    experiment.optimizationConfig = config;
    expect(experiment.requireOptimizationConfig()).toBe(config);
  });

  it("refuses to change the search space or config while immutable", () => {
    const { experiment } = makeExperiment({ optimizationConfig: config });
    const newSpace = makeSpace();
    experiment.searchSpace = newSpace;
    expect(experiment.searchSpace).toBe(newSpace);
    experiment.immutableSearchSpaceAndOptConfig = true;
    const e1 = catchError(() => {
      experiment.searchSpace = makeSpace();
    }, ExperimentError);
    expect(e1.message).toContain('The search space of experiment "exp" is immutable');
    expect(e1.message).toContain("immutableSearchSpaceAndOptConfig");
    const e2 = catchError(() => {
      experiment.optimizationConfig = null;
    }, ExperimentError);
    expect(e2.message).toContain('The optimization config of experiment "exp" is immutable');
    expect(experiment.searchSpace).toBe(newSpace);
    expect(experiment.optimizationConfig).toBe(config);
    experiment.immutableSearchSpaceAndOptConfig = false;
    experiment.optimizationConfig = null;
    expect(experiment.optimizationConfig).toBeNull();
  });

  it("finds trials by index and names the missing one", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial();
    expect(experiment.getTrial(0)).toBe(t);
    const e = catchError(() => experiment.getTrial(5), ExperimentError);
    expect(e.trialIndex).toBe(5);
    expect(e.message).toBe('Experiment "exp" has no trial 5 (it has 1).');
  });
});

describe("Experiment status indexes", () => {
  it("track a simple lifecycle", () => {
    const { experiment } = makeExperiment();
    const a = experiment.newTrial({ generatorRun: run(point(1), 0) });
    const b = experiment.newTrial({ generatorRun: run(point(2), 0) });
    const c = experiment.newTrial({ generatorRun: run(point(3), 1) });
    expect(experiment.countTrialsWithStatus("CANDIDATE")).toBe(3);
    expect(experiment.countStepTrials(0, ["CANDIDATE"])).toBe(2);
    a.markRunning();
    c.markRunning();
    expect(experiment.runningTrials).toEqual([a, c]);
    expect(experiment.countStepTrials(0, ["RUNNING"])).toBe(1);
    expect(experiment.countStepTrials(1, ["RUNNING", "CANDIDATE"])).toBe(1);
    expect([...experiment.trialIndicesWithStatus("CANDIDATE")]).toEqual([1]);
    expect(experiment.trialsWithStatuses(["CANDIDATE", "RUNNING"])).toEqual([a, b, c]);
    a.markCompleted();
    b.markAbandoned();
    c.markFailed();
    expect(experiment.countStepTrials(0, ["COMPLETED", "ABANDONED"])).toBe(2);
    expect(experiment.countStepTrials(2, ALL_TRIAL_STATUSES)).toBe(0);
    expect(experiment.hasPendingTrials).toBe(false);
    expect(experiment.pendingArms).toEqual([]);
  });

  it("count a trial under its step when its generator run is added after creation", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial();
    t.addGeneratorRun(run(point(1), 0));
    expect(experiment.countStepTrials(0, ["CANDIDATE"])).toBe(1);
    t.markRunning();
    expect(experiment.countStepTrials(0, ["CANDIDATE"])).toBe(0);
    expect(experiment.countStepTrials(0, ["RUNNING"])).toBe(1);
    const b = experiment.newBatchTrial();
    b.addGeneratorRun(run(point(2), 3));
    b.addGeneratorRun(run(point(3), 4)); // the first run decides the step
    b.markStaged();
    expect(experiment.countStepTrials(3, ["STAGED"])).toBe(1);
    expect(experiment.countStepTrials(4, ALL_TRIAL_STATUSES)).toBe(0);
    expectIndexesConsistent(experiment, [0, 3, 4]);
  });

  it("stay equal to a brute-force scan through random operations (property)", () => {
    type Op =
      | { kind: "trial"; step: number | null; batch: boolean; empty: boolean }
      | { kind: "move"; pick: number; to: TrialStatus }
      | { kind: "restore"; pick: number; to: TrialStatus }
      | { kind: "lateRun"; pick: number; step: number | null };
    const status = fc.constantFrom(...ALL_TRIAL_STATUSES);
    const step = fc.option(fc.integer({ min: 0, max: 2 }), { nil: null });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant("trial" as const), step, batch: fc.boolean(), empty: fc.boolean() }),
      fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), to: status }),
      fc.record({ kind: fc.constant("move" as const), pick: fc.nat(), to: status }),
      fc.record({ kind: fc.constant("restore" as const), pick: fc.nat(), to: status }),
      fc.record({ kind: fc.constant("lateRun" as const), pick: fc.nat(), step }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const { experiment } = makeExperiment();
        let x = 0;
        const nextRun = (s: number | null) => run(point((x++ % 100) / 10, (x % 7) + 1), s);
        for (const o of ops) {
          const trials = [...experiment.trials.values()];
          const target: BaseTrial | undefined =
            trials[(o as { pick?: number }).pick! % Math.max(1, trials.length)];
          if (o.kind === "trial") {
            if (o.batch) {
              experiment.newBatchTrial({ generatorRuns: o.empty ? [] : [nextRun(o.step), nextRun(null)] });
            } else experiment.newTrial(o.empty ? {} : { generatorRun: nextRun(o.step) });
          } else if (o.kind === "move" && target) {
            const legal = canTransition(target.status, o.to);
            if (legal) target.markAs(o.to);
            else expect(() => target.markAs(o.to)).toThrow();
          } else if (o.kind === "restore" && target) {
            target.restoreState({
              status: o.to,
              times: { timeCreated: 0, timeStaged: null, timeRunStarted: null, timeCompleted: null },
              runMetadata: {},
              failureReason: null,
            });
          } else if (o.kind === "lateRun" && target instanceof Trial && target.generatorRuns.length === 0) {
            // A trial takes its arm only while CANDIDATE.
            if (target.status === TrialStatus.CANDIDATE) target.addGeneratorRun(nextRun(o.step));
            else expect(() => target.addGeneratorRun(nextRun(o.step))).toThrow(ExperimentError);
          } else if (o.kind === "lateRun" && target instanceof BatchTrial) {
            // A batch takes more runs while CANDIDATE; only its first run decides its step.
            if (target.status === TrialStatus.CANDIDATE) target.addGeneratorRun(nextRun(o.step));
            else expect(() => target.addGeneratorRun(nextRun(o.step))).toThrow(ExperimentError);
          }
          expectIndexesConsistent(experiment, [0, 1, 2]);
        }
      }),
      { seed: 20260101, numRuns: 200 },
    );
  });
});

describe("pendingArms", () => {
  it("holds arms of CANDIDATE, STAGED and RUNNING trials in trial order", () => {
    const { experiment } = makeExperiment();
    const t0 = experiment.newTrial({ generatorRun: run(point(0)) });
    const t1 = experiment.newTrial({ generatorRun: run(point(1)) }).markStaged();
    const b2 = experiment.newBatchTrial({
      generatorRuns: [
        GeneratorRun.manual([new Arm({ parameters: point(2) }), new Arm({ parameters: point(3) })]),
      ],
    });
    const t3 = experiment.newTrial({ generatorRun: run(point(4)) }).markRunning();
    experiment
      .newTrial({ generatorRun: run(point(5)) })
      .markRunning()
      .markCompleted();
    experiment.newTrial({ generatorRun: run(point(6)) }).markFailed();
    expect(experiment.pendingArms.map((a) => a.name)).toEqual(["0_0", "1_0", "2_0", "2_1", "3_0"]);
    t0.markAbandoned();
    t1.markRunning();
    b2.markRunning().markEarlyStopped();
    expect(experiment.pendingArms).toEqual([t1.arm, t3.arm]);
  });
});

describe("Experiment data", () => {
  function withTrials() {
    const { experiment } = makeExperiment();
    experiment.newTrial({ generatorRun: run(point(0)) });
    experiment.newTrial({ generatorRun: run(point(1)) });
    return experiment;
  }

  it("keeps the latest observation per trial, arm and metric", () => {
    const experiment = withTrials();
    experiment.attachData(
      Data.fromRows([row(0, "0_0", "m", 1), row(0, "0_0", "n", 10), row(1, "1_0", "m", 2)]),
    );
    expect(experiment.numObservations).toBe(3);
    experiment.attachData(Data.fromRows([row(0, "0_0", "m", 1.5, 0.1)]));
    expect(experiment.numObservations).toBe(3);
    expect(experiment.lookupTrialData(0).rows).toEqual([
      row(0, "0_0", "m", 1.5, 0.1),
      row(0, "0_0", "n", 10),
    ]);
    expect(experiment.lookupData({ metricNames: ["m"] }).rows.map((r) => r.mean)).toEqual([1.5, 2]);
    expect(experiment.lookupData({ trialIndices: [1] }).rows).toEqual([row(1, "1_0", "m", 2)]);
    expect(experiment.lookupData({ trialIndices: [1], metricNames: ["n"] }).isEmpty).toBe(true);
    expect(experiment.lookupData().rows).toHaveLength(3);
  });

  it("keeps the last of two rows for the same key within one attach", () => {
    const experiment = withTrials();
    experiment.attachData(Data.fromRows([row(0, "0_0", "m", 1), row(0, "0_0", "m", 7)]));
    expect(experiment.numObservations).toBe(1);
    expect(experiment.lookupData().rows.map((r) => r.mean)).toEqual([7]);
  });

  it("tells whether a trial has data for a metric", () => {
    const experiment = withTrials();
    experiment.attachData(Data.fromRows([row(1, "1_0", "m", 2)]));
    expect(experiment.hasDataFor(1, "m")).toBe(true);
    expect(experiment.hasDataFor(1, "n")).toBe(false);
    expect(experiment.hasDataFor(0, "m")).toBe(false);
    expect(experiment.hasDataFor(9, "m")).toBe(false);
    expect(experiment.lookupTrialData(9).isEmpty).toBe(true);
  });

  it("rejects data for a trial that does not exist, attaching nothing", () => {
    const experiment = withTrials();
    const e = catchError(
      () => experiment.attachData(Data.fromRows([row(0, "0_0", "m", 1), row(5, "5_0", "loss", 2)])),
      DataError,
    );
    expect(e.trialIndex).toBe(5);
    expect(e.metricName).toBe("loss");
    expect(e.message).toBe('Data row for metric "loss" names trial 5, which does not exist.');
    expect(experiment.numObservations).toBe(0);
    expect(experiment.hasDataFor(0, "m")).toBe(false);
  });

  it("agrees with a brute-force latest-wins model (property)", () => {
    const rowArb = fc.record({
      trialIndex: fc.integer({ min: 0, max: 2 }),
      armName: fc.constantFrom("a", "b"),
      metricName: fc.constantFrom("m", "n", "o"),
      mean: fc.integer({ min: -100, max: 100 }),
      sem: fc.constant(null),
    });
    fc.assert(
      fc.property(fc.array(fc.array(rowArb, { maxLength: 6 }), { maxLength: 8 }), (batches) => {
        const { experiment } = makeExperiment();
        for (let i = 0; i < 3; i++) experiment.newTrial();
        const model = new Map<string, number>();
        for (const rows of batches) {
          experiment.attachData(Data.fromRows(rows));
          for (const r of rows) model.set(`${r.trialIndex}|${r.armName}|${r.metricName}`, r.mean);
        }
        expect(experiment.numObservations).toBe(model.size);
        const got = new Map(
          experiment.lookupData().rows.map((r) => [`${r.trialIndex}|${r.armName}|${r.metricName}`, r.mean]),
        );
        expect(got).toEqual(model);
        for (const t of [0, 1, 2]) {
          for (const m of ["m", "n", "o"]) {
            expect(experiment.hasDataFor(t, m)).toBe(
              [...model.keys()].some((k) => k.startsWith(`${t}|`) && k.endsWith(`|${m}`)),
            );
          }
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("arm naming is atomic for batch trials", () => {
  it("a refused batch leaves no names behind", () => {
    const { experiment } = makeExperiment();
    experiment.newTrial({ generatorRun: run(point(1)) });
    const clash = GeneratorRun.manual([
      new Arm({ parameters: point(2) }),
      new Arm({ parameters: point(3), name: "0_0" }),
    ]);
    const e = catchError(() => experiment.newBatchTrial({ generatorRuns: [clash] }), ExperimentError);
    expect(e.message).toContain('Arm name "0_0" is already used');
    expect(experiment.numTrials).toBe(1);
    expect(clash.arms[0]!.name).toBeNull();
    expect(experiment.getArm("1_0")).toBeUndefined();
    // Index 1 is still usable.
    expect(experiment.newTrial({ generatorRun: run(point(4)) }).arm.name).toBe("1_0");
  });

  it("refuses two arms of one batch sharing a name with different parameters", () => {
    const { experiment } = makeExperiment();
    const e = catchError(
      () =>
        experiment.newBatchTrial({
          generatorRuns: [
            GeneratorRun.manual([
              new Arm({ parameters: point(2) }),
              new Arm({ parameters: point(3), name: "0_0" }),
            ]),
          ],
        }),
      ExperimentError,
    );
    expect(e.message).toContain('"0_0"');
    expect(experiment.getArm("0_0")).toBeUndefined();
  });

  it("accepts a batch that repeats an arm", () => {
    const { experiment } = makeExperiment();
    const b = experiment.newBatchTrial({
      generatorRuns: [
        GeneratorRun.manual([new Arm({ parameters: point(2) }), new Arm({ parameters: point(2) })]),
        GeneratorRun.manual([new Arm({ parameters: point(2), name: "0_0" })]),
      ],
    });
    expect(b.arms.map((a) => a.name)).toEqual(["0_0", "0_0", "0_0"]);
  });
});
