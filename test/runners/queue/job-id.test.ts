import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QueueRunnerError } from "../../../src/errors.js";
import { QueueRunner } from "../../../src/index.js";
import {
  experimentKey,
  parseJobPayload,
  redactRedisUrl,
  resolveRedisUrl,
  trialJobId,
} from "../../../src/runners/queue/index.js";

describe("trialJobId", () => {
  it("is the same for the same experiment and trial, readable, and has the form BullMQ accepts", () => {
    expect(trialJobId("lr sweep", 7)).toBe(trialJobId("lr sweep", 7));
    expect(trialJobId("lr sweep", 7)).toMatch(/^lr_sweep-[0-9a-f]{12}-t7$/);
  });

  it("never contains ':' nor is an integer, and differs between experiments and trials", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 80 }), fc.nat(10_000), (a, b, i) => {
        const id = trialJobId(a, i);
        expect(id).not.toContain(":");
        expect(`${Number.parseInt(id, 10)}`).not.toBe(id);
        if (a !== b) expect(trialJobId(b, i)).not.toBe(id);
        expect(trialJobId(a, i + 1)).not.toBe(id);
      }),
      { seed: 11 },
    );
  });

  it("keeps names that read alike apart", () => {
    expect(experimentKey("a b")).not.toBe(experimentKey("a_b"));
    expect(experimentKey("a:b")).not.toContain(":");
    expect(experimentKey("x".repeat(500)).length).toBeLessThan(60);
  });
});

describe("Redis URLs", () => {
  const env = { ASCENT_REDIS_URL: "rediss://app:s3cret@queue.internal:6380/2" };

  it("default to ASCENT_REDIS_URL, else the local server", () => {
    expect(resolveRedisUrl(undefined, env)).toBe("rediss://app:s3cret@queue.internal:6380/2");
    expect(resolveRedisUrl(undefined, {})).toBe("redis://127.0.0.1:6379");
  });

  it("take the credentials of ASCENT_REDIS_URL for the same host and port only", () => {
    expect(resolveRedisUrl("rediss://queue.internal:6380/2", env)).toBe(
      "rediss://app:s3cret@queue.internal:6380/2",
    );
    expect(resolveRedisUrl("rediss://other:6380/2", env)).toBe("rediss://other:6380/2");
    expect(resolveRedisUrl("rediss://me:mine@queue.internal:6380", env)).toBe(
      "rediss://me:mine@queue.internal:6380",
    );
  });

  it("are redacted for storage and logs", () => {
    expect(redactRedisUrl("rediss://app:s3cret@queue.internal:6380/2")).toBe(
      "rediss://queue.internal:6380/2",
    );
  });

  it.each([
    ["http://x:1", 'has scheme "http:"'],
    ["not a url", "is not a URL"],
    ["redis://:pw@@", "is not a URL"],
  ])("refuses %j, without quoting a password", (url, message) => {
    const error = (() => {
      try {
        resolveRedisUrl(url, {});
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(QueueRunnerError);
    expect(error!.message).toContain(message);
    expect(error!.message).not.toContain("pw");
  });
});

describe("QueueRunner's stored form", () => {
  it("keeps no password, and a runner rebuilt from it gets the credentials back from the environment", () => {
    const saved = process.env.ASCENT_REDIS_URL;
    process.env.ASCENT_REDIS_URL = "redis://app:s3cret@127.0.0.1:6379/3";
    try {
      const runner = new QueueRunner({ queueName: "trials", attempts: 3, jobTimeoutSeconds: 60 });
      const fields = runner.storedFields();
      expect(JSON.stringify(fields)).not.toContain("s3cret");
      expect(fields).toEqual({
        connection: { url: "redis://127.0.0.1:6379/3" },
        queueName: "trials",
        attempts: 3,
        backoffSeconds: 5,
        jobTimeoutSeconds: 60,
        trialLeaseSeconds: 900,
        keepJobsSeconds: 604_800,
        prefix: "bull",
      });
      const rebuilt = new QueueRunner(fields as never);
      expect(rebuilt.storedFields()).toEqual(fields);
      expect((rebuilt as unknown as { settings: { url: string } }).settings.url).toBe(
        "redis://app:s3cret@127.0.0.1:6379/3",
      );
    } finally {
      if (saved === undefined) delete process.env.ASCENT_REDIS_URL;
      else process.env.ASCENT_REDIS_URL = saved;
    }
  });

  it.each([
    [{ queueName: "" }, "queue name must be a non-empty string"],
    [{ queueName: "a:b" }, 'without ":"'],
    [{ queueName: "q", attempts: 0 }, "attempts must be an integer ≥ 1"],
    [{ queueName: "q", jobTimeoutSeconds: -1 }, "jobTimeoutSeconds must be a positive number"],
    [{ queueName: "q", prefix: "a:b" }, "prefix must be a non-empty string"],
  ])("refuses %j", (options, message) => {
    expect(() => new QueueRunner(options as never)).toThrow(message);
  });
});

describe("parseJobPayload", () => {
  const good = {
    format: 1,
    experimentName: "e",
    experimentKey: experimentKey("e"),
    trialIndex: 2,
    parameters: { x: 1, c: "a", b: true },
    timeoutSeconds: null,
  };

  it("accepts a payload the runner wrote", () => {
    expect(parseJobPayload(good)).toEqual(good);
  });

  it.each([
    [null, "not an object"],
    [{ ...good, format: 2 }, "payload format is 2"],
    [{ ...good, trialIndex: -1 }, "trialIndex is not an index"],
    [{ ...good, experimentKey: "a:b" }, "experimentKey is not a key"],
    [{ ...good, parameters: { x: [1] } }, 'parameter "x" is not a string, number or boolean'],
    [{ ...good, timeoutSeconds: 0 }, "timeoutSeconds is neither null nor a positive number"],
  ])("refuses %j with why", (data, why) => {
    expect(parseJobPayload(data)).toContain(why);
  });
});
