import { describe, expect, it } from "vitest";
import { Arm, BatchTrial, GeneratorRun, Trial, TrialStatus, TrialType } from "../../src/core/index.js";
import { ExperimentError, SearchSpaceError } from "../../src/errors.js";
import { catchError, makeExperiment, point, run } from "./helpers.js";

const T0 = Date.UTC(2026, 0, 1);

describe("trial timestamps", () => {
  it("come from the experiment's clock at each transition", () => {
    const { experiment, clock } = makeExperiment();
    expect(experiment.timeCreated).toBe(T0);
    clock.advance(1_000);
    const t = experiment.newTrial({ generatorRun: run(point(1)) });
    expect([t.timeCreated, t.timeStaged, t.timeRunStarted, t.timeCompleted]).toEqual([
      T0 + 1_000,
      null,
      null,
      null,
    ]);
    clock.advance(2_000);
    t.markStaged();
    expect(t.timeStaged).toBe(T0 + 3_000);
    clock.advance(4_000);
    t.markRunning();
    expect(t.timeRunStarted).toBe(T0 + 7_000);
    expect(t.timeCompleted).toBeNull();
    clock.advance(8_000);
    t.markCompleted();
    expect([t.timeCreated, t.timeStaged, t.timeRunStarted, t.timeCompleted]).toEqual([
      T0 + 1_000,
      T0 + 3_000,
      T0 + 7_000,
      T0 + 15_000,
    ]);
  });

  it.each([
    ["FAILED", (t: Trial) => t.markFailed("boom")],
    ["ABANDONED", (t: Trial) => t.markAbandoned("stale")],
  ])("sets timeCompleted when a CANDIDATE ends %s, and no start time", (status, end) => {
    const { experiment, clock } = makeExperiment();
    const t = experiment.newTrial();
    clock.advance(500);
    end(t);
    expect(t.status).toBe(status);
    expect(t.isTerminal).toBe(true);
    expect(t.timeCompleted).toBe(T0 + 500);
    expect(t.timeRunStarted).toBeNull();
  });

  it("sets timeCompleted for an early stop", () => {
    const { experiment, clock } = makeExperiment();
    const t = experiment.newTrial().markRunning();
    clock.advance(42);
    t.markEarlyStopped("plateau");
    expect(t.timeCompleted).toBe(T0 + 42);
    expect(t.failureReason).toBe("plateau");
  });
});

describe("trial failure reason and run metadata", () => {
  it("records the reason of a failure, abandonment or early stop", () => {
    const { experiment } = makeExperiment();
    const failed = experiment.newTrial().markRunning().markFailed("OOM on node 3");
    expect(failed.failureReason).toBe("OOM on node 3");
    const abandoned = experiment.newTrial().markAs(TrialStatus.ABANDONED, "bad arm");
    expect(abandoned.failureReason).toBe("bad arm");
    const noReason = experiment.newTrial().markRunning().markFailed();
    expect(noReason.failureReason).toBeNull();
    expect(experiment.newTrial().markRunning().markCompleted().failureReason).toBeNull();
  });

  it("merges run metadata, later keys winning, and freezes it", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial();
    expect(t.runMetadata).toEqual({});
    expect(t.updateRunMetadata({ jobId: "j-1", attempt: 1 })).toBe(t);
    t.updateRunMetadata({ attempt: 2, host: "gpu-7" });
    expect(t.runMetadata).toEqual({ jobId: "j-1", attempt: 2, host: "gpu-7" });
    expect(Object.isFrozen(t.runMetadata)).toBe(true);
    const before = t.runMetadata;
    t.updateRunMetadata({ attempt: 3 });
    expect(before).toEqual({ jobId: "j-1", attempt: 2, host: "gpu-7" });
  });

  it("exposes a JSON snapshot of its state", () => {
    const { experiment, clock } = makeExperiment();
    const t = experiment.newTrial({ generatorRun: run(point(1), 0), ttlSeconds: 60 });
    t.properties.note = "hi";
    t.updateRunMetadata({ jobId: 7 });
    clock.advance(10);
    t.markRunning();
    const snap = t.toJSON();
    expect(snap).toMatchObject({
      index: 0,
      trialType: "Trial",
      status: "RUNNING",
      timeCreated: T0,
      timeRunStarted: T0 + 10,
      runMetadata: { jobId: 7 },
      failureReason: null,
      ttlSeconds: 60,
      properties: { note: "hi" },
      arms: [{ name: "0_0", parameters: point(1) }],
    });
    expect(snap.generatorRuns).toEqual([
      {
        generatorName: "Test",
        generationStepIndex: 0,
        armNames: ["0_0"],
        weights: [1],
        candidateMetadata: [null],
        metadata: {},
        timeCreated: 0,
      },
    ]);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it("gives a snapshot that later changes of nested properties or metadata do not reach", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial();
    const nested = { hosts: ["h1"] };
    t.updateRunMetadata({ nested });
    t.properties.tags = ["a"];
    const snap = t.toJSON();
    nested.hosts.push("h2");
    (t.properties.tags as string[]).push("b");
    expect(snap.runMetadata).toEqual({ nested: { hosts: ["h1"] } });
    expect(snap.properties).toEqual({ tags: ["a"] });
  });
});

