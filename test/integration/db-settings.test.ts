import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StorageError } from "../../src/errors.js";
import { DBSettings, openStore } from "../../src/storage/db-settings.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { contractExperiment, registerContractMetric } from "../contracts/store-contract-fixtures.js";
import { tempDir } from "../support/temp-dir.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "./postgres-fixture.js";

let dir: string;
const toClose: { close(): Promise<void> }[] = [];
beforeEach(() => {
  dir = tempDir("ascent-dbsettings-");
});
afterEach(async () => {
  for (const s of toClose.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("DBSettings", () => {
  it("refuses an unknown URL scheme, listing the accepted forms, without printing a password", () => {
    let thrown: unknown;
    try {
      new DBSettings({ url: "mysql://root:hunter2@localhost/db" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StorageError);
    const message = (thrown as Error).message;
    expect(message).toContain('scheme "mysql:"');
    expect(message).toContain("sqlite:./ascent.db");
    expect(message).toContain("sqlite::memory:");
    expect(message).toContain("postgres://user:password@host:5432/database");
    expect(message).not.toContain("hunter2");
    expect(() => new DBSettings("sqlite:")).toThrow(StorageError);
    expect(() => new DBSettings("just-a-file.db")).toThrow(/use one of/);
  });

  it("opens a SQLite store once and returns the same store thereafter", async () => {
    const path = join(dir, "ascent.db");
    const settings = new DBSettings({ url: `sqlite:${path}` });
    expect(settings.dialect).toBe("sqlite");
    expect(settings.description).toBe(`sqlite:${path}`);
    const [a, b] = await Promise.all([settings.openStore(), settings.openStore()]);
    toClose.push(a);
    expect(a).toBeInstanceOf(SqlStore);
    expect(b).toBe(a);
    expect(await settings.openStore()).toBe(a);
    await a.close();
    const reopened = await settings.openStore(); // a closed store is opened again
    toClose.push(reopened);
    expect(reopened).not.toBe(a);
    expect(reopened.isClosed).toBe(false);
  });

  it("accepts sqlite:///absolute/path and sqlite::memory:", async () => {
    const path = join(dir, "abs.db");
    const abs = await new DBSettings(`sqlite://${path}`).openStore();
    toClose.push(abs);
    expect(abs.description).toBe(path);
    const memory = await openStore("sqlite::memory:");
    toClose.push(memory);
    expect(await memory.listExperiments()).toEqual([]);
  });

  it("does not keep a failed open: once the cause is fixed, the next call opens the store", async () => {
    const settings = new DBSettings({ url: `sqlite:${join(dir, "missing", "x.db")}` });
    const [first, concurrent] = await Promise.allSettled([settings.openStore(), settings.openStore()]);
    expect(first.status === "rejected" && first.reason).toBeInstanceOf(StorageError);
    expect(concurrent.status === "rejected" && concurrent.reason).toBeInstanceOf(StorageError);
    mkdirSync(join(dir, "missing")); // the cause of the failure, fixed
    const store = await settings.openStore();
    toClose.push(store);
    expect(await store.listExperiments()).toEqual([]);
    expect(await settings.openStore()).toBe(store);
  });

  it("opens PostgreSQL in the schema of ?schema= or the schema option, masking the password", async () => {
    registerContractMetric();
    const schema = randomSchema();
    const url = `${POSTGRES_URL.replace("postgres@", "postgres:topsecret@")}?schema=${schema}`;
    const settings = new DBSettings(url);
    expect(settings.dialect).toBe("postgres");
    expect(settings.description).not.toContain("topsecret");
    expect(settings.description).toContain(schema);
    try {
      const store = await settings.openStore();
      toClose.push(store);
      expect(store.description).not.toContain("topsecret");
      await store.saveExperiment(contractExperiment("pg").experiment);
      const names = await adminQuery(`SELECT name FROM "${schema}".ascent_experiments`);
      expect(names.rows).toEqual([{ name: "pg" }]);
      const viaOption = await new DBSettings({ url: POSTGRES_URL, schema }).openStore();
      toClose.push(viaOption);
      expect(await viaOption.listExperiments()).toEqual(["pg"]);
    } finally {
      for (const s of toClose.splice(0)) await s.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});
