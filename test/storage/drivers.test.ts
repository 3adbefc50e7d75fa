/**
 * Database drivers load only when a store of their kind is opened: importing Ascent loads neither pg
 * nor better-sqlite3, and a missing driver is reported by name with the command that installs it.
 * Each case runs in a fresh Node process, whose module cache is the evidence.
 */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { POSTGRES_URL } from "../integration/postgres-fixture.js";
import { tempDir } from "../support/temp-dir.js";

const run = promisify(execFile);
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

async function child(script: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(FIXTURES, script), ...args]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("database drivers", () => {
  it("are not loaded by importing the package", async () => {
    const result = await child("loaded-drivers-child.ts", []);
    expect(result.afterImport).toEqual([]);
  }, 60_000);

  it("load only the driver of the store that is opened", async () => {
    const sqlite = await child("loaded-drivers-child.ts", [`sqlite:${join(tempDir(), "a.db")}`]);
    expect(sqlite).toEqual({ afterImport: [], afterOpen: ["better-sqlite3", "kysely"] });
    const postgres = await child("loaded-drivers-child.ts", [POSTGRES_URL]);
    expect(postgres).toEqual({ afterImport: [], afterOpen: ["pg", "kysely"] });
  }, 60_000);

  it("name the missing package and the command that installs it", async () => {
    const pg = await child("missing-driver-child.ts", ["pg", POSTGRES_URL]);
    expect(pg.name).toBe("StorageDriverMissingError");
    expect(pg.packageName).toBe("pg");
    expect(pg.message).toContain("npm install pg");
    const sqlite = await child("missing-driver-child.ts", [
      "better-sqlite3",
      `sqlite:${join(tempDir(), "b.db")}`,
    ]);
    expect(sqlite.name).toBe("StorageDriverMissingError");
    expect(sqlite.packageName).toBe("better-sqlite3");
    expect(sqlite.message).toContain("npm install better-sqlite3");
  }, 60_000);
});
