import { createHash, randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Data, Metric } from "../../src/core/index.js";
import { StorageError } from "../../src/errors.js";
import { registerMetric, unregisterMetric } from "../../src/storage/codec/index.js";
import { SCHEMA_VERSION } from "../../src/storage/sql/migrations.js";
import { postgresTarget } from "../../src/storage/sql/postgres-backend.js";
import { postgresErrorToStorageError } from "../../src/storage/sql/postgres-errors.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import {
  contractExperiment,
  registerContractMetric,
  rejection,
} from "../contracts/store-contract-fixtures.js";
import { tempDir } from "../support/temp-dir.js";
import { adminQuery, POSTGRES_URL, postgresFixture, randomSchema } from "./postgres-fixture.js";

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

let dir: string;
beforeEach(() => {
  dir = tempDir("ascent-errors-");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Opening `path` must fail with a StorageError naming it, and leave the file's bytes as they were. */
async function expectRefused(path: string, message: RegExp): Promise<StorageError> {
  const before = sha(path);
  const error = await rejection(SqlStore.openSqlite({ path }), StorageError);
  expect(error.message).toMatch(message);
  expect(error.message).toContain(path);
  expect(error.path).toBe(path);
  expect(sha(path)).toBe(before);
  return error;
}

describe("opening a SQLite file that is not a usable Ascent store", () => {
  it("refuses a file of random bytes", async () => {
    const path = join(dir, "random.db");
    writeFileSync(path, randomBytes(8192));
    await expectRefused(path, /is not a SQLite database/);
  });

  it("refuses a corrupt file that starts with the SQLite header", async () => {
    const path = join(dir, "corrupt.db");
    writeFileSync(path, Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), randomBytes(8192)]));
    await expectRefused(path, /not a valid SQLite database or is corrupt/);
  });

  it("refuses another application's database", async () => {
    const path = join(dir, "foreign.db");
    const raw = new Database(path);
    raw.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')",
    );
    raw.close();
    await expectRefused(path, /is not an Ascent database.*users/);
    const after = new Database(path, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([
      { name: "users" },
    ]);
    after.close();
  });

  it("refuses a store written by a newer Ascent, telling to upgrade", async () => {
    const path = join(dir, "newer.db");
    await (await SqlStore.openSqlite({ path })).close();
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO ascent_schema (version, description, applied_at) VALUES (?, 'from the future', 0)",
      )
      .run(SCHEMA_VERSION + 1);
    raw.close();
    await expectRefused(path, /newer Ascent.*Upgrade ascent/);
  });

  it("reports a path whose directory does not exist", async () => {
    const path = join(dir, "missing", "ascent.db");
    const error = await rejection(SqlStore.openSqlite({ path }), StorageError);
    expect(error.path).toBe(path);
  });
});

class EphemeralMetric extends Metric {
  async fetchTrialData(): Promise<Data> {
    return Data.empty();
  }
}

describe("loading an experiment whose Metric class is not registered", () => {
  it("throws a StorageError and changes nothing in the store", async () => {
    const path = join(dir, "ascent.db");
    const store = await SqlStore.openSqlite({ path });
    registerContractMetric();
    registerMetric(EphemeralMetric);
    try {
      const { experiment } = contractExperiment("exp");
      experiment.addTrackingMetric(new EphemeralMetric({ name: "ephemeral" }));
      experiment.newTrial();
      await store.saveExperiment(experiment);
      await store.saveTrials(experiment, [...experiment.trials.values()]);
      unregisterMetric(EphemeralMetric);
      const dump = () => {
        const raw = new Database(path, { readonly: true });
        const tables = [
          "ascent_experiments",
          "ascent_trials",
          "ascent_data_rows",
          "ascent_generation_states",
        ];
        const rows = tables.map((t) => raw.prepare(`SELECT * FROM ${t}`).all());
        raw.close();
        return rows;
      };
      const before = dump();
      const error = await rejection(store.loadExperiment("exp"), StorageError);
      expect(error.message).toContain("EphemeralMetric");
      expect(dump()).toEqual(before);
      registerMetric(EphemeralMetric);
      expect((await store.loadExperiment("exp"))?.numTrials).toBe(1);
    } finally {
      unregisterMetric(EphemeralMetric);
      await store.close();
    }
  });
});

