import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrialStatus } from "../../src/core/trial-status.js";
import { ExperimentExistsError, FunctionRunnerError, OptimizeArgumentError } from "../../src/errors.js";
import { Scheduler, SchedulerOptions } from "../../src/scheduler/index.js";
import { type OptimizeOptions, optimize } from "../../src/service/optimize.js";
import { DBSettings, type DBSettingsOptions } from "../../src/storage/db-settings.js";
import { LogLevel } from "../../src/util/logger.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../integration/postgres-fixture.js";
import { registerFunctionRunner } from "../runners/function/fixtures.js";
import { tempDir } from "../support/temp-dir.js";
import { startTsxChild } from "../support/tsx-child.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const loss = ({ x }: Record<string, unknown>) => (Number(x) - 0.3) ** 2;

/** optimize() over x in [0, 1] on the database `db` (a URL, or settings), counting evaluations in `calls`. */
function options(
  db: string | DBSettingsOptions,
  calls: number[],
  extra: Partial<OptimizeOptions> = {},
): OptimizeOptions {
  return {
    name: "stored_fn",
    parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
    objectives: { loss: { minimize: true } },
    evaluate: (p, { trialIndex }) => {
      calls.push(trialIndex);
      return loss(p);
    },
    totalTrials: 4,
    seed: 0,
    dbSettings: new DBSettings(db),
    chooseGenerationStrategyOptions: { forceRandomSearch: true },
    loggingLevel: LogLevel.ERROR,
    ...extra,
  };
}

/**
 * Saves every trial; resuming needs the function again, a stored name needs resume, which continues to
 * totalTrials with the stored results kept.
 */
async function storeAndResume(db: string | DBSettingsOptions): Promise<void> {
  const first: number[] = [];
  const done = await optimize(options(db, first));
  expect(first).toEqual([0, 1, 2, 3]);

  // Without the runner, the stored FunctionRunner has no function: the run ends with how to resume.
  const scheduler = await Scheduler.fromStoredExperiment({
    experimentName: "stored_fn",
    dbSettings: new DBSettings(db),
    options: new SchedulerOptions({ loggingLevel: LogLevel.ERROR }),
  });
  const error = await scheduler.runNTrials({ maxTrials: 2 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FunctionRunnerError);
  expect((error as Error).message).toMatch(/no evaluate function.*runner: new FunctionRunner\(evaluate\)/);
  await scheduler.store!.close();

  const again = await optimize(options(db, [])).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(ExperimentExistsError);
  expect((again as Error).message).toMatch(
    /"stored_fn" is already stored .*Pass resume: true to continue it/,
  );

  const second: number[] = [];
  const resumed = await optimize(options(db, second, { totalTrials: 7, resume: true }));
  expect(resumed.resumed).toBe(true);
  expect(second).toEqual([4, 5, 6]);
  expect(resumed.trialCounts.COMPLETED).toBe(7);
  // The first run's results were read back from the store, not evaluated again.
  for (const i of [0, 1, 2, 3]) {
    expect(resumed.experiment.getTrial(i).runMetadata.result).toEqual(
      done.experiment.getTrial(i).runMetadata.result,
    );
  }
  const store = await new DBSettings(db).openStore();
  try {
    expect((await store.loadExperiment("stored_fn"))!.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(7);
  } finally {
    await store.close();
  }
}

describe("optimize with dbSettings", () => {
  beforeAll(() => registerFunctionRunner());

  it("saves every trial; resuming needs the function again, a stored name needs resume, which continues (SQLite)", async () => {
    await storeAndResume(`sqlite:${join(tempDir(), "ascent.db")}`);
  });

  describe("on PostgreSQL", () => {
    const schema = randomSchema();
    afterAll(async () => {
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    });
    it("saves, refuses a stored name without resume, and resumes", async () => {
      await storeAndResume({ url: POSTGRES_URL, schema });
    });
  });

  it("resume: true starts the experiment when none is stored, and refuses another problem under the name", async () => {
    const url = `sqlite:${join(tempDir(), "ascent.db")}`;
    const started = await optimize(options(url, [], { resume: true, totalTrials: 2 }));
    expect(started.resumed).toBe(false);
    const error = await optimize(
      options(url, [], { resume: true, objectives: { loss: { minimize: false } } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizeArgumentError);
    expect((error as Error).message).toMatch(
      /stored with parameters x; objectives loss \(minimize\), but optimize was given parameters x; objectives loss \(maximize\)/,
    );
  });

  it("after a SIGKILL, a resumed run with a new FunctionRunner reports the lost evaluation FAILED", async () => {
    const url = `sqlite:${join(tempDir(), "ascent.db")}`;
    const child = startTsxChild(join(HERE, "optimize-crash-child.ts"), [url, "crashed_fn"]);
    const deadline = Date.now() + 60_000;
    while (!child.out().includes("hung")) {
      if (Date.now() > deadline) throw new Error(`the child never got to trial 2: ${child.err()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    child.child.kill("SIGKILL");
    expect(await child.exited).toBeNull();

    const calls: number[] = [];
    const resumed = await optimize(options(url, calls, { name: "crashed_fn", totalTrials: 5, resume: true }));
    const lost = resumed.experiment.getTrial(2);
    expect(lost.status).toBe(TrialStatus.FAILED);
    expect(lost.failureReason).toMatch(
      new RegExp(
        `^Trial 2's evaluation was lost: it ran in process ${child.child.pid} on .*cannot be re-attached to`,
      ),
    );
    expect(calls).toEqual([3, 4]);
    expect(resumed.trialCounts).toMatchObject({ COMPLETED: 4, FAILED: 1, RUNNING: 0 });
  }, 60_000);
});
