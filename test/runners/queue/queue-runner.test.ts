import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { QueueRunner, QueueWorker, TrialStatus } from "../../../src/index.js";
import { captureLogger, experimentWithTrials, REDIS_URL, testQueue, waitFor } from "./support.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function runner(queueName: string, options: Partial<ConstructorParameters<typeof QueueRunner>[0]> = {}) {
  const { logger, lines } = captureLogger("QueueRunner");
  const r = new QueueRunner({ connection: { url: REDIS_URL }, queueName, logger, ...options });
  open.push(r);
  return { runner: r, lines };
}

async function worker(
  queueName: string,
  evaluate: ConstructorParameters<typeof QueueWorker>[0]["evaluate"],
  concurrency = 2,
) {
  const { logger, lines } = captureLogger("QueueWorker");
  const w = new QueueWorker({
    connection: { url: REDIS_URL },
    queueName,
    evaluate,
    concurrency,
    logger,
    livenessCheckSeconds: 0.1,
    shutdownGraceSeconds: 1,
  });
  open.push(w);
  await w.start();
  return { worker: w, lines };
}

async function statusOf(r: QueueRunner, trials: Parameters<QueueRunner["pollTrialStatus"]>[0]) {
  const map = await r.pollTrialStatus(trials);
  const out: Record<number, string> = {};
  for (const [status, indices] of map) for (const i of indices) out[i] = status;
  return out;
}

describe("QueueRunner with a QueueWorker on the real Redis", () => {
  it("queues one job per trial, reports RUNNING until a worker evaluates it, then COMPLETED with its result", async () => {
    const queueName = testQueue();
    const { runner: r } = runner(queueName);
    const { trials } = experimentWithTrials("sweep", 3);
    const meta = await r.runMultiple(trials);
    expect(meta.get(1)).toMatchObject({ queueName });
    expect(meta.get(1)!.jobId).toMatch(/^sweep-[0-9a-f]{12}-t1$/);
    expect(Object.values(await statusOf(r, trials))).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    for (const t of trials) t.updateRunMetadata(meta.get(t.index)!);
    await worker(queueName, (p, ctx) => ({
      loss: Number(p.x1) * 10 + ctx.trialIndex,
      attempt: ctx.attempt,
    }));
    await waitFor(
      async () => Object.values(await statusOf(r, trials)).every((s) => s === "COMPLETED"),
      "completion",
    );
    expect(await r.pollTrialResult(trials[2]!)).toEqual({ loss: 22, attempt: 1 });
    // Read again from the job when not kept from a poll.
    expect(await r.pollTrialResult(trials[2]!)).toEqual({ loss: 22, attempt: 1 });
  });

  it("a retried deploy finds the job it queued instead of queuing a second one", async () => {
    const queueName = testQueue();
    const { runner: r } = runner(queueName);
    const { trials } = experimentWithTrials("retried", 1);
    const first = await r.run(trials[0]!);
    const again = await r.run(trials[0]!);
    expect(again.jobId).toBe(first.jobId);
    const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    try {
      expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 1 });
    } finally {
      await queue.close();
    }
  });

  it("refuses a job id taken by an earlier experiment of the same name with other parameters", async () => {
    const queueName = testQueue();
    const { runner: r } = runner(queueName);
    await r.run(experimentWithTrials("same-name", 1).trials[0]!);
    const other = experimentWithTrials("same-name", 2).trials[1]!;
    await r.run(other);
    const { experiment } = experimentWithTrials("same-name", 0);
    const clash = experiment.newTrial({ generatorRun: other.generatorRuns[0]! });
    expect(clash.index).toBe(0);
    await expect(r.run(clash)).rejects.toThrow(
      /already holds job .* for trial 0 of an experiment named "same-name", with other parameters/,
    );
  });

  it("after `attempts` failures the trial is FAILED with the last attempt's reason", async () => {
    const queueName = testQueue();
    const { runner: r } = runner(queueName, { attempts: 3, backoffSeconds: 0.01 });
    const { trials } = experimentWithTrials("flaky", 1);
    await r.run(trials[0]!);
    await worker(queueName, (_p, ctx) => {
      throw new Error(`attempt ${ctx.attempt} broke`);
    });
    await waitFor(async () => (await statusOf(r, trials))[0] === "FAILED", "failure");
    expect(await r.pollException(trials[0]!)).toBe("attempt 3 broke");
  });

  it("a trial whose job is gone is FAILED with 'job not found'", async () => {
    const queueName = testQueue();
    const { runner: r } = runner(queueName);
    const { trials } = experimentWithTrials("removed", 1);
    trials[0]!.updateRunMetadata(await r.run(trials[0]!));
    const queue = new Queue(queueName, { connection: { url: REDIS_URL } });
    await queue.remove(String(trials[0]!.runMetadata.jobId));
    await queue.close();
    expect(await statusOf(r, trials)).toEqual({ 0: TrialStatus.FAILED });
    expect(await r.pollException(trials[0]!)).toMatch(
      /^job not found: job removed-\w+-t0 of trial 0 is not in queue/,
    );
  });

  it("capacity is the live workers' concurrency minus waiting and active jobs", async () => {
    const queueName = testQueue();
    const { runner: r, lines } = runner(queueName);
    expect(await r.pollAvailableCapacity()).toBe(0);
    expect(lines.join("\n")).toContain(`No worker serves queue "${queueName}"`);
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const gated = async () => {
        await gate;
        return 1;
      };
      await worker(queueName, gated, 3);
      await worker(queueName, gated, 2);
      expect(await r.pollAvailableCapacity()).toBe(5);
      const { trials } = experimentWithTrials("capacity", 2);
      await r.runMultiple(trials);
      expect(await r.pollAvailableCapacity()).toBe(3);
    } finally {
      release();
    }
  });

  it("tells listeners when one of its jobs finished", async () => {
    const queueName = testQueue();
    const { runner: r } = runner(queueName);
    const { trials } = experimentWithTrials("notify", 1);
    let heard = 0;
    const off = r.onTrialChange(() => {
      heard++;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await r.run(trials[0]!);
    await worker(queueName, () => 1);
    await waitFor(() => heard > 0, "a change notification");
    off();
  });
});
