import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Experiment } from "../../src/core/experiment.js";
import { TrialStatus } from "../../src/core/index.js";
import { ClientError, DataError } from "../../src/errors.js";
import type { EarlyStoppingStrategy } from "../../src/scheduler/scheduler-options.js";
import { Client, type CreateExperimentOptions } from "../../src/service/index.js";
import { DBSettings } from "../../src/storage/index.js";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { tempDir } from "../support/temp-dir.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });

const lossExperiment: CreateExperimentOptions = {
  name: "training",
  parameters: [{ name: "lr", type: "range", bounds: [0.001, 1], logScale: true }],
  objectives: { loss: { minimize: true } },
  trackingMetricNames: ["accuracy"],
};

/**
 * Stops a trial whose latest loss is above `limit`, saying so; records what it was asked. Reads the
 * experiment as any strategy does, so it sees exactly what the Client attached.
 */
class LossAbove implements EarlyStoppingStrategy {
  readonly asked: number[][] = [];
  constructor(private readonly limit: number) {}
  shouldStopTrialsEarly(args: { trialIndices: ReadonlySet<number>; experiment: Experiment }) {
    this.asked.push([...args.trialIndices]);
    const out = new Map<number, string | null>();
    const rows = args.experiment.lookupData({ trialIndices: args.trialIndices, metricNames: ["loss"] }).rows;
    for (const row of rows) {
      if (row.mean > this.limit) out.set(row.trialIndex, `loss ${row.mean} is above ${this.limit}`);
    }
    return out;
  }
}

async function started(options: { strategy?: EarlyStoppingStrategy; store?: MemoryStore } = {}) {
  const store = options.store ?? new MemoryStore();
  const client = new Client({
    seed: 0,
    store,
    logger: quiet(),
    ...(options.strategy ? { earlyStoppingStrategy: options.strategy } : {}),
  });
  await client.createExperiment(lossExperiment);
  const { trialIndex } = await client.getNextTrial();
  return { client, store, trialIndex };
}

