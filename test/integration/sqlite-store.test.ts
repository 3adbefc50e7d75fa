import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { Data, Experiment, ParameterType, RangeParameter, SearchSpace } from "../../src/core/index.js";
import { StoredTrialOutsideSearchSpaceError } from "../../src/errors.js";
import { Scheduler } from "../../src/scheduler/index.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/storage/sql/migrations.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { describeExperimentStoreContract } from "../contracts/experiment-store.contract.js";
import { contractExperiment, registerContractMetric, row } from "../contracts/store-contract-fixtures.js";
import { point, run } from "../core/helpers.js";
import { tempDir } from "../support/temp-dir.js";

/** A fresh directory, a store file in it, and every instance opened on it closed at cleanup. */
async function sqliteFixture() {
  const dir = tempDir("ascent-sqlite-");
  const path = join(dir, "ascent.db");
  const opened: SqlStore[] = [];
  const open = async () => {
    const s = await SqlStore.openSqlite({ path });
    opened.push(s);
    return s;
  };
  const store = await open();
  return {
    path,
    store,
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeExperimentStoreContract("SqlStore on SQLite", sqliteFixture);

describe("SqlStore on SQLite", () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  it("creates a WAL-mode store with the current schema version, and reopens it without migrating", async () => {
    const fx = await sqliteFixture();
    cleanup = fx.cleanup;
    await fx.store.close();
    const raw = new Database(fx.path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.prepare("SELECT version FROM ascent_schema ORDER BY version").all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
    expect(MIGRATIONS.at(-1)!.version).toBe(SCHEMA_VERSION);
    raw.close();
    const again = await fx.reopen();
    expect(await again.listExperiments()).toEqual([]);
  });

  it("writes only the saved trials' rows and stamps each save with the next change number", async () => {
    registerContractMetric();
    const fx = await sqliteFixture();
    cleanup = fx.cleanup;
    const { experiment } = contractExperiment("exp");
    for (let x = 0; x < 5; x++) experiment.newTrial({ generatorRun: run(point(x)) });
    await fx.store.saveExperiment(experiment);
    await fx.store.saveTrials(experiment, [...experiment.trials.values()]);
    await fx.store.saveTrials(experiment, [experiment.getTrial(2).markRunning()]);
    const data = Data.fromRows([row(2, "2_0", "latency", 1)]);
    await fx.store.saveData(experiment, data);
    const raw = new Database(fx.path, { readonly: true });
    const seqs = raw.prepare("SELECT trial_index, change_seq FROM ascent_trials ORDER BY trial_index").all();
    expect(seqs).toEqual([0, 1, 2, 3, 4].map((i) => ({ trial_index: i, change_seq: i === 2 ? 2 : 1 })));
    expect(raw.prepare("SELECT change_seq FROM ascent_data_rows").all()).toEqual([{ change_seq: 3 }]);
    expect(raw.prepare("SELECT change_seq FROM ascent_experiments").get()).toEqual({ change_seq: 3 });
    raw.close();
  });

  it("refuses to load a frozen experiment whose stored definition no longer fits its trials", async () => {
    registerContractMetric();
    const fx = await sqliteFixture();
    cleanup = fx.cleanup;
    const { experiment } = contractExperiment("overwritten");
    experiment.immutableSearchSpaceAndOptConfig = true; // as a Scheduler's experiment
    experiment.newTrial({ generatorRun: run(point(8.5)) });
    await fx.store.createExperiment(experiment, { step: 0 });
    // Another definition of the name written over it (x1 in [0, 5]), as unguarded creation once allowed.
    const narrowed = new Experiment({
      name: "overwritten",
      searchSpace: new SearchSpace({
        parameters: [...experiment.searchSpace.parameters.values()].map((p) =>
          p.name === "x1"
            ? new RangeParameter({ name: "x1", parameterType: ParameterType.FLOAT, lower: 0, upper: 5 })
            : p,
        ),
      }),
    });
    narrowed.immutableSearchSpaceAndOptConfig = true;
    await fx.store.saveExperiment(narrowed);
    const reader = await fx.reopen();
    const refused = await reader.loadExperiment("overwritten").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoredTrialOutsideSearchSpaceError);
    expect((refused as StoredTrialOutsideSearchSpaceError).trialIndex).toBe(0);
    const resumed = await Scheduler.fromStoredExperiment({
      experimentName: "overwritten",
      store: reader,
    }).catch((e: unknown) => e);
    expect(resumed).toBeInstanceOf(StoredTrialOutsideSearchSpaceError);
  });

  it("keeps an in-memory database private to its store", async () => {
    const a = await SqlStore.openSqlite({ path: ":memory:" });
    const b = await SqlStore.openSqlite({ path: ":memory:" });
    cleanup = async () => {
      await a.close();
      await b.close();
    };
    registerContractMetric();
    await a.saveExperiment(contractExperiment("only-in-a").experiment);
    expect(await a.listExperiments()).toEqual(["only-in-a"]);
    expect(await b.listExperiments()).toEqual([]);
  });

  it("refuses to be used after close", async () => {
    const fx = await sqliteFixture();
    cleanup = fx.cleanup;
    await fx.store.close();
    await expect(fx.store.listExperiments()).rejects.toThrow(/closed/);
  });
});
