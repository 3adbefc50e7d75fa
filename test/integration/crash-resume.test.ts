/**
 * Crash and resume: a child process runs a Scheduler on SQLite or PostgreSQL and is killed with SIGKILL
 * after some trials completed; a new process resumes with `fromStoredExperiment`. Nothing completed may
 * be lost, running trials must be polled again (not re-created), no trial index may repeat, and the
 * finished experiment must have exactly the requested number of trials.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BraninMetric, SimulatedJobRunner } from "../../examples/simulated-jobs.js";
import {
  branin,
  DBSettings,
  type Experiment,
  registerMetric,
  registerRunner,
  type TrialSnapshot,
  TrialStatus,
} from "../../src/index.js";
import { tempDir } from "../support/temp-dir.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "./postgres-fixture.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "crash-child.ts");
const TOTAL = 12;

function startChild(args: string[]): {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let buffer = "";
  let errors = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      if (code !== 0 && code !== null) console.error(errors);
      resolve(code);
    }),
  );
  return { child, lines, exited };
}

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for the child process");
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function loadExperiment(settings: DBSettings): Promise<Experiment> {
  const store = await settings.openStore();
  try {
    return (await store.loadExperiment("crash_test"))!;
  } finally {
    await store.close();
  }
}

/** Kills a run after `killAfter` completions, resumes it, and checks the stored experiment. */
async function crashAndResume(url: string, schema: string, killAfter: number): Promise<void> {
  const settings = new DBSettings({ url, ...(schema !== "-" ? { schema } : {}) });
  const first = startChild(["start", url, schema, String(TOTAL)]);
  const completedBeforeKill = () => first.lines.filter((l) => l.startsWith("completed ")).length;
  await waitFor(() => completedBeforeKill() >= killAfter);
  first.child.kill("SIGKILL");
  expect(await first.exited).toBeNull();
  const completed = first.lines.filter((l) => l.startsWith("completed ")).map((l) => Number(l.split(" ")[1]));

  const atKill = await loadExperiment(settings);
  const snapshots = new Map<number, TrialSnapshot>(
    [...atKill.trials.values()].map((t) => [t.index, t.toJSON()]),
  );
  for (const i of completed) expect(snapshots.get(i)?.status).toBe(TrialStatus.COMPLETED);
  const runningAtKill = [...snapshots.values()].filter((s) => s.status === TrialStatus.RUNNING);

  const second = startChild(["resume", url, schema, String(TOTAL)]);
  expect(await second.exited).toBe(0);
  expect(second.lines).toContain(`resumed ${atKill.numTrials}`);
  expect(second.lines).toContain("done");

  const finished = await loadExperiment(settings);
  expect(finished.numTrials).toBe(TOTAL);
  expect([...finished.trials.keys()]).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  const names = new Set<string>();
  for (const trial of finished.trials.values()) {
    expect(trial.status).toBe(TrialStatus.COMPLETED);
    const arm = trial.arms[0]!;
    names.add(arm.name);
    const rows = finished.lookupTrialData(trial.index).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.mean).toBeCloseTo(branin(Number(arm.parameters.x1), Number(arm.parameters.x2)), 10);
  }
  expect(names.size).toBe(TOTAL);
  // What completed before the kill is unchanged; what was running was polled again, not re-created.
  for (const i of completed) expect(finished.getTrial(i).toJSON()).toEqual(snapshots.get(i));
  for (const s of runningAtKill) {
    const t = finished.getTrial(s.index);
    expect(t.runMetadata).toEqual(s.runMetadata);
    expect(t.arms[0]!.parameters).toEqual(s.arms[0]!.parameters);
  }
}

beforeAll(() => {
  registerMetric(BraninMetric);
  registerRunner(SimulatedJobRunner);
});

describe("crash and resume on SQLite", () => {
  for (const killAfter of [1, 5, 9]) {
    it(`resumes after SIGKILL once ${killAfter} trials completed`, async () => {
      const dir = tempDir("ascent-crash-");
      await crashAndResume(`sqlite:${join(dir, "ascent.db")}`, "-", killAfter);
    }, 120_000);
  }
});

describe("crash and resume on PostgreSQL", () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await adminQuery(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  });
  for (const killAfter of [2, 7]) {
    it(`resumes after SIGKILL once ${killAfter} trials completed`, async () => {
      const schema = randomSchema();
      schemas.push(schema);
      await crashAndResume(POSTGRES_URL, schema, killAfter);
    }, 120_000);
  }
});