describe("Client: progress and early stopping", () => {
  it("refuses an early-stopping strategy that SchedulerOptions refuses", () => {
    expect(() => new Client({ earlyStoppingStrategy: {} as EarlyStoppingStrategy })).toThrow(
      /earlyStoppingStrategy must have a shouldStopTrialsEarly/,
    );
    const badPolls = { secondsBetweenPolls: -1, shouldStopTrialsEarly: () => new Map() };
    const error = (() => {
      try {
        new Client({ earlyStoppingStrategy: badPolls });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ClientError);
    expect((error as Error).message).toMatch(/secondsBetweenPolls/);
  });

  it("attaches progress to a RUNNING trial as new data rows, without rewriting the trial", async () => {
    const { client, store, trialIndex } = await started();
    const trialsBefore = store.writeCount("training");
    await client.attachProgress(trialIndex, { loss: 0.9, accuracy: [0.4, 0.01] }, { step: 10 });
    await client.attachProgress(trialIndex, { loss: 0.5 }, { step: 20 });
    // One write per data row (three rows) and none of the trial.
    expect(store.writeCount("training")).toBe(trialsBefore + 3);
    const latest = client.experiment.lookupData({ trialIndices: [trialIndex] }).rows;
    const byMetric = Object.fromEntries(latest.map((r) => [r.metricName, [r.mean, r.sem]]));
    expect(byMetric).toEqual({ loss: [0.5, null], accuracy: [0.4, 0.01] });
    expect(client.getTrial(trialIndex).status).toBe(TrialStatus.RUNNING);
  });

  it("refuses progress for a trial that is not RUNNING, an unknown trial, bad values and bad progressions", async () => {
    const { client, store, trialIndex } = await started();
    const writes = store.writeCount("training");
    await expect(client.attachProgress(99, { loss: 1 }, { step: 1 })).rejects.toThrow(ClientError);
    await expect(client.attachProgress(trialIndex, { loss: Number.NaN }, { step: 1 })).rejects.toThrow(
      DataError,
    );
    await expect(client.attachProgress(trialIndex, { nope: 1 }, { step: 1 })).rejects.toThrow(DataError);
    for (const bad of [{}, { step: Number.NaN }, { "": 1 }, { step: "1" }, null, [1]]) {
      await expect(
        client.attachProgress(trialIndex, { loss: 1 }, bad as unknown as Record<string, number>),
      ).rejects.toThrow(/progression/);
    }
    expect(store.writeCount("training")).toBe(writes);
    await client.completeTrial(trialIndex, { loss: 0.2 });
    const error = await client.attachProgress(trialIndex, { loss: 1 }, { step: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).trialIndex).toBe(trialIndex);
    expect((error as Error).message).toMatch(/is COMPLETED.*only reported for RUNNING trials/);
  });

  it("asks the strategy about one trial, and stops it with the strategy's reason", async () => {
    const strategy = new LossAbove(0.7);
    const { client, trialIndex } = await started({ strategy });
    const other = (await client.getNextTrial()).trialIndex;
    await client.attachProgress(trialIndex, { loss: 0.9 }, { step: 10 });
    await client.attachProgress(other, { loss: 0.3 }, { step: 10 });
    expect(await client.shouldStopTrialEarly(other)).toBe(false);
    expect(await client.shouldStopTrialEarly(trialIndex)).toBe(true);
    expect(strategy.asked).toEqual([[other], [trialIndex]]);
    // Asking does not stop: the trial still runs until stopTrialEarly.
    expect(client.getTrial(trialIndex).status).toBe(TrialStatus.RUNNING);
    await client.stopTrialEarly(trialIndex);
    const stopped = client.getTrial(trialIndex);
    expect(stopped.status).toBe(TrialStatus.EARLY_STOPPED);
    expect(stopped.failureReason).toBe("loss 0.9 is above 0.7");
    // Its last value stands as its result.
    expect(client.experiment.lookupData({ trialIndices: [trialIndex] }).rows.map((r) => r.mean)).toEqual([
      0.9,
    ]);
    // A trial that ended is never to be stopped, and the strategy is not asked.
    expect(await client.shouldStopTrialEarly(trialIndex)).toBe(false);
    expect(strategy.asked).toHaveLength(2);
  });

  it("a given reason wins over the strategy's; without either the trial has none", async () => {
    const { client, trialIndex } = await started({ strategy: new LossAbove(0) });
    const second = (await client.getNextTrial()).trialIndex;
    await client.attachProgress(trialIndex, { loss: 1 }, { step: 1 });
    expect(await client.shouldStopTrialEarly(trialIndex)).toBe(true);
    await client.stopTrialEarly(trialIndex, "budget spent");
    expect(client.getTrial(trialIndex).failureReason).toBe("budget spent");
    await client.stopTrialEarly(second);
    expect(client.getTrial(second).status).toBe(TrialStatus.EARLY_STOPPED);
    expect(client.getTrial(second).failureReason).toBeNull();
  });

  it("refuses to stop a trial that is not RUNNING, and to judge without a strategy", async () => {
    const { client, trialIndex } = await started();
    const judged = await client.shouldStopTrialEarly(trialIndex).catch((e: unknown) => e);
    expect(judged).toBeInstanceOf(ClientError);
    expect((judged as Error).message).toMatch(/needs an early-stopping strategy/);
    await client.logTrialFailure(trialIndex, "crashed");
    const stop = await client.stopTrialEarly(trialIndex).catch((e: unknown) => e);
    expect(stop).toBeInstanceOf(ClientError);
    expect((stop as Error).message).toMatch(/it is FAILED; only RUNNING trials can be stopped/);
    await expect(client.stopTrialEarly(42)).rejects.toThrow(/no such trial/);
    const next = (await client.getNextTrial()).trialIndex;
    await expect(client.stopTrialEarly(next, 5 as unknown as string)).rejects.toThrow(
      /reason must be a string/,
    );
    expect(client.getTrial(next).status).toBe(TrialStatus.RUNNING);
  });

  it("keeps progress and the stop on SQLite, and a loaded Client judges and completes from them", async () => {
    const url = `sqlite:${join(tempDir(), "ascent.db")}`;
    const client = new Client({ seed: 0, dbSettings: new DBSettings({ url }), logger: quiet() });
    await client.createExperiment(lossExperiment);
    const a = (await client.getNextTrial()).trialIndex;
    const b = (await client.getNextTrial()).trialIndex;
    for (const [step, loss] of [
      [1, 0.9],
      [2, 0.8],
      [3, 0.75],
    ] as const) {
      await client.attachProgress(a, { loss }, { step });
    }
    await client.attachProgress(b, { loss: 0.6 }, { epoch: 1 });
    await client.stopTrialEarly(a, "stalled");

    const loaded = await Client.load({
      experimentName: "training",
      dbSettings: new DBSettings({ url }),
      logger: quiet(),
      earlyStoppingStrategy: new LossAbove(0.5),
    });
    const trialA = loaded.getTrial(a);
    expect(trialA.status).toBe(TrialStatus.EARLY_STOPPED);
    expect(trialA.failureReason).toBe("stalled");
    expect(loaded.experiment.lookupData({ trialIndices: [a] }).rows.map((r) => r.mean)).toEqual([0.75]);
    expect(loaded.experiment.curve(a, "loss")).toEqual([
      { progression: 1, mean: 0.9, sem: null },
      { progression: 2, mean: 0.8, sem: null },
      { progression: 3, mean: 0.75, sem: null },
    ]);
    expect(loaded.experiment.curve(b, "loss", { progressionKey: "epoch" })).toHaveLength(1);
    expect(await loaded.shouldStopTrialEarly(b)).toBe(true);
    // A later step of b, attached to the loaded experiment, is its latest value now.
    await loaded.attachProgress(b, { loss: 0.4 }, { epoch: 2 });
    expect(await loaded.shouldStopTrialEarly(b)).toBe(false);
    await loaded.completeTrial(b, { loss: 0.35 });
    expect(loaded.getTrial(b).status).toBe(TrialStatus.COMPLETED);
  });
});
