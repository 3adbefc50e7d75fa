import { describe, expect, it } from "vitest";
import { runQueueExample } from "../../examples/queue-runner/driver.js";
import { TrialStatus } from "../../src/index.js";
import { REDIS_URL, testQueue } from "../runners/queue/support.js";

describe("examples/queue-runner (two ascent worker processes and optimize() with a QueueRunner)", () => {
  it("evaluates every trial on the workers and reports the best point", async () => {
    const queueName = testQueue();
    const result = await runQueueExample({ trials: 5, queueName, redisUrl: REDIS_URL, print: false });
    expect(result.experiment.numTrials).toBe(5);
    expect(result.trialCounts[TrialStatus.COMPLETED]).toBe(5);
    for (const trial of result.experiment.trials.values()) {
      const { mse, epochs } = trial.runMetadata.result as { mse: number; epochs: number };
      expect(mse).toBeGreaterThan(0);
      expect(epochs).toBe(trial.arms[0]!.parameters.epochs);
    }
    const best = Math.min(
      ...[...result.experiment.trials.values()].map((t) => (t.runMetadata.result as { mse: number }).mse),
    );
    expect(result.bestParameters).toBeDefined();
    expect((result.values as { mse: number }).mse).toBeCloseTo(best, 1);
  }, 60_000);
});
