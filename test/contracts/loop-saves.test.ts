import { join } from "node:path";
import { MemoryStore } from "../../src/storage/memory/memory-store.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { postgresFixture } from "../integration/postgres-fixture.js";
import { tempDir } from "../support/temp-dir.js";
import { describeLoopSavesContract } from "./loop-saves.contract.js";

describeLoopSavesContract("MemoryStore", async () => {
  const store = new MemoryStore();
  return { store, reopen: async () => store, cleanup: async () => {} };
});

describeLoopSavesContract("SQLite", async () => {
  const path = join(tempDir("ascent-loop-saves-"), "ascent.db");
  const opened: SqlStore[] = [];
  const open = async () => {
    const s = await SqlStore.openSqlite({ path });
    opened.push(s);
    return s;
  };
  const store = await open();
  return {
    store,
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close();
    },
  };
});

describeLoopSavesContract("PostgreSQL", postgresFixture);
