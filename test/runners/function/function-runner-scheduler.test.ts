import { describe, expect, it } from "vitest";
import type { Experiment } from "../../../src/core/experiment.js";
import { TrialStatus } from "../../../src/core/trial-status.js";
import type { EvaluateFunction, EvaluationContext } from "../../../src/runners/function/index.js";
import { FunctionRunner } from "../../../src/runners/function/index.js";
import type { SchedulerOptionsInit } from "../../../src/scheduler/index.js";
import { Scheduler } from "../../../src/scheduler/index.js";
import type { CreateExperimentOptions } from "../../../src/service/client-types.js";
import { experimentFromOptions } from "../../../src/service/experiment-from-options.js";
import { FakeClock } from "../../../src/util/clock.js";
import { deferred, fastOptions, sobolOnly } from "./fixtures.js";

type Spec = Partial<Omit<CreateExperimentOptions, "name" | "parameters">>;

/** An experiment over x, y in [0, 1] (Client spec form) run by a FunctionRunner with `evaluate`. */
function setUp(
  evaluate: EvaluateFunction | FunctionRunner,
  spec: Spec = {},
  options: SchedulerOptionsInit = {},
  clock?: FakeClock,
): { scheduler: Scheduler; experiment: Experiment; runner: FunctionRunner } {
  const runner = evaluate instanceof FunctionRunner ? evaluate : new FunctionRunner(evaluate);
  const experiment = experimentFromOptions(
    {
      name: "fn_scheduler",
      parameters: [
        { name: "x", type: "range", bounds: [0, 1] },
        { name: "y", type: "range", bounds: [0, 1] },
      ],
      objectives: { loss: { minimize: true } },
      ...spec,
    },
    clock,
  );
  experiment.runner = runner;
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: sobolOnly(),
    options: fastOptions(options),
    ...(clock ? { clock } : {}),
  });
  return { scheduler, experiment, runner };
}

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  expect(condition()).toBe(true);
}

const loss = ({ x, y }: Record<string, unknown>) => (Number(x) - 0.3) ** 2 + (Number(y) - 0.6) ** 2;

function means(experiment: Experiment, metricName: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const row of experiment.lookupData().rows)
    if (row.metricName === metricName) out.set(row.trialIndex, row.mean);
  return out;
}

