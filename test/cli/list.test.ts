import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportedMetric } from "../../src/core/metric.js";
import { Client } from "../../src/service/client.js";
import { registerMetric, unregisterMetric } from "../../src/storage/codec/registry.js";
import { DBSettings } from "../../src/storage/db-settings.js";
import { runTsxChild } from "../support/tsx-child.js";
import { BACKENDS, runCli, storeExperiment, type TestStore } from "./read-commands-fixture.js";

describe.each(BACKENDS)("ascent list on $name", (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.create();
    await storeExperiment(store.url, "cache_tuning", { completed: 6 });
    await storeExperiment(store.url, "pareto_demo", { completed: 4, multiObjective: true });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("prints a table: trials by status, best value, last update", async () => {
    const r = await runCli(["list", "--storage", store.url]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const [header, rule, first, second] = r.out.split("\n");
    expect(header).toMatch(/^name\s+trials\s+running\s+completed\s+failed\s+best\s+updated$/);
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(first).toMatch(
      /^cache_tuning\s+8\s+1\s+6\s+1\s+loss=[0-9.e-]+ \(trial \d\)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(second).toMatch(/^pareto_demo\s+6\s+1\s+4\s+1\s+\d Pareto-optimal \(min a, min b\)/);
  });

  it("--json: stable fields for scripts", async () => {
    const r = await runCli(["list", "--storage", store.url, "--json"]);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { storage: string; experiments: Record<string, unknown>[] };
    expect(parsed.storage).toContain(backend.name === "SQLite" ? "sqlite:" : "postgres://");
    expect(parsed.experiments.map((e) => e.name)).toEqual(["cache_tuning", "pareto_demo"]);
    const [single, multi] = parsed.experiments;
    expect(single).toMatchObject({
      trials: 8,
      byStatus: {
        CANDIDATE: 0,
        STAGED: 0,
        RUNNING: 1,
        COMPLETED: 6,
        FAILED: 1,
        ABANDONED: 0,
        EARLY_STOPPED: 0,
      },
      objectives: [{ metric: "loss", minimize: true }],
      paretoPoints: null,
      error: null,
    });
    expect(Object.keys(single!)).toEqual([
      "name",
      "trials",
      "byStatus",
      "objectives",
      "best",
      "paretoPoints",
      "lastUpdated",
      "error",
    ]);
    expect(single!.best).toMatchObject({
      trialIndex: expect.any(Number),
      values: { loss: expect.any(Number) },
    });
    expect(Number.isNaN(Date.parse(single!.lastUpdated as string))).toBe(false);
    expect(multi).toMatchObject({ best: null, paretoPoints: expect.any(Number) });
  });
});

describe("ascent list: edge cases (SQLite)", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await BACKENDS[0]!.create();
  });
  afterAll(() => store.cleanup());

  it("an empty store says so; --json gives an empty list", async () => {
    await new Client({ dbSettings: new DBSettings(store.url), verboseLogging: false })
      .createExperiment({
        name: "temporary",
        parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
        objectives: { y: { minimize: true } },
      })
      .then(async () => {
        const s = await new DBSettings(store.url).openStore();
        await s.deleteExperiment("temporary");
        await s.close();
      });
    const text = await runCli(["list", "--storage", store.url]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^No experiments are stored at sqlite:.*ascent\.db\.$/);
    const json = await runCli(["list", "--storage", store.url, "--json"]);
    expect(JSON.parse(json.out)).toMatchObject({ experiments: [] });
  });

  it("lists an experiment it cannot rebuild with the reason, and the others", async () => {
    class LatencyMetric extends ReportedMetric {}
    registerMetric(LatencyMetric);
    try {
      const client = new Client({ dbSettings: new DBSettings(store.url), verboseLogging: false });
      await client.createExperiment({
        name: "custom_metric",
        parameters: [{ name: "x", type: "range", bounds: [0, 1] }],
        objectives: { latency: { minimize: true } },
      });
      const experiment = client.experiment;
      experiment.addTrackingMetric(new LatencyMetric({ name: "p99" }));
      await client.store!.saveExperiment(experiment);
    } finally {
      unregisterMetric(LatencyMetric);
    }
    await storeExperiment(store.url, "fine", { completed: 1 });
    const r = await runCli(["list", "--storage", store.url, "--json"]);
    expect(r.code).toBe(0);
    const { experiments } = JSON.parse(r.out) as { experiments: { name: string; error: string | null }[] };
    expect(experiments.map((e) => e.name)).toEqual(["custom_metric", "fine"]);
    expect(experiments[0]!.error).toContain("LatencyMetric");
    expect(experiments[1]!.error).toBeNull();
    const text = await runCli(["list", "--storage", store.url]);
    expect(text.out).toMatch(/custom_metric .*\(unreadable: .*LatencyMetric/);
  });

  it("reads while another connection holds a write transaction, and changes no byte of the database", async () => {
    const path = store.url.slice("sqlite:".length);
    const writer = await new DBSettings(store.url).openStore();
    const digest = () =>
      [path, `${path}-wal`].map((p) =>
        existsSync(p) ? createHash("sha256").update(readFileSync(p)).digest("hex") : "none",
      );
    let release!: () => void;
    const held = writer.withTransaction(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    try {
      const before = digest();
      const r = await runCli(["list", "--storage", store.url]);
      expect(r.code).toBe(0);
      expect(r.out).toContain("fine");
      expect(digest()).toEqual(before);
    } finally {
      release();
      await held;
      await writer.close();
    }
  });

  it("a missing store file: exit 3 with the path and how the store is chosen", async () => {
    const r = await runCli(["list"], { ASCENT_STORAGE_URL: `${store.url}.missing` });
    expect(r.code).toBe(3);
    expect(r.err).toContain("ascent.db.missing for reading: there is no such file");
    expect(r.err).toContain("this one came from ASCENT_STORAGE_URL");
    expect(r.out).toBe("");
  });

  it("runs as a real ascent process", async () => {
    const r = await runTsxChild("src/cli/bin.ts", ["list", "--storage", store.url, "--json"]);
    expect(r.code).toBe(0);
    expect(
      (JSON.parse(r.out) as { experiments: { name: string }[] }).experiments.map((e) => e.name),
    ).toContain("fine");
  });
});
