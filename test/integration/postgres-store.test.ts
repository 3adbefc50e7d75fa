import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/storage/sql/migrations.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { describeExperimentStoreContract } from "../contracts/experiment-store.contract.js";
import { contractExperiment, registerContractMetric } from "../contracts/store-contract-fixtures.js";
import { adminQuery, POSTGRES_URL, postgresFixture, randomSchema } from "./postgres-fixture.js";

describeExperimentStoreContract("SqlStore on PostgreSQL", postgresFixture);

describe("SqlStore on PostgreSQL", () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  it("creates its schema and tables there, recording the schema version", async () => {
    const fx = await postgresFixture();
    cleanup = fx.cleanup;
    const tables = await adminQuery(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [fx.schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toContain("ascent_trials");
    const version = await adminQuery(`SELECT max(version) AS v FROM "${fx.schema}".ascent_schema`);
    expect(version.rows[0].v).toBe(SCHEMA_VERSION);
    expect(fx.store.description).toContain(fx.schema);
  });

  it("lets several processes open (and migrate) a new schema at once", async () => {
    const schema = randomSchema();
    const stores = await Promise.all(
      [1, 2, 3].map(() => SqlStore.openPostgres({ url: POSTGRES_URL, schema, poolSize: 2 })),
    );
    cleanup = async () => {
      for (const s of stores) await s.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    };
    // Each migration applied once, however many processes raced to apply it.
    const versions = await adminQuery(`SELECT version FROM "${schema}".ascent_schema ORDER BY version`);
    expect(versions.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    registerContractMetric();
    await stores[0]!.saveExperiment(contractExperiment("shared").experiment);
    expect(await stores[2]!.listExperiments()).toEqual(["shared"]);
  });
});
