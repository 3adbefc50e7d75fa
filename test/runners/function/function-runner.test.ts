import { describe, expect, it } from "vitest";
import { Arm } from "../../../src/core/arm.js";
import { GeneratorRun } from "../../../src/core/generator-run.js";
import { TrialStatus } from "../../../src/core/trial-status.js";
import { FunctionRunnerError, SchedulerError } from "../../../src/errors.js";
import type { EvaluationContext } from "../../../src/runners/function/index.js";
import { FunctionRunner } from "../../../src/runners/function/index.js";
import { deferred, deploy, lossExperiment, trialAt } from "./fixtures.js";

const statusOf = async (
  runner: FunctionRunner,
  trial: Parameters<FunctionRunner["pollTrialStatus"]>[0][0],
) => {
  const map = await runner.pollTrialStatus([trial]);
  for (const [status, indices] of map) if (indices.has(trial.index)) return status;
  return TrialStatus.RUNNING;
};

describe("FunctionRunner", () => {
  it("calls a synchronous function with the parameters and context, and reports its number COMPLETED", async () => {
    const seen: { parameters: unknown; context: EvaluationContext }[] = [];
    const runner = new FunctionRunner((parameters, context) => {
      seen.push({ parameters, context });
      return (Number(parameters.x) - 0.3) ** 2;
    });
    const experiment = lossExperiment("sync_fn");
    const trial = await deploy(runner, trialAt(experiment, 0.5));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.parameters).toEqual({ x: 0.5 });
    expect(seen[0]!.context.trialIndex).toBe(0);
    expect(seen[0]!.context.experimentName).toBe("sync_fn");
    expect(seen[0]!.context.signal.aborted).toBe(false);
    expect(trial.runMetadata).toMatchObject({ pid: process.pid, evaluationId: expect.any(String) });
    expect(await statusOf(runner, trial)).toBe(TrialStatus.COMPLETED);
    expect(runner.pollTrialResult(trial)).toBeCloseTo(0.04);
    expect(runner.pollException(trial)).toBeNull();
  });

  it("keeps an async function's trial RUNNING until it resolves, then reports its result object as returned", async () => {
    const gate = deferred<{ loss: [number, number]; cost: { mean: number; sem: null } }>();
    const runner = new FunctionRunner(() => gate.promise);
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.1));
    expect(await runner.pollTrialStatus([trial])).toEqual(new Map());
    gate.resolve({ loss: [1.5, 0.1], cost: { mean: 3, sem: null } });
    await gate.promise;
    expect(await statusOf(runner, trial)).toBe(TrialStatus.COMPLETED);
    expect(runner.pollTrialResult(trial)).toEqual({ loss: [1.5, 0.1], cost: { mean: 3, sem: null } });
  });

  it("does not check the result: NaN or a missing objective is reported as returned (the metric judges it)", async () => {
    const runner = new FunctionRunner(({ x }) => (Number(x) > 0.5 ? Number.NaN : { other: 1 }));
    const experiment = lossExperiment();
    const nan = await deploy(runner, trialAt(experiment, 0.9));
    const missing = await deploy(runner, trialAt(experiment, 0.1));
    const map = await runner.pollTrialStatus([nan, missing]);
    expect(map.get(TrialStatus.COMPLETED)).toEqual(new Set([0, 1]));
    expect(runner.pollTrialResult(nan)).toBeNaN();
    expect(runner.pollTrialResult(missing)).toEqual({ other: 1 });
  });

  it("marks a trial FAILED with the message of what the function threw or rejected with", async () => {
    const experiment = lossExperiment();
    const cases: [() => unknown, string][] = [
      [
        () => {
          throw new Error("simulation diverged at step 12");
        },
        "simulation diverged at step 12",
      ],
      [
        () => {
          throw new TypeError("x.toFixed is not a function");
        },
        "TypeError: x.toFixed is not a function",
      ],
      [() => Promise.reject(new RangeError("lr out of range")), "RangeError: lr out of range"],
      [
        () => {
          throw "a bare string";
        },
        "a bare string",
      ],
      [
        () => {
          throw new Error("");
        },
        "Error without a message",
      ],
    ];
    for (const [fn, message] of cases) {
      const runner = new FunctionRunner(fn as never);
      const trial = await deploy(runner, trialAt(experiment, 0.5));
      await Promise.resolve();
      expect(await statusOf(runner, trial)).toBe(TrialStatus.FAILED);
      expect(runner.pollException(trial)).toBe(message);
      expect(runner.pollTrialResult(trial)).toBeUndefined();
    }
  });

  it("marks a trial FAILED when the function returns nothing, saying what to return", async () => {
    const runner = new FunctionRunner((() => undefined) as never);
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    expect(await statusOf(runner, trial)).toBe(TrialStatus.FAILED);
    expect(runner.pollException(trial)).toMatch(
      /evaluate returned undefined for trial 0; it must return .*\{ loss: 0.25 \}/,
    );
  });

  it("gives the function a copy of the parameters, so changing them changes nothing", async () => {
    const runner = new FunctionRunner((parameters) => {
      (parameters as Record<string, unknown>).x = 99;
      return 1;
    });
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    expect(trial.arms[0]!.parameters.x).toBe(0.5);
  });

  it("tells its listeners each time an evaluation settles, until they are removed", async () => {
    const gates = [deferred<number>(), deferred<number>()];
    let k = 0;
    const runner = new FunctionRunner(() => gates[k++]!.promise);
    let calls = 0;
    const remove = runner.onTrialChange(() => calls++);
    const experiment = lossExperiment();
    await deploy(runner, trialAt(experiment, 0.1));
    await deploy(runner, trialAt(experiment, 0.2));
    expect(calls).toBe(0);
    gates[0]!.resolve(1);
    await gates[0]!.promise;
    expect(calls).toBe(1);
    remove();
    gates[1]!.reject(new Error("late"));
    await gates[1]!.promise.catch(() => undefined);
    expect(calls).toBe(1);
  });

  it("a listener that throws does not cost the evaluation its outcome", async () => {
    const runner = new FunctionRunner(() => 2);
    runner.onTrialChange(() => {
      throw new Error("listener bug");
    });
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    expect(await statusOf(runner, trial)).toBe(TrialStatus.COMPLETED);
  });

  it("stop fires the trial's signal with the reason and keeps a result the function returns then", async () => {
    let signal: AbortSignal | null = null;
    const runner = new FunctionRunner((_p, context) => {
      signal = context.signal;
      return new Promise((resolve) => {
        context.signal.addEventListener("abort", () => resolve({ loss: 0.7 }), { once: true });
      });
    });
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    await runner.stop(trial, "not promising");
    expect(signal!.aborted).toBe(true);
    expect((signal!.reason as Error).name).toBe("AbortError");
    expect((signal!.reason as Error).message).toBe("not promising");
    expect(runner.pollTrialResult(trial)).toEqual({ loss: 0.7 });
  });

  it("a function that rethrows the signal's reason fails with the stop reason, left for the Scheduler to end", async () => {
    const runner = new FunctionRunner(
      (_p, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    );
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    await runner.stop(trial, "Trial exceeded its TTL of 5 seconds.");
    // The Scheduler that stopped the trial gives it its status; polls do not race it.
    expect(await statusOf(runner, trial)).toBe(TrialStatus.RUNNING);
    expect(runner.pollException(trial)).toBe("Trial exceeded its TTL of 5 seconds.");
  });

  it("names the abort when a function fails with an error of its own after its signal fired", async () => {
    const runner = new FunctionRunner(
      (_p, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => reject(new Error("connection closed"))),
        ),
    );
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    await runner.stop(trial, null);
    expect(runner.pollException(trial)).toBe(
      "connection closed (after its signal fired: Trial 0 was stopped.)",
    );
  });

  it("stop waits no longer than stopGraceSeconds for a function that ignores its signal", async () => {
    const runner = new FunctionRunner({
      evaluate: () => new Promise<number>(() => undefined),
      stopGraceSeconds: 0.01,
    });
    const trial = await deploy(runner, trialAt(lossExperiment(), 0.5));
    await expect(runner.stop(trial, "enough")).resolves.toBeUndefined();
    expect(await statusOf(runner, trial)).toBe(TrialStatus.RUNNING);
    expect(runner.pollTrialResult(trial)).toBeUndefined();
  });

  it("abortAll fires the signals of the evaluations still running, once", async () => {
    const signals: AbortSignal[] = [];
    const runner = new FunctionRunner(({ x }, { signal }) => {
      signals.push(signal);
      return Number(x) < 0.5 ? 1 : new Promise<number>(() => undefined);
    });
    const experiment = lossExperiment();
    await deploy(runner, trialAt(experiment, 0.1));
    await deploy(runner, trialAt(experiment, 0.6));
    await deploy(runner, trialAt(experiment, 0.7));
    expect(runner.abortAll("the run timed out")).toBe(2);
    expect(signals.map((s) => s.aborted)).toEqual([false, true, true]);
    expect(runner.abortAll("again")).toBe(0);
  });

  it("another FunctionRunner in the same process finds the evaluations the first one started", async () => {
    const gate = deferred<number>();
    const first = new FunctionRunner(() => gate.promise);
    const trial = await deploy(first, trialAt(lossExperiment(), 0.5));
    const second = new FunctionRunner(() => 0);
    expect(await statusOf(second, trial)).toBe(TrialStatus.RUNNING);
    gate.resolve(0.125);
    await gate.promise;
    expect(await statusOf(second, trial)).toBe(TrialStatus.COMPLETED);
    expect(second.pollTrialResult(trial)).toBe(0.125);
  });

  it("reports FAILED a RUNNING trial whose evaluation ran in a process that ended, saying so", async () => {
    const runner = new FunctionRunner(() => 1);
    const trial = trialAt(lossExperiment(), 0.5);
    trial.updateRunMetadata({ evaluationId: "from-a-dead-process", pid: 4242, hostname: "worker-7" });
    trial.markRunning();
    expect(await statusOf(runner, trial)).toBe(TrialStatus.FAILED);
    expect(runner.pollException(trial)).toMatch(
      /^Trial 0's evaluation was lost: it ran in process 4242 on worker-7, which no longer holds it .*cannot be re-attached to/,
    );
  });

  it("stores no function: storedFields is {} and a runner rebuilt from it refuses to run, saying how to resume", async () => {
    expect(new FunctionRunner(() => 1).storedFields()).toEqual({});
    expect(new FunctionRunner({ evaluate: () => 1, stopGraceSeconds: 3 }).storedFields()).toEqual({
      stopGraceSeconds: 3,
    });
    const stored = new FunctionRunner({});
    expect(stored.evaluate).toBeNull();
    const trial = trialAt(lossExperiment(), 0.5);
    const error = await stored.run(trial).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionRunnerError);
    expect(error).toBeInstanceOf(SchedulerError);
    expect((error as Error).message).toMatch(
      /cannot run trial 0: it has no evaluate function.*runner: new FunctionRunner\(evaluate\)/,
    );
    await expect(stored.pollAvailableCapacity()).rejects.toThrow(FunctionRunnerError);
    expect(await new FunctionRunner(() => 1).pollAvailableCapacity()).toBe(-1);
  });

  it("refuses a non-function and a bad stopGraceSeconds", () => {
    expect(() => new FunctionRunner({ evaluate: 42 as never })).toThrow(/needs a function .*got number/);
    expect(() => new FunctionRunner({ evaluate: () => 1, stopGraceSeconds: -1 })).toThrow(
      /stopGraceSeconds must be a finite number of seconds >= 0, got -1/,
    );
  });

  it("refuses a batch trial", async () => {
    const experiment = lossExperiment();
    const batch = experiment.newBatchTrial({
      generatorRuns: [
        new GeneratorRun({
          arms: [new Arm({ parameters: { x: 0.1 } }), new Arm({ parameters: { x: 0.2 } })],
          generatorName: "Manual",
        }),
      ],
    });
    await expect(new FunctionRunner(() => 1).run(batch)).rejects.toThrow(
      /one-arm trials; trial 0 has 2 arms/,
    );
  });
});
