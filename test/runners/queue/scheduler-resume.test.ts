/**
 * The Scheduler is SIGKILLed while trials wait in the queue or run on workers; a new process resumes it
 * with `fromStoredExperiment` on SQLite and on PostgreSQL. The rebuilt QueueRunner re-attaches to the
 * queued and active jobs from their run metadata: no trial is queued or evaluated twice, none is lost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DBSettings, type Experiment, TrialStatus } from "../../../src/index.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../../integration/postgres-fixture.js";
import { tempDir } from "../../support/temp-dir.js";
import {
  deleteQueueKeys,
  marksOf,
  REDIS_URL,
  startWorkerProcess,
  type WorkerProcess,
  waitFor,
} from "./support.js";

const CHILD = "test/runners/queue/fixtures/scheduler-child.ts";
const TOTAL = 8;

function startScheduler(args: string[]): {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function load(settings: DBSettings, name: string): Promise<Experiment> {
  const store = await settings.openStore();
  try {
    return (await store.loadExperiment(name))!;
  } finally {
    await store.close();
  }
}

/** The three worker processes both runs share (one queue; each run has its own experiment). */
let queueName = "";
let marks = "";
beforeAll(async () => {
  queueName = `ascent-test-resume-${randomBytes(5).toString("hex")}`;
  marks = mkdtempSync(join(tmpdir(), "ascent-marks-"));
  workers = await Promise.all(
    [0, 1, 2].map(() => startWorkerProcess(REDIS_URL, queueName, marks, [], false)),
  );
}, 60_000);
let workers: WorkerProcess[] = [];
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await deleteQueueKeys(REDIS_URL, queueName);
  rmSync(marks, { recursive: true, force: true });
});

async function killAndResume(name: string, dbUrl: string, schema: string): Promise<void> {
  const settings = new DBSettings({ url: dbUrl, ...(schema !== "-" ? { schema } : {}) });
  const args = [name, dbUrl, schema, REDIS_URL, queueName, String(TOTAL)];
  const first = startScheduler(["start", ...args]);
  await waitFor(() => (first.out().match(/^completed /gm) ?? []).length >= 3, "3 completed trials", 30_000);
  first.child.kill("SIGKILL");
  expect(await first.exited).toBeNull();

  const atKill = await load(settings, name);
  const runningAtKill = atKill.trialIndicesWithStatus(TrialStatus.RUNNING);
  // The kill left trials in the queue or on workers: what resuming must re-attach to.
  expect(runningAtKill.size).toBeGreaterThan(0);

  const second = startScheduler(["resume", ...args]);
  expect(await second.exited).toBe(0);
  expect(second.out()).toContain(`${runningAtKill.size} running`);
  const final = await load(settings, name);
  expect(final.numTrials).toBe(TOTAL);
  expect(final.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(TOTAL);
  for (const trial of final.trials.values()) {
    expect(trial.runMetadata.result).toMatchObject({ value: Number(trial.arms[0]!.parameters.x1) * 2 });
  }
  // Every trial was evaluated to its end exactly once: the re-attached jobs were not queued again.
  const done = marksOf(marks, name, "done-").map((m) => Number(m.split("-")[1]));
  expect(done.sort((a, b) => a - b)).toEqual([...Array(TOTAL).keys()]);
  for (const i of runningAtKill) expect(marksOf(marks, name, `start-${i}-`)).toHaveLength(1);
}

describe("a SIGKILLed Scheduler resumed with fromStoredExperiment re-attaches to its queued and active jobs", () => {
  it("on SQLite", async () => {
    await killAndResume("resume_sqlite", `sqlite:${join(tempDir(), "resume.db")}`, "-");
  }, 60_000);

  it("on PostgreSQL", async () => {
    const schema = randomSchema();
    try {
      await killAndResume("resume_postgres", POSTGRES_URL, schema);
    } finally {
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  }, 60_000);
});
