/**
 * Reading a SQLite store that cannot be written: a file on a read-only mount (a real `mount -o remount,ro`
 * of a tmpfs of the test's own), left by a process killed with its last transactions still in the
 * `-wal` file. Loading, the best point and the trials table work; every write is refused.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Client, DBSettings, experimentToTable, StorageError, TrialStatus } from "../../src/index.js";
import { mountSmallFilesystem, type SmallFilesystem } from "../support/small-filesystem.js";
import { tempDir } from "../support/temp-dir.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "write-then-die-child.ts");

/** Writes the store in a child process that dies with the file open; returns the database path. */
function writeThenDie(dir: string): string {
  const path = join(dir, "ascent.db");
  const child = spawnSync(process.execPath, ["--import", "tsx", CHILD, path], { encoding: "utf8" });
  expect(child.stdout, child.stderr).toContain("saved");
  expect(child.signal).toBe("SIGKILL");
  return path;
}

function readSnapshots(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith("ascent-read-"));
}

describe("a SQLite store that cannot be written", () => {
  let fs: SmallFilesystem | null = null;
  afterEach(() => {
    fs?.destroy();
    fs = null;
  });

  it("on a read-only mount: loads with its uncheckpointed WAL, reports work, writes are refused", async () => {
    fs = mountSmallFilesystem(16 * 1024);
    const path = writeThenDie(fs.dir);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0); // committed work not yet in the main file
    execFileSync("mount", ["-o", "remount,ro", fs.dir]);
    const before = readdirSync(fs.dir).sort();
    const snapshotsBefore = readSnapshots();

    const dbSettings = new DBSettings(`sqlite:${path}`);
    const store = await dbSettings.openStore();
    expect(store.isReadOnly).toBe(true);
    const client = await Client.load({ experimentName: "archived", dbSettings, verboseLogging: false });
    const experiment = client.experiment;
    expect(experiment.countTrialsWithStatus(TrialStatus.COMPLETED)).toBe(5);
    const best = await client.getBestParameters({ useModelPredictions: false });
    const losses = [...experiment.lookupData().rows].map((r) => r.mean);
    expect(best?.values.loss).toBe(Math.min(...losses));
    expect(experimentToTable(experiment)).toHaveLength(5);

    const refused = await store.saveGenerationState("archived", { step: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StorageError);
    expect((refused as Error).message).toContain("read-only");
    await expect(client.getNextTrial()).rejects.toBeInstanceOf(StorageError);
    await store.close();
    expect(readdirSync(fs.dir).sort()).toEqual(before);
    expect(readSnapshots()).toEqual(snapshotsBefore); // the private snapshot is gone with the store
  }, 60_000);

  it("refuses to create a store where nothing can be written", async () => {
    fs = mountSmallFilesystem(1024);
    execFileSync("mount", ["-o", "remount,ro", fs.dir]);
    const error = await new DBSettings(`sqlite:${join(fs.dir, "new.db")}`)
      .openStore()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain("no such file");
  });

  it("opens a writable file read-only on request, reading it in place and refusing writes", async () => {
    const path = writeThenDie(tempDir());
    const store = await new DBSettings({ url: `sqlite:${path}`, readOnly: true }).openStore();
    try {
      expect(store.isReadOnly).toBe(true);
      expect((await store.loadExperiment("archived"))?.numTrials).toBe(5);
      await expect(store.deleteExperiment("archived")).rejects.toThrow(/read-only/);
    } finally {
      await store.close();
    }
    const again = await new DBSettings(`sqlite:${path}`).openStore();
    try {
      expect(again.isReadOnly).toBe(false);
      expect(await again.listExperiments()).toEqual(["archived"]);
      expect(existsSync(path)).toBe(true);
    } finally {
      await again.close();
    }
  }, 60_000);
});
