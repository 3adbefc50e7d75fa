import { join } from "node:path";
import { onTestFinished } from "vitest";
import type { BaseTrial } from "../../src/core/base-trial.js";
import { StorageError } from "../../src/errors.js";
import { registerMetric, registerRunner } from "../../src/storage/codec/index.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { postgresFixture } from "../integration/postgres-fixture.js";
import { tempDir } from "../support/temp-dir.js";
import { BraninMetric, FakeJobQueue, JobRunner } from "./fixtures.js";

/**
 * Registers the fixtures' metric and runner so that real stores can save them; their test-only state
 * (failure switches, the fake queue) is not stored.
 */
export function registerFixtureClasses(): void {
  registerMetric(BraninMetric, {
    encode: (m) => ({ name: m.name }),
    decode: (fields) => new BraninMetric({ name: String(fields.name) }),
  });
  registerRunner(JobRunner, { encode: () => ({}), decode: () => new JobRunner(new FakeJobQueue()) });
}

/** A SQLite store in a fresh directory, closed when the test ends; `reopen` opens another connection. */
export async function sqliteStore(): Promise<{ store: SqlStore; reopen: () => Promise<SqlStore> }> {
  const path = join(tempDir("ascent-sched-"), "ascent.db");
  const reopen = async () => {
    const s = await SqlStore.openSqlite({ path });
    onTestFinished(() => s.close());
    return s;
  };
  return { store: await reopen(), reopen };
}

/** A store in its own schema of the test PostgreSQL server, dropped when the test ends. */
export async function postgresStore(): Promise<{ store: SqlStore; reopen: () => Promise<SqlStore> }> {
  const fixture = await postgresFixture();
  onTestFinished(() => fixture.cleanup());
  return { store: fixture.store, reopen: fixture.reopen };
}

/** The real stores the Scheduler's save behaviour is tested against. */
export const REAL_STORES = [
  ["SQLite", sqliteStore],
  ["PostgreSQL", postgresStore],
] as const;

/** Status and failure reason of each trial, by index. */
export function statusesOf(trials: Iterable<BaseTrial>): [number, string, string | null][] {
  return [...trials].map((t) => [t.index, t.status, t.failureReason]);
}

/**
 * Wraps a real store so that every call fails, as with a database that is down, while `isDown()` is true
 * (checked at each call). Counts the calls refused.
 */
export function withOutage<S extends object>(
  inner: S,
  isDown: (method: string) => boolean,
): S & { refused: number } {
  const stats = { refused: 0 };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "refused") return stats.refused;
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (isDown(String(prop))) {
          stats.refused++;
          return Promise.reject(new StorageError(`connect ECONNREFUSED 127.0.0.1:5432 (${String(prop)})`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as S & { refused: number };
}
