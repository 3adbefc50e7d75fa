import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/cli-context.js";
import {
  DEFAULT_STORAGE_URL,
  STORAGE_URL_ENV,
  storageUrlOf,
  withStore,
} from "../../src/cli/storage-option.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../integration/postgres-fixture.js";
import { tempDir } from "../support/temp-dir.js";
import { storeExperiment } from "./read-commands-fixture.js";

function context(env: NodeJS.ProcessEnv = {}): CliContext & { errors: string[] } {
  const errors: string[] = [];
  return { out: () => undefined, err: (l) => errors.push(l), exitCode: 0, env, errors };
}

/** Opens the store read-only and lists it; the exit code and the names (or the error printed). */
async function listWith(storage: string, env: NodeJS.ProcessEnv = {}) {
  const ctx = context(env);
  let names: string[] = [];
  const code = await withStore(ctx, "list", { storage }, { readOnly: true }, async ({ store }) => {
    names = await store.listExperiments();
    return 0;
  });
  return { code, names, err: ctx.errors.join("\n") };
}

describe("--storage", () => {
  it("comes from the flag, else ASCENT_STORAGE_URL, else the fallback, else sqlite:./ascent.db", () => {
    const env = { [STORAGE_URL_ENV]: "sqlite:/env.db" };
    expect(storageUrlOf({ storage: "sqlite:/flag.db" }, context(env))).toBe("sqlite:/flag.db");
    expect(storageUrlOf({}, context(env), "sqlite:/file.db")).toBe("sqlite:/env.db");
    expect(storageUrlOf({}, context({}), "sqlite:/file.db")).toBe("sqlite:/file.db");
    expect(storageUrlOf({}, context({ [STORAGE_URL_ENV]: "" }))).toBe(DEFAULT_STORAGE_URL);
  });

  it("a malformed URL is a usage error (2)", async () => {
    const r = await listWith("mysql://localhost/x");
    expect(r.code).toBe(2);
    expect(r.err).toContain('ascent list: --storage: Unsupported database URL scheme "mysql:"');
  });

  it("a missing SQLite file: exit 3, and reading creates nothing", async () => {
    const path = join(tempDir(), "nope.db");
    const r = await listWith(`sqlite:${path}`);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`Cannot open ${path} for reading: there is no such file`);
    expect(existsSync(path)).toBe(false);
  });

  it("reads a SQLite store", async () => {
    const url = `sqlite:${join(tempDir(), "a.db")}`;
    await storeExperiment(url, "first", { completed: 1 });
    expect(await listWith(url)).toEqual({ code: 0, names: ["first"], err: "" });
  });

  it("PostgreSQL down (a closed port): exit 3 naming the server", async () => {
    const r = await listWith("postgres://postgres@127.0.0.1:1/test?schema=ascent");
    expect(r.code).toBe(3);
    expect(r.err).toContain("Cannot reach PostgreSQL at 127.0.0.1:1");
    expect(r.err).toContain("postgres://postgres@127.0.0.1:1/test");
    expect(r.err).not.toContain("default_transaction_read_only");
  });

  it("PostgreSQL read-only: an empty schema is refused and stays uncreated; a stored one reads", async () => {
    const schema = randomSchema();
    const url = `${POSTGRES_URL}?schema=${schema}`;
    try {
      const empty = await listWith(url);
      expect(empty.code).toBe(3);
      expect(empty.err).toContain("holds no Ascent store");
      const found = await adminQuery("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
      expect(found.rowCount).toBe(0);
      await storeExperiment(url, "shared", { completed: 1 });
      expect(await listWith(url)).toEqual({ code: 0, names: ["shared"], err: "" });
    } finally {
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});
