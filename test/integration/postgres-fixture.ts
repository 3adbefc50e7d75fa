import { randomBytes } from "node:crypto";
import pg from "pg";
import { SqlStore } from "../../src/storage/sql/sql-store.js";

/** The test server: trust authentication on 127.0.0.1, database `test`. */
export const POSTGRES_URL = process.env.ASCENT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A schema name no other test run uses. */
export function randomSchema(): string {
  return `ascent_test_${randomBytes(6).toString("hex")}`;
}

/** Runs SQL as the test server's superuser. */
export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** A store in its own schema; cleanup closes every instance opened on it and drops the schema. */
export async function postgresFixture() {
  const schema = randomSchema();
  const opened: SqlStore[] = [];
  const open = async () => {
    const s = await SqlStore.openPostgres({ url: POSTGRES_URL, schema, poolSize: 4 });
    opened.push(s);
    return s;
  };
  const store = await open();
  return {
    schema,
    store,
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}
