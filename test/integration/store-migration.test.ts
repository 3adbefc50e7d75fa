import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Data, type DataRow, type Experiment } from "../../src/core/index.js";
import { encodeExperiment } from "../../src/storage/codec/index.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/storage/sql/migrations.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import type { SqlDialectName } from "../../src/storage/sql/sql-tables.js";
import { contractExperiment, registerContractMetric, row } from "../contracts/store-contract-fixtures.js";
import { point, run } from "../core/helpers.js";
import { tempDir } from "../support/temp-dir.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "./postgres-fixture.js";

/** One SQL statement with `?` placeholders, translated to `$n` for PostgreSQL. */
interface Statement {
  sql: string;
  params: unknown[];
}

/** An experiment of two completed trials with final results, as a store of schema version 1 held it. */
function version1Contents(): { experiment: Experiment; statements: Statement[]; rows: DataRow[] } {
  const { experiment } = contractExperiment("old");
  for (let x = 0; x < 2; x++)
    experiment
      .newTrial({ generatorRun: run(point(x)) })
      .markRunning()
      .markCompleted();
  const rows = [row(0, "0_0", "latency", 3), row(1, "1_0", "latency", 2), row(1, "1_0", "latency", 1.5)];
  experiment.attachData(Data.fromRows(rows));
  const statements: Statement[] = [
    {
      sql: "INSERT INTO ascent_experiments (name, definition, change_seq, created_at, updated_at) VALUES (?, ?, 2, 0, 0)",
      params: ["old", JSON.stringify(encodeExperiment(experiment))],
    },
    ...[...experiment.trials.values()].map((t) => ({
      sql: `INSERT INTO ascent_trials (experiment_id, trial_index, status, trial_type, snapshot, change_seq, updated_at)
        VALUES (1, ?, ?, ?, ?, 1, 0)`,
      params: [t.index, t.status, t.toJSON().trialType, JSON.stringify(t.toJSON())],
    })),
    ...rows.map((r) => ({
      sql: `INSERT INTO ascent_data_rows (experiment_id, trial_index, arm_name, metric_name, mean, sem, change_seq)
        VALUES (1, ?, ?, ?, ?, ?, 2)`,
      params: [r.trialIndex, r.armName, r.metricName, r.mean, r.sem],
    })),
  ];
  return { experiment, statements, rows };
}

/** The DDL of schema version 1 (migrations are never edited: this is what older releases wrote). */
function version1Schema(dialect: SqlDialectName): Statement[] {
  const v1 = MIGRATIONS.find((m) => m.version === 1)!;
  return [
    ...v1.statements(dialect).map((sql) => ({ sql, params: [] })),
    {
      sql: "INSERT INTO ascent_schema (version, description, applied_at) VALUES (1, ?, 0)",
      params: [v1.description],
    },
  ];
}

/** Checks a store migrated from version 1: old rows are final rows; new progression rows round-trip. */
async function checkMigrated(open: () => Promise<SqlStore>, original: Experiment): Promise<void> {
  const store = await open();
  const loaded = (await store.loadExperiment("old"))!;
  expect(loaded.lookupData().rows).toEqual(original.lookupData().rows);
  expect(loaded.lookupCurveData().rows.every((r) => r.progression === undefined)).toBe(true);
  expect(loaded.curves("latency").size).toBe(0);

  const t = loaded.newTrial({ generatorRun: run(point(5)) }).markRunning();
  await store.saveTrials(loaded, [t]);
  const curve = Data.fromRows(
    [1, 2, 3].map((step) => ({ ...row(2, "2_0", "latency", 10 - step), progression: { step } })),
  );
  loaded.attachData(curve);
  await store.saveData(loaded, curve);
  const again = (await (await open()).loadExperiment("old"))!;
  expect(again.lookupCurveData().rows).toEqual(loaded.lookupCurveData().rows);
  expect(again.curve(2, "latency").map((p) => p.mean)).toEqual([9, 8, 7]);
  expect(again.lookupData().rows).toEqual(loaded.lookupData().rows);
}

describe("a store written with schema version 1 (data rows without a progression)", () => {
  let cleanup: (() => Promise<void>) | null = null;
  beforeAll(() => registerContractMetric());
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  it("is migrated on SQLite: its rows load as final rows, and progression rows are stored from then on", async () => {
    const dir = tempDir("ascent-migrate-");
    const path = join(dir, "old.db");
    const opened: SqlStore[] = [];
    cleanup = async () => {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    };
    const { experiment, statements } = version1Contents();
    const raw = new Database(path);
    for (const s of [...version1Schema("sqlite"), ...statements]) raw.prepare(s.sql).run(...s.params);
    expect(raw.prepare("PRAGMA table_info(ascent_data_rows)").all()).not.toContainEqual(
      expect.objectContaining({ name: "progression" }),
    );
    raw.close();

    await checkMigrated(async () => {
      const s = await SqlStore.openSqlite({ path });
      opened.push(s);
      return s;
    }, experiment);
    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT max(version) AS v FROM ascent_schema").get()).toEqual({ v: SCHEMA_VERSION });
    expect(
      after.prepare("SELECT count(*) AS n FROM ascent_data_rows WHERE progression IS NULL").get(),
    ).toEqual({
      n: 3,
    });
    expect(
      after.prepare("SELECT progression FROM ascent_data_rows WHERE progression IS NOT NULL").all(),
    ).toEqual([1, 2, 3].map((step) => ({ progression: JSON.stringify({ step }) })));
    after.close();
  });

  it("is migrated on PostgreSQL the same way", async () => {
    const schema = randomSchema();
    const opened: SqlStore[] = [];
    cleanup = async () => {
      for (const s of opened) await s.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    };
    const { experiment, statements } = version1Contents();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
      for (const s of [...version1Schema("postgres"), ...statements]) {
        let n = 0;
        await client.query(
          s.sql.replace(/\?/g, () => `$${++n}`),
          s.params,
        );
      }
    } finally {
      await client.end();
    }

    await checkMigrated(async () => {
      const s = await SqlStore.openPostgres({ url: POSTGRES_URL, schema, poolSize: 2 });
      opened.push(s);
      return s;
    }, experiment);
    const stored = await adminQuery(`SELECT progression FROM "${schema}".ascent_data_rows ORDER BY id`);
    expect(stored.rows.map((r) => r.progression)).toEqual([
      null,
      null,
      null,
      '{"step":1}',
      '{"step":2}',
      '{"step":3}',
    ]);
  });
});