describe("trial TTL", () => {
  it("expires a RUNNING trial only after ttlSeconds since it started running", () => {
    const { experiment, clock } = makeExperiment();
    const t = experiment.newTrial({ ttlSeconds: 60 });
    clock.advance(600_000);
    expect(t.isTtlExpired()).toBe(false); // not running: no TTL yet
    t.markRunning();
    clock.advance(60_000);
    expect(t.isTtlExpired()).toBe(false); // exactly at the limit
    clock.advance(1);
    expect(t.isTtlExpired()).toBe(true);
    expect(t.isTtlExpired(t.timeRunStarted! + 30_000)).toBe(false);
    t.markFailed("ttl");
    expect(t.isTtlExpired()).toBe(false); // terminal trials never expire
  });

  it("never expires without a TTL", () => {
    const { experiment, clock } = makeExperiment();
    const t = experiment.newTrial().markRunning();
    clock.advance(1e12);
    expect(t.ttlSeconds).toBeNull();
    expect(t.isTtlExpired()).toBe(false);
  });

  it("honours a TTL changed after creation", () => {
    const { experiment, clock } = makeExperiment();
    const t = experiment.newTrial().markRunning();
    clock.advance(5_000);
    t.ttlSeconds = 4;
    expect(t.isTtlExpired()).toBe(true);
  });
});

describe("Trial (one arm)", () => {
  it("holds exactly one arm from one generator run", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial({ generatorRun: run(point(2)) });
    expect(t).toBeInstanceOf(Trial);
    expect(t.trialType).toBe(TrialType.TRIAL);
    expect(t.arm.parameters).toEqual(point(2));
    expect(t.arms).toHaveLength(1);
    expect(t.generatorRun?.generatorName).toBe("Test");
    expect(t.generatorName).toBe("Test");
  });

  it("has no arm until one is added", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial();
    expect(t.arms).toEqual([]);
    expect(t.generatorRun).toBeNull();
    expect(t.generatorName).toBeNull();
    const e = catchError(() => t.arm, ExperimentError);
    expect(e.trialIndex).toBe(0);
    expect(e.message).toContain("Trial 0 has no arm yet");
    t.addGeneratorRun(run(point(3)));
    expect(t.arm.name).toBe("0_0");
  });

  it("rejects a generator run with two arms", () => {
    const { experiment } = makeExperiment();
    experiment.newTrial();
    const twoArms = GeneratorRun.manual([
      new Arm({ parameters: point(1) }),
      new Arm({ parameters: point(2) }),
    ]);
    const e = catchError(() => experiment.newTrial({ generatorRun: twoArms }), ExperimentError);
    expect(e.trialIndex).toBe(1);
    expect(e.message).toContain("takes a generator run with one arm, got 2");
    expect(e.message).toContain("BatchTrial");
    expect(experiment.numTrials).toBe(1); // the failed trial was not registered
    expect(twoArms.arms.map((a) => a.name)).toEqual([null, null]);
  });

  it("rejects a second generator run", () => {
    const { experiment } = makeExperiment();
    const t = experiment.newTrial({ generatorRun: run(point(1)) });
    const e = catchError(() => t.addGeneratorRun(run(point(2))), ExperimentError);
    expect(e.trialIndex).toBe(0);
    expect(e.message).toContain("already has an arm");
    expect(t.arm.parameters).toEqual(point(1));
  });

  it("rejects an arm outside the search space", () => {
    const { experiment } = makeExperiment();
    const e = catchError(() => experiment.newTrial({ generatorRun: run(point(99)) }), SearchSpaceError);
    expect(e.parameter).toBe("x1");
    expect(experiment.numTrials).toBe(0);
  });
});

