import { describe, expect, it } from "vitest";
import { tempDir } from "../../support/temp-dir.js";
import { marksOf, REDIS_URL, startWorkerProcess, testQueue, waitFor } from "./support.js";
import { deploy, queueRunners, statuses, trialsAt } from "./worker-process-support.js";

const newRunner = queueRunners();

describe("ascent worker processes on the real Redis: stops and shutdown", () => {
  it("stop: a waiting job is removed, an active one is aborted by its worker", async () => {
    const queueName = testQueue();
    const marks = tempDir();
    const worker = await startWorkerProcess(REDIS_URL, queueName, marks);
    const { runner } = newRunner(queueName);
    const trials = trialsAt("stopped", [
      [1, 10, "a"],
      [2, 0.1, "a"],
    ]);
    await deploy(runner, trials);
    await waitFor(() => marksOf(marks, "stopped", "start-0-").length === 1, "the first job to start");
    await runner.stop(trials[1]!, "not needed");
    await runner.stop(trials[0]!, "early-stopping strategy");
    await waitFor(() => worker.output().includes("aborted"), "the worker to abort the job");
    expect(worker.output()).toContain("early-stopping strategy");
    await waitFor(async () => (await statuses(runner, trials))[0] === "FAILED", "the aborted job to fail");
    expect(await statuses(runner, trials)).toEqual(["FAILED", "FAILED"]);
    expect(await runner.pollException(trials[0]!)).toBe("Stopped: early-stopping strategy");
    expect(await runner.pollException(trials[1]!)).toMatch(/^job not found/);
    expect(marksOf(marks, "stopped", "start-1-")).toEqual([]);
  }, 30_000);

  it("SIGTERM: the worker finishes its active job, takes no more, and exits 0", async () => {
    const queueName = testQueue();
    const marks = tempDir();
    const worker = await startWorkerProcess(REDIS_URL, queueName, marks);
    const { runner } = newRunner(queueName);
    const trials = trialsAt("graceful", [
      [1, 0.5, "a"],
      [2, 0.1, "a"],
    ]);
    await deploy(runner, trials);
    await waitFor(() => marksOf(marks, "graceful", "start-0-").length === 1, "the first job to start");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(await statuses(runner, trials)).toEqual(["COMPLETED", "RUNNING"]);
    expect(worker.output()).toContain("Received SIGTERM");
  }, 30_000);

  it("a second SIGTERM hands the active job back to the queue, where another worker finishes it", async () => {
    const queueName = testQueue();
    const marks = tempDir();
    const first = await startWorkerProcess(REDIS_URL, queueName, marks);
    const { runner } = newRunner(queueName);
    const trials = trialsAt("handed-back", [[3, 1.5, "a"]]);
    await deploy(runner, trials);
    await waitFor(() => marksOf(marks, "handed-back", "start-0-").length === 1, "the job to start");
    first.child.kill("SIGTERM");
    await waitFor(() => first.output().includes("Received SIGTERM"), "the first signal");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("handed back to the queue");
    await startWorkerProcess(REDIS_URL, queueName, marks);
    await waitFor(async () => (await statuses(runner, trials))[0] === "COMPLETED", "the trial to complete");
    // Handed back, not failed: the second worker's evaluation is the job's first attempt again.
    expect(marksOf(marks, "handed-back", "start-0-").map((m) => m.split("-")[2])).toEqual(["1", "1"]);
  }, 40_000);
});