/** A TCP port on 127.0.0.1 with nothing listening (taken from the OS, then freed). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("opening a PostgreSQL store that cannot be used", () => {
  it("reports an unreachable server quickly", { timeout: 5000 }, async () => {
    const port = await unusedPort();
    const url = `postgres://postgres:sekret@127.0.0.1:${port}/test`;
    const error = await rejection(SqlStore.openPostgres({ url, connectTimeoutMs: 1000 }), StorageError);
    expect(error.message).toMatch(new RegExp(`^Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: `));
    expect(error.message).not.toContain("sekret");
    expect(error.path).toBe(`postgres://postgres:***@127.0.0.1:${port}/test`);
  });

  it("reports an unknown host", { timeout: 15_000 }, async () => {
    const url = "postgres://postgres@ascent-no-such-host.invalid:5432/test";
    const error = await rejection(SqlStore.openPostgres({ url, connectTimeoutMs: 2000 }), StorageError);
    expect(error.message).toMatch(/^Cannot reach PostgreSQL at ascent-no-such-host\.invalid:5432: /);
  });

  it("reports a user the server refuses (a role that does not exist: SQLSTATE 28000)", async () => {
    const url = POSTGRES_URL.replace("postgres@", "ascent_no_such_role:sekret@");
    const error = await rejection(SqlStore.openPostgres({ url }), StorageError);
    expect(error.message).toMatch(/refused user "ascent_no_such_role".*user name and password/);
    expect(error.message).not.toContain("sekret");
  });

  it("reports a database that does not exist", async () => {
    const url = POSTGRES_URL.replace(/\/test$/, "/ascent_no_such_db");
    const error = await rejection(SqlStore.openPostgres({ url }), StorageError);
    expect(error.message).toMatch(/no database "ascent_no_such_db".*CREATE DATABASE/);
  });

  it("with a wrong password: refused unless the server trusts 127.0.0.1 (this test server does)", async () => {
    const suffix = randomBytes(4).toString("hex");
    const role = `ascent_pw_test_${suffix}`;
    const schema = `ascent_test_pw_${suffix}`;
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'x'`);
    await adminQuery(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
    try {
      const rules = await adminQuery(
        "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' AND address = '127.0.0.1' LIMIT 1",
      );
      const url = POSTGRES_URL.replace("postgres@", `${role}:wrong-password@`);
      const opening = SqlStore.openPostgres({ url, schema });
      if (rules.rows[0]?.auth_method === "trust") {
        // Trust authentication ignores passwords: the auth-failure mapping is checked below with the
        // server's error codes instead.
        const store = await opening;
        expect(store.description).not.toContain("wrong-password");
        await store.close();
      } else {
        const error = await rejection(opening, StorageError);
        expect(error.message).toMatch(/refused user/);
        expect(error.message).not.toContain("wrong-password");
      }
    } finally {
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it("refuses a schema holding another application's tables, and leaves it alone", async () => {
    const schema = randomSchema();
    await adminQuery(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.users (id int)`);
    try {
      const error = await rejection(SqlStore.openPostgres({ url: POSTGRES_URL, schema }), StorageError);
      expect(error.message).toMatch(/is not an Ascent database.*users.*schema of its own/);
      const tables = await adminQuery(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
        [schema],
      );
      expect(tables.rows).toEqual([{ table_name: "users" }]);
    } finally {
      await adminQuery(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it("refuses a schema written by a newer Ascent", async () => {
    const fx = await postgresFixture();
    try {
      await fx.store.close();
      await adminQuery(
        `INSERT INTO ${fx.schema}.ascent_schema (version, description, applied_at) VALUES ($1, 'future', 0)`,
        [SCHEMA_VERSION + 1],
      );
      const error = await rejection(
        SqlStore.openPostgres({ url: POSTGRES_URL, schema: fx.schema }),
        StorageError,
      );
      expect(error.message).toMatch(/newer Ascent.*Upgrade ascent/);
      const versions = await adminQuery(`SELECT max(version) AS v FROM ${fx.schema}.ascent_schema`);
      expect(versions.rows[0].v).toBe(SCHEMA_VERSION + 1);
    } finally {
      await fx.cleanup();
    }
  });
});

describe("postgresErrorToStorageError (server errors a trust-auth test server never sends)", () => {
  const target = postgresTarget("postgres://alice:s3cret@db.example:6543/lab");
  const serverError = (code: string, message: string) =>
    Object.assign(new pg.DatabaseError(message, message.length, "error"), { code });

  it("maps a refused password (28P01) without printing the password", () => {
    const error = postgresErrorToStorageError(
      serverError("28P01", 'password authentication failed for user "alice"'),
      target,
      "Connecting",
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error.message).toMatch(/^PostgreSQL at db\.example:6543 refused user "alice".*password/);
    expect(error.message).not.toContain("s3cret");
    expect((error as StorageError).path).toBe("postgres://alice:***@db.example:6543/lab");
  });

  it("maps a missing database (3D000)", () => {
    const error = postgresErrorToStorageError(
      serverError("3D000", 'database "lab" does not exist'),
      target,
      "x",
    );
    expect(error.message).toMatch(/has no database "lab"/);
  });

  it("maps a refused dual-stack connection (AggregateError) and a connect timeout as unreachable", () => {
    const refused = new AggregateError(
      [Object.assign(new Error("connect ECONNREFUSED ::1:6543"), { code: "ECONNREFUSED" })],
      "",
    );
    expect(postgresErrorToStorageError(refused, target, "x").message).toMatch(
      /^Cannot reach PostgreSQL at db\.example:6543: connect ECONNREFUSED/,
    );
    const timeout = new Error("Connection terminated due to connection timeout");
    expect(postgresErrorToStorageError(timeout, target, "x").message).toMatch(/^Cannot reach PostgreSQL/);
  });

  it("scrubs the password from any driver message", () => {
    const error = postgresErrorToStorageError(new Error("weird failure mentioning s3cret"), target, "Saving");
    expect(error.message).not.toContain("s3cret");
    expect(error.message).toMatch(
      /^Saving failed on PostgreSQL postgres:\/\/alice:\*\*\*@db\.example:6543\/lab/,
    );
  });
});
