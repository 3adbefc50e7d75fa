import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Experiment, QueueRunner } from "../../../src/index.js";
import { makeSpace, point, run } from "../../core/helpers.js";
import { tempDir } from "../../support/temp-dir.js";
import { captureLogger, REDIS_URL, startWorkerProcess, testQueue, waitFor } from "./support.js";

const runners: QueueRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close();
});

describe("ascent worker --command", () => {
  it("runs the program once per trial with CommandRunner's rules: placeholders, environment, result, exit status", async () => {
    const queueName = testQueue();
    const workDir = tempDir();
    const script = join(process.cwd(), "test/runners/queue/fixtures/train.mjs");
    const command = ["--work-dir", workDir, "--command", "--", process.execPath, script, "{x1}"];
    await startWorkerProcess(REDIS_URL, queueName, tempDir(), command);
    const runner = new QueueRunner({
      connection: { url: REDIS_URL },
      queueName,
      logger: captureLogger("r").logger,
    });
    runners.push(runner);
    const experiment = new Experiment({ name: "cmd", searchSpace: makeSpace() });
    const trials = [0.25, 0.95].map((x) => experiment.newTrial({ generatorRun: run(point(x)) }));
    const meta = await runner.runMultiple(trials);
    for (const t of trials) t.updateRunMetadata(meta.get(t.index)!);
    const ended = async () => {
      const map = await runner.pollTrialStatus(trials);
      return (map.get("COMPLETED")?.size ?? 0) + (map.get("FAILED")?.size ?? 0) === 2;
    };
    await waitFor(ended, "both trials to end");
    const map = await runner.pollTrialStatus(trials);
    expect([...(map.get("COMPLETED") ?? [])]).toEqual([0]);
    expect(await runner.pollTrialResult(trials[0]!)).toEqual({ value: 0.5, trial: 0 });
    expect(await runner.pollException(trials[1]!)).toMatch(
      /exit.* 3[\s\S]*x1 = 0\.95 is out of the stable range/,
    );
    // Each trial has its directory under --work-dir, with its logs.
    expect(existsSync(join(workDir, "cmd", "0", "stdout.log"))).toBe(true);
  }, 30_000);

  it("delivers the progress lines the program appends to $ASCENT_PROGRESS_FILE, skipping malformed ones", async () => {
    const queueName = testQueue();
    const script = join(process.cwd(), "test/runners/queue/fixtures/progress-train.mjs");
    const command = ["--work-dir", tempDir(), "--command", "--", process.execPath, script, "{x1}"];
    const worker = await startWorkerProcess(REDIS_URL, queueName, tempDir(), command);
    const runner = new QueueRunner({
      connection: { url: REDIS_URL },
      queueName,
      logger: captureLogger("r").logger,
    });
    runners.push(runner);
    const experiment = new Experiment({ name: "cmd_progress", searchSpace: makeSpace() });
    const trial = experiment.newTrial({ generatorRun: run(point(0.25)) });
    trial.updateRunMetadata((await runner.runMultiple([trial])).get(trial.index)!);
    await waitFor(
      async () => (await runner.pollTrialStatus([trial])).get("COMPLETED")?.size === 1,
      "the trial",
    );
    expect(await runner.pollTrialResult(trial)).toEqual({ loss: 0.25 + 1 / 3 });
    const records = await runner.takeProgress(trial);
    expect(records).toEqual(
      [1, 2, 3].map((step) => ({ progression: { step }, values: { loss: 0.25 + 1 / step } })),
    );
    expect(worker.output()).toMatch(
      /Trial 0: skipping line 2 of its progress file: not JSON: not a progress line/,
    );
  }, 30_000);
});
