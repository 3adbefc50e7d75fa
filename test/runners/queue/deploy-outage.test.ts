/**
 * A deploy made while Redis is down waits until Redis is back and queues its job, instead of failing the
 * trial (the Scheduler would mark it FAILED).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Experiment, QueueRunner } from "../../../src/index.js";
import { makeSpace, point, run } from "../../core/helpers.js";
import { captureLogger, startThrowawayRedis } from "./support.js";

const runners: QueueRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close();
});

describe("QueueRunner deploys through a Redis outage", () => {
  it("waits for Redis to come back, then queues the job once", async () => {
    const redis = await startThrowawayRedis();
    const { logger, lines } = captureLogger("QueueRunner");
    const runner = new QueueRunner({ connection: { url: redis.url }, queueName: "outage", logger });
    runners.push(runner);
    const experiment = new Experiment({ name: "outage", searchSpace: makeSpace() });
    const first = experiment.newTrial({ generatorRun: run(point(0.1)) });
    await runner.run(first); // connected

    await redis.kill();
    const second = experiment.newTrial({ generatorRun: run(point(0.2)) });
    const deployed = runner.run(second);
    let settled = false;
    void deployed.finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(settled).toBe(false); // still waiting for Redis, not failed
    await redis.start();
    const metadata = await deployed;
    expect(metadata).toMatchObject({ jobId: expect.any(String), queueName: "outage" });
    second.updateRunMetadata(metadata);
    const statuses = await runner.pollTrialStatus([second]);
    expect([...(statuses.get("RUNNING") ?? [])]).toEqual([second.index]);
    expect(lines.join("\n")).toMatch(
      /Could not queue trials 1 on queue "outage" .*trying again until Redis answers/,
    );
  }, 30_000);
});