describe("FunctionRunner through the Scheduler", () => {
  it("completes every trial of a synchronous function with its value as the single objective", async () => {
    const { scheduler, experiment } = setUp((p) => loss(p));
    await scheduler.runNTrials({ maxTrials: 6 });
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(6);
    const values = means(experiment, "loss");
    for (const trial of experiment.trials.values()) {
      expect(values.get(trial.index)).toBeCloseTo(loss(trial.arms[0]!.parameters));
      expect(trial.runMetadata.result).toEqual({ loss: values.get(trial.index) });
    }
  });

  it("reads [mean, sem] and { mean, sem } values, and keeps unnamed result keys as tracking metrics", async () => {
    const { scheduler, experiment } = setUp(
      async (p) => ({
        loss: [loss(p), 0.01],
        cost: { mean: Number(p.x) * 10, sem: null },
        memoryMb: 512,
      }),
      { outcomeConstraints: ["cost <= 100"] },
    );
    await scheduler.runNTrials({ maxTrials: 4 });
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(4);
    expect(experiment.metrics.map((m) => m.name).sort()).toEqual(["cost", "loss", "memoryMb"]);
    const rows = experiment.lookupData().rows.filter((r) => r.trialIndex === 0);
    const byName = Object.fromEntries(rows.map((r) => [r.metricName, { mean: r.mean, sem: r.sem }]));
    const x = Number(experiment.getTrial(0).arms[0]!.parameters.x);
    expect(byName.loss!.sem).toBe(0.01);
    expect(byName.cost).toEqual({ mean: x * 10, sem: null });
    expect(byName.memoryMb).toEqual({ mean: 512, sem: null });
  });

  it("runs multi-objective experiments with one result object per trial", async () => {
    const { scheduler, experiment } = setUp((p) => ({ a: Number(p.x), b: 1 - Number(p.x) + Number(p.y) }), {
      objectives: { a: { minimize: true }, b: { minimize: true } },
    });
    await scheduler.runNTrials({ maxTrials: 5 });
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);
    expect(means(experiment, "b").size).toBe(5);
  });

  it("marks a trial FAILED with the message of what the function threw", async () => {
    const { scheduler, experiment } = setUp(({ x }, { trialIndex }) => {
      if (trialIndex === 1) throw new Error(`solver diverged at x=${Number(x).toFixed(2)}`);
      return 1;
    });
    await scheduler.runNTrials({ maxTrials: 3 });
    const failed = experiment.getTrial(1);
    expect(failed.status).toBe(TrialStatus.FAILED);
    expect(failed.failureReason).toMatch(/^solver diverged at x=\d\.\d\d$/);
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(2);
  });

  it("ABANDONs a trial whose objective is NaN or missing, with a reason quoting the result", async () => {
    const { scheduler, experiment } = setUp((_p, { trialIndex }) =>
      trialIndex === 0 ? { loss: Number.NaN, note: 1 } : trialIndex === 1 ? { lossy: 2 } : 0.5,
    );
    await scheduler.runNTrials({ maxTrials: 5 });
    const [nan, missing, fine] = [0, 1, 2].map((i) => experiment.getTrial(i));
    expect(nan!.status).toBe(TrialStatus.ABANDONED);
    expect(nan!.failureReason).toContain(
      'Trial 0: "loss" is "NaN", not a finite number in the result {"loss":"NaN","note":1}',
    );
    expect(missing!.status).toBe(TrialStatus.ABANDONED);
    expect(missing!.failureReason).toContain('Trial 1: the result has no "loss": got {"lossy":2}');
    expect(fine!.status).toBe(TrialStatus.COMPLETED);
  });

  it("stopTrialRuns fires the trial's signal with the reason, and a result returned then is kept", async () => {
    const started = deferred<EvaluationContext>();
    const { scheduler, experiment } = setUp((_p, context) => {
      started.resolve(context);
      return new Promise((resolve) =>
        context.signal.addEventListener("abort", () => resolve({ loss: 0.42 })),
      );
    });
    const run = scheduler.runNTrials({ maxTrials: 1 });
    const context = await started.promise;
    await until(() => scheduler.runningTrials.length === 1);
    const [trial] = scheduler.runningTrials;
    const stopped = await scheduler.stopTrialRuns([trial!], ["not promising"]);
    await run;
    expect(stopped.map((t) => t.index)).toEqual([0]);
    expect(context.signal.aborted).toBe(true);
    expect((context.signal.reason as Error).message).toBe("not promising");
    expect(experiment.getTrial(0).status).toBe(TrialStatus.EARLY_STOPPED);
    expect(means(experiment, "loss").get(0)).toBe(0.42);
  });

  it("a function that never settles is FAILED when its TTL passes, and its signal fires", async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    const runner = new FunctionRunner({
      evaluate: (_p, { signal, trialIndex }) => {
        signals.push(signal);
        return trialIndex === 0 ? new Promise<number>(() => undefined) : 1;
      },
      stopGraceSeconds: 0,
    });
    const options = { ttlSecondsForTrials: 30, initSecondsBetweenPolls: 1 };
    const { scheduler, experiment } = setUp(runner, {}, options, clock);
    await scheduler.runNTrials({ maxTrials: 4 });
    const hung = experiment.getTrial(0);
    expect(hung.status).toBe(TrialStatus.FAILED);
    expect(hung.failureReason).toBe("Trial exceeded its TTL of 30 seconds.");
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(3);
    expect(signals.map((s) => s.aborted)).toEqual([true, false, false, false]);
    expect((signals[0]!.reason as Error).message).toBe("Trial exceeded its TTL of 30 seconds.");
  });

  it("evaluates async functions concurrently up to maxPendingTrials, never more", async () => {
    let running = 0;
    let most = 0;
    const delays = [5, 1, 8, 2, 7, 3, 6, 4, 9, 2, 5, 1];
    const { scheduler, experiment } = setUp(
      async (p, { trialIndex }) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, delays[trialIndex % delays.length]));
        running--;
        return loss(p);
      },
      {},
      { maxPendingTrials: 3 },
    );
    await scheduler.runNTrials({ maxTrials: 12 });
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(12);
    expect(most).toBe(3);
  });
});
