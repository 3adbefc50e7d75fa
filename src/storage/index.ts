export * from "./codec/index.js";
export { DBSettings, type DBSettingsOptions, openStore } from "./db-settings.js";
export { MemoryStore } from "./memory/memory-store.js";
export { MIGRATIONS, type Migration, SCHEMA_VERSION } from "./sql/migrations.js";
export type { PostgresStoreOptions } from "./sql/postgres-backend.js";
export { SqlStore, type SqlStoreCommonOptions } from "./sql/sql-store.js";
export type { SqlDialectName } from "./sql/sql-tables.js";
export type { SqliteStoreOptions } from "./sql/sqlite-backend.js";
