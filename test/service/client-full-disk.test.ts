import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { TrialStatus } from "../../src/core/index.js";
import { StorageError } from "../../src/errors.js";
import { Client } from "../../src/service/index.js";
import { SqlStore } from "../../src/storage/sql/sql-store.js";
import { Logger, LogLevel } from "../../src/util/logger.js";
import { fillFilesystem, mountSmallFilesystem } from "../support/small-filesystem.js";

const quiet = (): Logger => new Logger({ name: "test", level: LogLevel.SILENT });
const objective = (p: Record<string, unknown>) => (Number(p.x) - 0.3) ** 2;

describe("Client on a disk that fills up", () => {
  it("refuses the call that cannot be saved, keeps memory as stored, and succeeds when retried", async () => {
    const disk = mountSmallFilesystem(3 * 1024);
    onTestFinished(() => disk.destroy());
    const path = join(disk.dir, "ascent.db");
    const store = await SqlStore.openSqlite({ path });
    onTestFinished(() => store.close());
    const client = new Client({ seed: 0, store, logger: quiet() });
    await client.createExperiment({
      name: "full-disk",
      parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
      objectives: { y: { minimize: true } },
    });
    const first = await client.getNextTrial();
    await client.completeTrial(first.trialIndex, objective(first.parameters));

    fillFilesystem(disk.dir);
    // Ask and tell until a save hits the full disk; remember which call it was, to retry it.
    let refused: { error: unknown; retry: () => Promise<unknown> } | null = null;
    for (let k = 0; k < 100 && refused === null; k++) {
      const before = client.experiment.numTrials;
      const ask = await client.getNextTrial().catch((error: unknown) => {
        refused = { error, retry: () => client.getNextTrial() };
        return null;
      });
      if (ask === null) {
        expect(client.experiment.numTrials).toBe(before);
        break;
      }
      await client.completeTrial(ask.trialIndex, objective(ask.parameters)).catch((error: unknown) => {
        expect(client.getTrial(ask.trialIndex).status).toBe(TrialStatus.RUNNING);
        expect(client.experiment.lookupTrialData(ask.trialIndex).rows).toEqual([]);
        refused = { error, retry: () => client.completeTrial(ask.trialIndex, objective(ask.parameters)) };
      });
    }
    expect(refused).not.toBeNull();
    const { error, retry } = refused as unknown as { error: unknown; retry: () => Promise<unknown> };
    expect(error).toBeInstanceOf(StorageError);

    rmSync(join(disk.dir, "filler"));
    await retry();
    // Finish every open trial, so the stored record is complete.
    for (const trial of client.experiment.runningTrials) {
      await client.completeTrial(trial.index, objective(trial.arms[0]!.parameters));
    }
    const more = await client.getNextTrial();
    await client.completeTrial(more.trialIndex, objective(more.parameters));

    const reopened = await SqlStore.openSqlite({ path });
    onTestFinished(() => reopened.close());
    const loaded = await Client.load({ experimentName: "full-disk", store: reopened, logger: quiet() });
    const n = client.experiment.numTrials;
    expect([...loaded.experiment.trials.keys()]).toEqual([...Array(n).keys()]);
    for (const trial of loaded.experiment.trials.values()) {
      expect(trial.status).toBe(TrialStatus.COMPLETED);
      const rows = loaded.experiment.lookupTrialData(trial.index).rows;
      expect(rows.map((r) => r.mean)).toEqual([objective(trial.arms[0]!.parameters)]);
    }
  });
});
