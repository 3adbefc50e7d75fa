import { describe, expect, it } from "vitest";
import type { Experiment } from "../../../src/core/experiment.js";
import { TrialStatus } from "../../../src/core/trial-status.js";
import { ProgressReportError } from "../../../src/errors.js";
import type { EvaluateFunction } from "../../../src/runners/function/index.js";
import { FunctionRunner } from "../../../src/runners/function/index.js";
import { type EarlyStoppingStrategy, Scheduler } from "../../../src/scheduler/index.js";
import { experimentFromOptions } from "../../../src/service/experiment-from-options.js";
import { StopAbove } from "../../support/stop-above.js";
import { fastOptions, sobolOnly } from "./fixtures.js";

function setUp(evaluate: EvaluateFunction, strategy: EarlyStoppingStrategy | null) {
  const experiment = experimentFromOptions({
    name: "fn_progress",
    parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
    objectives: { loss: { minimize: true } },
  });
  experiment.runner = new FunctionRunner({ evaluate, stopGraceSeconds: 30 });
  const scheduler = new Scheduler({
    experiment,
    generationStrategy: sobolOnly(),
    options: fastOptions({ earlyStoppingStrategy: strategy, maxPendingTrials: 3 }),
  });
  return { experiment, scheduler };
}

/** Resolves once `condition` holds (checked every few ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

const STEPS = 6;
/** Trial 1 is hopeless (loss about 10); the others learn towards 0.1 * (index + 1). */
const lossAt = (trialIndex: number, step: number) =>
  (trialIndex === 1 ? 10 : 0.1 * (trialIndex + 1)) + 1 / step;

describe("FunctionRunner progress through the Scheduler", () => {
  it("stores each reported step as a curve, and a strategy stops the hopeless trial with its reason and last value", async () => {
    const experimentRef: { current?: Experiment } = {};
    const calls: { trialIndex: number; stoppedAt: number | null }[] = [];
    const evaluate: EvaluateFunction = async (_p, { trialIndex, report }) => {
      for (let step = 1; step <= STEPS; step++) {
        const loss = lossAt(trialIndex, step);
        if (await report({ step, values: { loss } })) {
          calls.push({ trialIndex, stoppedAt: step });
          return undefined as unknown as number;
        }
        // Lock-step with the Scheduler: the next step once this one is stored, so the strategy sees each.
        await until(() => experimentRef.current!.curve(trialIndex, "loss").length >= step);
      }
      calls.push({ trialIndex, stoppedAt: null });
      return { loss: lossAt(trialIndex, STEPS) };
    };
    const { experiment, scheduler } = setUp(evaluate, new StopAbove(5, 2));
    experimentRef.current = experiment;
    await scheduler.runNTrials({ maxTrials: 3 });

    const hopeless = experiment.getTrial(1);
    expect(hopeless.status).toBe(TrialStatus.EARLY_STOPPED);
    expect(hopeless.failureReason).toMatch(/^loss 10\.\d+ at step [2-6] is above 5$/);
    const curve = experiment.curve(1, "loss");
    const lastStep = curve.at(-1)!.progression;
    expect(curve.map((p) => p.progression)).toEqual(Array.from({ length: lastStep }, (_, i) => i + 1));
    expect(lastStep).toBeLessThan(STEPS);
    // Its last reported value is its result, and the value the model sees.
    expect(hopeless.runMetadata.result).toEqual({ loss: [lossAt(1, lastStep), null] });
    expect(experiment.lookupData({ trialIndices: [1] }).rows.map((r) => r.mean)).toEqual([
      lossAt(1, lastStep),
    ]);
    for (const index of [0, 2]) {
      const trial = experiment.getTrial(index);
      expect(trial.status).toBe(TrialStatus.COMPLETED);
      expect(experiment.curve(index, "loss").map((p) => p.mean)).toEqual(
        Array.from({ length: STEPS }, (_, i) => lossAt(index, i + 1)),
      );
      expect(experiment.lookupData({ trialIndices: [index] }).rows.map((r) => r.mean)).toEqual([
        lossAt(index, STEPS),
      ]);
    }
    // The function learned of the stop from report and returned at once: at the step reported after the
    // stop (which is kept when the stop was still being processed, as an observation like any other).
    expect([lastStep, lastStep + 1]).toContain(calls.find((c) => c.trialIndex === 1)?.stoppedAt);
  });

  it("stores progress without a strategy, including steps reported just before the function returns", async () => {
    const { experiment, scheduler } = setUp(async (_p, { trialIndex, report }) => {
      for (let step = 1; step <= 3; step++)
        await report({ progression: { epoch: step }, values: { loss: step } });
      return trialIndex;
    }, null);
    await scheduler.runNTrials({ maxTrials: 2 });
    for (const index of [0, 1]) {
      expect(experiment.getTrial(index).status).toBe(TrialStatus.COMPLETED);
      expect(experiment.curve(index, "loss").map((p) => [p.progression, p.mean])).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
      ]);
    }
  });

  it("rejects a malformed report with a ProgressReportError, which fails the trial when not caught", async () => {
    const seen: unknown[] = [];
    const { experiment, scheduler } = setUp(async (_p, { trialIndex, report }) => {
      if (trialIndex === 0) {
        await report({ step: 1, values: { loss: Number.NaN } }).catch((e: unknown) => seen.push(e));
        return 1;
      }
      await report({ step: Number.POSITIVE_INFINITY, values: { loss: 1 } });
      return 2;
    }, null);
    await scheduler.runNTrials({ maxTrials: 2 });
    expect(seen[0]).toBeInstanceOf(ProgressReportError);
    expect((seen[0] as Error).message).toMatch(/Trial 0: value of "loss" must be a finite number/);
    expect(experiment.getTrial(0).status).toBe(TrialStatus.COMPLETED);
    expect(experiment.curve(0, "loss")).toEqual([]);
    expect(experiment.getTrial(1).status).toBe(TrialStatus.FAILED);
    expect(experiment.getTrial(1).failureReason).toMatch(/ProgressReportError: Trial 1: progression "step"/);
  });
});
