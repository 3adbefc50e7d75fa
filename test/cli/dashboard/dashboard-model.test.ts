import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DashboardModel } from "../../../src/cli/dashboard/dashboard-model.js";
import type { WatcherEvent } from "../../../src/cli/dashboard/experiment-watcher.js";
import type { ExperimentStore } from "../../../src/core/experiment-store.js";
import { SqlStore } from "../../../src/storage/sql/sql-store.js";
import { unpackJson } from "../../support/unpack-json.js";
import { eventually, liveExperiment } from "./dashboard-fixture.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ascent-dashboard-model-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function toSevenDigits(v: unknown): unknown {
  return typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(7)) : v;
}

/** A read-only SQLite store that counts the calls the dashboard makes. */
async function countingStore(path: string) {
  const store = await SqlStore.openSqlite({ path, readOnly: true });
  const calls = { loadExperiment: 0, refreshExperiment: 0 };
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (key === "loadExperiment" || key === "refreshExperiment") calls[key]++;
        return value.apply(target, args);
      };
    },
  }) as ExperimentStore;
  return { store: counted, calls, close: () => store.close() };
}

/** A dashboard model (no model views, charts at once) of the store at `path`, refreshed every `refreshMs`. */
async function watchedStore(path: string, refreshMs: number) {
  const { store, calls, close } = await countingStore(path);
  const model = new DashboardModel(store, "test store", {
    refreshMs,
    traceIntervalMs: 0,
    chartsIntervalMs: 0,
    models: false,
  });
  return {
    model,
    calls,
    close: async () => {
      await model.close();
      await close();
    },
  };
}

describe("the dashboard's model of the store", () => {
  it("loads an experiment once, then sends only the rows that changed, read by refreshes", async () => {
    const path = join(dir, "ascent.db");
    const run = await liveExperiment(`sqlite:${path}`, { experiment: "tuning" });
    for (let i = 0; i < 9; i++) await run.complete();
    const { model, calls, close } = await watchedStore(path, 50);
    try {
      const watcher = (await model.watcher("tuning"))!;
      expect(watcher.state().rows).toHaveLength(9);
      // The page's inlined state: rows packed as columns, restored by the page's unpackJson with a
      // cell for every column (numbers to the 7 digits packing keeps; the table shows 6).
      const inline = JSON.parse(watcher.stateScriptJson()) as { rows: unknown };
      expect(Array.isArray(inline.rows)).toBe(false);
      const { names } = watcher.state().columns;
      expect(unpackJson(inline.rows)).toEqual(
        watcher.state().rows.map((r) => ({
          key: r.key,
          cells: Object.fromEntries(names.map((n) => [n, toSevenDigits(r.cells[n] ?? null)])),
        })),
      );
      const events: WatcherEvent[] = [];
      watcher.subscribe((e) => events.push(e));
      const before = watcher.currentVersion;
      const added = await run.complete();
      await eventually(async () => events.some((e) => e.type === "trace"), "the new trace");
      const trials = events.filter((e) => e.type === "trials");
      // The new trial may arrive RUNNING first, then COMPLETED: the same row, twice.
      expect(new Set(trials.flatMap((e) => e.rows.map((r) => r.key)))).toEqual(
        new Set([`${added}/${added}_0`]),
      );
      expect(trials.at(-1)!.summary.trials).toBe(10);
      expect(watcher.rowsSince(before).map((r) => r.key)).toEqual([`${added}/${added}_0`]);
      const refreshes = calls.refreshExperiment;
      await eventually(async () => calls.refreshExperiment >= refreshes + 3, "more refreshes");
      expect(events.filter((e) => e.type === "trials")).toHaveLength(trials.length); // nothing changed since
      expect(calls.loadExperiment).toBe(1);
    } finally {
      await close();
      await run.close();
    }
  });

  it("sends a running trial's row again when it reports a new intermediate value", async () => {
    const path = join(dir, "progress.db");
    const run = await liveExperiment(`sqlite:${path}`, { experiment: "curves" });
    const running = await run.start();
    await run.progress(running, 0.9, 1);
    const { model, close } = await watchedStore(path, 50);
    try {
      const watcher = (await model.watcher("curves"))!;
      const key = `${running}/${running}_0`;
      expect(watcher.state().rows.find((r) => r.key === key)?.cells["m:loss"]).toBe(0.9);
      const events: WatcherEvent[] = [];
      watcher.subscribe((e) => events.push(e));
      await run.progress(running, 0.4, 2);
      const sent = async () =>
        events.some(
          (e) => e.type === "trials" && e.rows.some((r) => r.key === key && r.cells["m:loss"] === 0.4),
        );
      await eventually(sent, "the row with the new value");
    } finally {
      await close();
      await run.close();
    }
  });

  it("lists an empty store, and reports an unknown experiment as null", async () => {
    const path = join(dir, "empty.db");
    await (await SqlStore.openSqlite({ path })).close();
    const { model, close } = await watchedStore(path, 1000);
    try {
      expect(await model.list()).toEqual({ storage: "test store", experiments: [], error: null });
      expect(await model.watcher("nothing")).toBeNull();
    } finally {
      await close();
    }
  });
});
