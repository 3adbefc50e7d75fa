import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { experimentKey } from "../../../src/runners/queue/index.js";
import { tempDir } from "../../support/temp-dir.js";
import { marksOf, REDIS_URL, startWorkerProcess, testQueue, waitFor } from "./support.js";
import { deploy, queueRunners, statuses, trialsAt } from "./worker-process-support.js";

// Short locks and stall checks, so that a killed worker's job is handed out again within about a second.
const FAST_STALLS = ["--lock-duration", "1", "--stalled-interval", "0.3", "--max-stalled", "2"];

const newRunner = queueRunners();

describe("ascent worker processes on the real Redis: faults", () => {
  it("a worker SIGKILLed mid-job: the job is handed to another worker and the trial completes once", async () => {
    const queueName = testQueue();
    const marks = tempDir();
    const workers = await Promise.all(
      [0, 1, 2].map(() => startWorkerProcess(REDIS_URL, queueName, marks, FAST_STALLS)),
    );
    const { runner } = newRunner(queueName);
    const trials = trialsAt("killed", [[4, 1.5, "a"]]);
    await deploy(runner, trials);
    await waitFor(() => marksOf(marks, "killed", "start-0-").length === 1, "a worker to start the job");
    const firstPid = Number(marksOf(marks, "killed", "start-0-")[0]!.split("-")[3]);
    const victim = workers.find((w) => w.child.pid === firstPid)!;
    victim.child.kill("SIGKILL");
    await victim.exited;
    await waitFor(async () => (await statuses(runner, trials))[0] === "COMPLETED", "the trial to complete");
    const result = (await runner.pollTrialResult(trials[0]!)) as { value: number; pid: number };
    expect(result.value).toBe(8);
    expect(result.pid).not.toBe(firstPid);
    // Evaluated to its end exactly once, by a surviving worker.
    expect(marksOf(marks, "killed", "done-0-")).toEqual([`done-0-${result.pid}`]);
    expect(marksOf(marks, "killed", "start-0-")).toHaveLength(2);
  }, 30_000);

  it("after `attempts` failed evaluations the trial is FAILED with the last reason", async () => {
    const queueName = testQueue();
    const marks = tempDir();
    await startWorkerProcess(REDIS_URL, queueName, marks);
    const { runner } = newRunner(queueName, { attempts: 3 });
    const trials = trialsAt("failing", [
      [1, 0.1, "b"],
      [2, 0.1, "a"],
    ]);
    await deploy(runner, trials);
    await waitFor(async () => !(await statuses(runner, trials)).includes("RUNNING"), "both trials to end");
    expect(await statuses(runner, trials)).toEqual(["FAILED", "COMPLETED"]);
    expect(await runner.pollException(trials[0]!)).toBe("failing on purpose (attempt 3)");
    expect(
      marksOf(marks, "failing", "start-0-")
        .map((m) => m.split("-")[2])
        .sort(),
    ).toEqual(["1", "2", "3"]);
  }, 30_000);

  it("a job whose trial no longer exists is discarded by the worker with a log line", async () => {
    const queueName = testQueue();
    const marks = tempDir();
    const { runner } = newRunner(queueName);
    const trials = trialsAt("gone", [
      [1, 0.1, "a"],
      [2, 0.1, "a"],
    ]);
    await deploy(runner, trials);
    // The experiment went away: nobody renews its trials' leases, and they expire.
    await runner.close();
    const redis = new Redis(REDIS_URL);
    await redis.del(`bull:${queueName}:ascent:live:${experimentKey("gone")}`);
    redis.disconnect();
    const worker = await startWorkerProcess(REDIS_URL, queueName, marks);
    await waitFor(
      () => (worker.output().match(/Discarding job/g) ?? []).length === 2,
      "both jobs to be discarded",
    );
    expect(worker.output()).toMatch(
      /Discarding job gone-\w+-t0 \(trial 0 of "gone"\): its trial no longer exists \(stopped, or its Scheduler stopped renewing it\)\./,
    );
    const { runner: again } = newRunner(queueName);
    expect(await statuses(again, trials)).toEqual(["FAILED", "FAILED"]);
    expect(await again.pollException(trials[1]!)).toMatch(/^Discarded: its trial no longer exists/);
    expect(marksOf(marks, "gone", "start-")).toEqual([]);
  }, 30_000);
});
