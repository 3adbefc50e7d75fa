import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentToTable } from "../../src/reporting/experiment-to-table.js";
import { tableToJson } from "../../src/reporting/table-format.js";
import { BACKENDS, loadFrom, runCli, storeExperiment, type TestStore } from "./read-commands-fixture.js";

describe.each(BACKENDS)("ascent show on $name", (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.create();
    await storeExperiment(store.url, "cache_tuning", { completed: 6 });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("prints the trials table: one row per arm, Ax's exp_to_df columns", async () => {
    const r = await runCli(["show", "cache_tuning", "--storage", store.url]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const lines = r.out.split("\n");
    expect(lines[0]).toBe('Experiment "cache_tuning": 8 trial(s) (1 RUNNING, 6 COMPLETED, 1 FAILED)');
    expect(lines[2]).toMatch(
      /^\s*loss\s+size\s+trialIndex\s+armName\s+x\s+color\s+trialStatus\s+generatorModel\s+failureReason$/,
    );
    expect(lines).toHaveLength(4 + 8);
    expect(lines[4]).toMatch(/^\s*[0-9.e-]+\s+0\s+0\s+0_0\s+[0-9.]+\s+(red|blue)\s+COMPLETED\s+Sobol$/);
    expect(lines[10]).toMatch(/\s6\s+6_0\s.*FAILED\s+\w+\s+out of memory$/);
    expect(lines[11]).toMatch(/^\s+7\s+7_0\s.*RUNNING\s+\w+$/);
  });

  it("--json prints the rows as the library's tableToJson does", async () => {
    const r = await runCli(["show", "cache_tuning", "--json", "--storage", store.url]);
    expect(r.code).toBe(0);
    const { experiment } = await loadFrom(store.url, "cache_tuning");
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows).toEqual(JSON.parse(tableToJson(experimentToTable(experiment))));
    expect(rows[6]).toMatchObject({
      trialIndex: 6,
      trialStatus: "FAILED",
      failureReason: "out of memory",
      loss: null,
    });
  });

  it("an unknown name: exit 2, naming the similar stored ones", async () => {
    const r = await runCli(["show", "cache_tunnig", "--storage", store.url]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain('ascent show: No experiment named "cache_tunnig" is stored at');
    expect(r.err).toContain('Did you mean "cache_tuning"?');
    const far = await runCli(["show", "zzz", "--storage", store.url]);
    expect(far.code).toBe(2);
    expect(far.err).toContain("It holds 1 other experiment(s); see them with ascent list.");
  });

  it("needs a name", async () => {
    const r = await runCli(["show", "--storage", store.url]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("missing required argument 'name'");
  });
});
