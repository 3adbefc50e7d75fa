import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataToTable } from "../../src/reporting/data-to-table.js";
import { experimentToTable } from "../../src/reporting/experiment-to-table.js";
import { tableToCsv } from "../../src/reporting/table-format.js";
import { importExperimentFromJson } from "../../src/storage/codec/experiment-export.js";
import { openStore } from "../../src/storage/db-settings.js";
import { tempDir } from "../support/temp-dir.js";
import { BACKENDS, loadFrom, runCli, storeExperiment, type TestStore } from "./read-commands-fixture.js";

describe.each(BACKENDS)("ascent export on $name", (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.create();
    await storeExperiment(store.url, "cache_tuning", { completed: 5 });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("--format csv: the trials table as the library's tableToCsv writes it, to stdout", async () => {
    const r = await runCli(["export", "cache_tuning", "--format", "csv", "--storage", store.url]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const { experiment } = await loadFrom(store.url, "cache_tuning");
    expect(`${r.out}\n`).toBe(tableToCsv(experimentToTable(experiment), { lineEnding: "\n" }));
    expect(r.out.split("\n")[0]).toBe(
      "loss,size,trialIndex,armName,x,color,trialStatus,generatorModel,failureReason",
    );
  });

  it("--format json -o file: the whole experiment, which importExperimentFromJson reads back", async () => {
    const file = join(tempDir(), "cache_tuning.json");
    const r = await runCli([
      "export",
      "cache_tuning",
      "--format",
      "json",
      "-o",
      file,
      "--storage",
      store.url,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toBe(`Wrote experiment "cache_tuning" (7 trial(s), json) to ${file}.`);
    const { experiment, generationState } = importExperimentFromJson(readFileSync(file, "utf8"));
    const stored = await loadFrom(store.url, "cache_tuning");
    expect(experimentToTable(experiment)).toEqual(experimentToTable(stored.experiment));
    expect(generationState).toEqual(stored.generationState);
  });
});

describe.each(BACKENDS)("ascent export of intermediate results on $name", (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.create();
    await storeExperiment(store.url, "curves", { completed: 2, progressSteps: 3 });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("--format data-csv: every stored observation, progression rows with their step", async () => {
    const r = await runCli(["export", "curves", "--format", "data-csv", "--storage", store.url]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const { experiment } = await loadFrom(store.url, "curves");
    expect(`${r.out}\n`).toBe(tableToCsv(dataToTable(experiment.lookupCurveData()), { lineEnding: "\n" }));
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("trialIndex,armName,metricName,mean,sem,step");
    // Two trials, two metrics: three progression rows and one final row each.
    expect(lines).toHaveLength(1 + 2 * 2 * 4);
    expect(lines.filter((l) => l.startsWith("0,0_0,loss,")).map((l) => l.split(",")[5])).toEqual([
      "1",
      "2",
      "3",
      "",
    ]);
  });

  it("--format json: the progression rows are in the export, and import rebuilds the curves", async () => {
    const r = await runCli(["export", "curves", "--format", "json", "--storage", store.url]);
    expect(r.code).toBe(0);
    const { experiment } = importExperimentFromJson(r.out);
    const stored = await loadFrom(store.url, "curves");
    expect(experiment.curves("loss")).toEqual(stored.experiment.curves("loss"));
    expect(experiment.curve(1, "size").map((p) => p.progression)).toEqual([1, 2, 3]);
    expect(experimentToTable(experiment)).toEqual(experimentToTable(stored.experiment));
  });
});

describe("ascent export: usage errors", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await BACKENDS[0]!.create();
    await storeExperiment(store.url, "small", { completed: 1 });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("needs --format csv or json", async () => {
    const missing = await runCli(["export", "small", "--storage", store.url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--format <format>' not specified");
    const wrong = await runCli(["export", "small", "--format", "xml", "--storage", store.url]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("Allowed choices are csv, json, data-csv");
  });

  it("-o into a missing folder: exit 2; an existing file is replaced", async () => {
    const dir = tempDir();
    const r = await runCli([
      "export",
      "small",
      "--format",
      "csv",
      "-o",
      join(dir, "no", "x.csv"),
      "--storage",
      store.url,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`ascent export: -o: Cannot write ${join(dir, "no", "x.csv")}: its folder`);
    const existing = join(dir, "keep.csv");
    writeFileSync(existing, "old");
    const ok = await runCli(["export", "small", "--format", "csv", "-o", existing, "--storage", store.url]);
    expect(ok.code).toBe(0);
    expect(readFileSync(existing, "utf8")).toMatch(/^loss,/);
  });
});

describe("ascent export --format json: the re-import of docs/cli.md", () => {
  it("createExperiment(importExperimentFromJson(...)) in another store shows the same table", async () => {
    const from = await BACKENDS[0]!.create();
    const to = await BACKENDS[0]!.create();
    try {
      await storeExperiment(from.url, "moved", { completed: 2 });
      const file = join(tempDir(), "moved.json");
      expect(
        (await runCli(["export", "moved", "--format", "json", "-o", file, "--storage", from.url])).code,
      ).toBe(0);
      const { experiment, generationState } = importExperimentFromJson(readFileSync(file, "utf8"));
      const store = await openStore(to.url);
      await store.createExperiment(experiment, generationState);
      await store.close();
      const before = await runCli(["show", "moved", "--json", "--storage", from.url]);
      const after = await runCli(["show", "moved", "--json", "--storage", to.url]);
      expect(after).toEqual(before);
      expect((await runCli(["best", "moved", "--json", "--storage", to.url])).out).toBe(
        (await runCli(["best", "moved", "--json", "--storage", from.url])).out,
      );
    } finally {
      await from.cleanup();
      await to.cleanup();
    }
  });
});
