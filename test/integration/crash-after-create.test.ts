/**
 * A Scheduler process killed (SIGKILL) right after its experiment was created, before any trial: the
 * experiment and its generation strategy were stored in one transaction, so a new process resumes it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { BraninMetric, SimulatedJobRunner } from "../../examples/simulated-jobs.js";
import { DBSettings, registerMetric, registerRunner, TrialStatus } from "../../src/index.js";
import { tempDir } from "../support/temp-dir.js";
import { startTsxChild, type TsxChild } from "../support/tsx-child.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "./postgres-fixture.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** A fixture script in its own process; its stderr is printed when it fails, to explain the failure. */
function start(script: string, args: string[]): TsxChild {
  const started = startTsxChild(join(FIXTURES, script), args);
  void started.exited.then((code) => {
    if (code !== 0 && code !== null) console.error(started.err());
  });
  return started;
}

async function killAfterCreateThenResume(url: string, schema: string): Promise<void> {
  const first = start("create-then-wait-child.ts", [url, schema]);
  const deadline = Date.now() + 60_000;
  while (!first.out().includes("created")) {
    if (Date.now() > deadline) throw new Error("the experiment was never created");
    await new Promise((r) => setTimeout(r, 5));
  }
  first.child.kill("SIGKILL");
  expect(await first.exited).toBeNull();

  const second = start("crash-child.ts", ["resume", url, schema, "12"]);
  expect(await second.exited).toBe(0);
  expect(second.out()).toContain("resumed 0");
  const store = await new DBSettings({ url, ...(schema !== "-" ? { schema } : {}) }).openStore();
  try {
    const finished = (await store.loadExperiment("crash_test"))!;
    expect(finished.numTrials).toBe(12);
    expect(finished.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(12);
  } finally {
    await store.close();
  }
}

describe("SIGKILL right after the experiment was created, before its first trial", () => {
  registerMetric(BraninMetric);
  registerRunner(SimulatedJobRunner);

  it("resumes on SQLite", async () => {
    const dir = tempDir("ascent-crash-create-");
    await killAfterCreateThenResume(`sqlite:${join(dir, "ascent.db")}`, "-");
  }, 120_000);

  describe("on PostgreSQL", () => {
    const schema = randomSchema();
    afterAll(async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    });
    it("resumes", async () => {
      await killAfterCreateThenResume(POSTGRES_URL, schema);
    }, 120_000);
  });
});
