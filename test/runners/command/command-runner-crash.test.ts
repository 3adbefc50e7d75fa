/**
 * The Scheduler process is SIGKILLed while its CommandRunner trials run; a new Scheduler resumes from the
 * store (SQLite, PostgreSQL) with a runner rebuilt from the stored fields. Trial processes outlive the
 * kill; the resumed runner re-attaches to the running ones, reads what finished ones left, fails the one
 * that died without a result and kills the one past its timeout. No trial is ever launched twice.
 *
 * What each trial does (fixtures/trial-program.mjs, mode "by-index"): 0, 1 and 6.. report at once;
 * 2 and 3 report after 4 s; 4 exits after 1 s without a result; 5 sleeps past its 6 s timeout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CommandRunner,
  DBSettings,
  type Experiment,
  LogLevel,
  RESULT_KEY,
  Scheduler,
  SchedulerOptions,
  TrialStatus,
} from "../../../src/index.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../../integration/postgres-fixture.js";
import { tempDir } from "../../support/temp-dir.js";
import { startTsxChild } from "../../support/tsx-child.js";
import { isAlive, waitFor } from "./support.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "command-scheduler-child.ts");
const EXPERIMENT = "command crash/test";
const TOTAL = 9;

/** Launches logged by the trial program: trial index -> pids (one each, unless a trial was re-run). */
function launches(log: string): Map<number, number[]> {
  const byIndex = new Map<number, number[]>();
  for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
    const [index, pid] = line.split(" ").slice(0, 2).map(Number);
    byIndex.set(index!, [...(byIndex.get(index!) ?? []), pid!]);
  }
  return byIndex;
}

async function loadStored(dbSettings: DBSettings): Promise<Experiment> {
  const store = await dbSettings.openStore();
  try {
    return (await store.loadExperiment(EXPERIMENT))!;
  } finally {
    await store.close();
  }
}

async function crashAndResume(dbSettings: DBSettings, url: string, schema: string): Promise<void> {
  const workDir = tempDir("ascent-command-crash-");
  const log = join(workDir, "launches.log");
  writeFileSync(log, "");
  const child = startTsxChild(CHILD, [url, schema, workDir, log, String(TOTAL)]);
  await waitFor(() => [0, 1, 2, 3, 4, 5].every((i) => launches(log).has(i)), "six launches", 30_000);
  child.child.kill("SIGKILL");
  expect(await child.exited).toBeNull();
  const pidOf = (i: number) => launches(log).get(i)![0]!;
  // The trials outlive the Scheduler: no pipe tied them to it.
  expect(isAlive(pidOf(2)) && isAlive(pidOf(3)) && isAlive(pidOf(5))).toBe(true);

  const atKill = await loadStored(dbSettings);
  for (const i of [2, 3, 5]) {
    expect(atKill.getTrial(i).status).toBe(TrialStatus.RUNNING);
    expect(atKill.getTrial(i).runMetadata.pid).toBe(pidOf(i));
  }

  // The stored runner keeps env names only: the resuming process supplies the values.
  process.env.LAUNCH_LOG = log;
  const scheduler = await Scheduler.fromStoredExperiment({
    experimentName: EXPERIMENT,
    dbSettings,
    options: new SchedulerOptions({
      totalTrials: TOTAL,
      maxPendingTrials: 6,
      initSecondsBetweenPolls: 0.2,
      minSecondsBeforePoll: 0,
      loggingLevel: LogLevel.ERROR,
    }),
  });
  expect(scheduler.experiment.runner).toBeInstanceOf(CommandRunner);
  try {
    await scheduler.runAllTrials();
  } finally {
    delete process.env.LAUNCH_LOG;
  }

  const experiment = await loadStored(dbSettings);
  expect(experiment.numTrials).toBe(TOTAL);
  const launched = launches(log);
  expect([...launched.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  for (const [index, pids] of launched)
    expect({ index, launches: pids.length }).toEqual({ index, launches: 1 });
  for (const trial of experiment.trials.values()) {
    // The pid it was launched with; or none for a launch whose Scheduler was killed in the middle of the
    // spawn and which had ended when resumed (adopted from what it left, not run again).
    expect([pidOf(trial.index), null]).toContain(trial.runMetadata.pid);
    expect(isAlive(pidOf(trial.index))).toBe(false);
    const x = trial.arms[0]!.parameters.x as number;
    if (trial.index === 4) {
      expect(trial.status).toBe(TrialStatus.FAILED);
      expect(trial.failureReason).toContain("Trial 4: the command exited normally but reported no result");
      expect(trial.failureReason).toContain("gave up without a result");
    } else if (trial.index === 5) {
      expect(trial.status).toBe(TrialStatus.FAILED);
      expect(trial.failureReason).toContain("Trial 5 timed out after 6 s");
    } else {
      expect(trial.status).toBe(TrialStatus.COMPLETED);
      expect(trial.runMetadata[RESULT_KEY]).toEqual({ objective: x, index: trial.index });
      expect(
        experiment.lookupTrialData(trial.index).rows.find((r) => r.metricName === "objective")?.mean,
      ).toBe(x);
    }
  }
}

describe("CommandRunner: the Scheduler is SIGKILLed while trials run", () => {
  it("re-attaches on SQLite: running trials complete, finished ones are read, none is re-run", async () => {
    const dir = tempDir("ascent-command-db-");
    const url = `sqlite:${join(dir, "ascent.db")}`;
    await crashAndResume(new DBSettings({ url }), url, "-");
  }, 60_000);

  it("re-attaches on PostgreSQL", async () => {
    const schema = randomSchema();
    try {
      await crashAndResume(new DBSettings({ url: POSTGRES_URL, schema }), POSTGRES_URL, schema);
    } finally {
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  }, 60_000);
});