describe("BatchTrial", () => {
  it("holds the arms and weights of several generator runs", () => {
    const { experiment } = makeExperiment();
    const b = experiment.newBatchTrial({
      generatorRuns: [
        GeneratorRun.manual([new Arm({ parameters: point(1) }), new Arm({ parameters: point(2) })], [2, 1]),
        GeneratorRun.manual([new Arm({ parameters: point(3) })]),
      ],
    });
    expect(b).toBeInstanceOf(BatchTrial);
    expect(b.trialType).toBe(TrialType.BATCH_TRIAL);
    expect(b.arms.map((a) => a.parameters.x1)).toEqual([1, 2, 3]);
    expect(b.weights).toEqual([2, 1, 1]);
    expect(b.armWeights.map(({ arm, weight }) => [arm.name, weight])).toEqual([
      ["0_0", 2],
      ["0_1", 1],
      ["0_2", 1],
    ]);
    expect(b.generatorRuns).toHaveLength(2);
  });

  it("accepts arms while CANDIDATE and rejects them afterwards", () => {
    const { experiment } = makeExperiment();
    const b = experiment.newBatchTrial();
    b.addGeneratorRun(GeneratorRun.manual([new Arm({ parameters: point(1) })]));
    b.addGeneratorRun(GeneratorRun.manual([new Arm({ parameters: point(2) })]));
    expect(b.arms.map((a) => a.name)).toEqual(["0_0", "0_1"]);
    b.markStaged();
    const e = catchError(
      () => b.addGeneratorRun(GeneratorRun.manual([new Arm({ parameters: point(3) })])),
      ExperimentError,
    );
    expect(e.trialIndex).toBe(0);
    expect(e.message).toBe("Cannot add arms to batch trial 0: it is STAGED, not CANDIDATE.");
    expect(b.arms).toHaveLength(2);
  });

  it("rejects a generator run whose weights do not match its arms", () => {
    expect(() => GeneratorRun.manual([new Arm({ parameters: point(1) })], [1, 2])).toThrow(
      "GeneratorRun: 2 weights for 1 arms.",
    );
  });

  it("validates every arm against the search space before creating the trial", () => {
    const { experiment } = makeExperiment();
    const e = catchError(
      () =>
        experiment.newBatchTrial({
          generatorRuns: [
            GeneratorRun.manual([
              new Arm({ parameters: point(1) }),
              new Arm({ parameters: { ...point(1), c: "z" } }),
            ]),
          ],
        }),
      SearchSpaceError,
    );
    expect(e.parameter).toBe("c");
    expect(experiment.numTrials).toBe(0);
  });
});

describe("trial.experimentName", () => {
  it("is the name of the experiment that owns the trial", () => {
    const { experiment } = makeExperiment({ name: "lr sweep" });
    const t = experiment.newTrial({ generatorRun: run(point(1)) });
    expect(t.experimentName).toBe("lr sweep");
  });
});
