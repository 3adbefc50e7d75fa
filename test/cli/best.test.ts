import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../../src/service/client.js";
import { DBSettings } from "../../src/storage/db-settings.js";
import { BACKENDS, runCli, storeExperiment, type TestStore } from "./read-commands-fixture.js";

describe.each(BACKENDS)("ascent best on $name", (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.create();
    await storeExperiment(store.url, "cache_tuning", { completed: 6 });
    await storeExperiment(store.url, "pareto_demo", { completed: 5, multiObjective: true });
    await storeExperiment(store.url, "early", { completed: 0 });
    await storeExperiment(store.url, "noisy_tuning", { completed: 6, sem: 0.05 });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("one objective: the Client's getBestParameters answer and its rule, as JSON and text", async () => {
    const client = await Client.load({
      experimentName: "cache_tuning",
      dbSettings: new DBSettings(store.url),
      verboseLogging: false,
    });
    const expected = await client.getBestParameters();
    await client.store!.close();
    expect(expected?.predictions).toBeDefined();
    // Exact values reported as bare numbers: no noise shows in them, so the best observation stands.
    expect(expected?.rule).toBe("observed");
    expect(expected?.reason).toMatch(/^no noise detectable in the observations/);

    const r = await runCli(["best", "cache_tuning", "--json", "--storage", store.url]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({
      experiment: "cache_tuning",
      kind: "single",
      source: "observed",
      reason: expected!.reason,
      objective: { metric: "loss", minimize: true },
    });
    expect(report.best.trialIndex).toBe(expected!.trialIndex);
    expect(report.best.parameters).toEqual(expected!.parameters);
    expect(report.best.values).toEqual(expected!.values);
    expect(report.best.predictions.loss.mean).toBeCloseTo(expected!.predictions!.loss!.mean, 6);

    const text = await runCli(["best", "cache_tuning", "--storage", store.url]);
    expect(text.code).toBe(0);
    const lines = text.out.split("\n");
    expect(lines[0]).toBe(`Best of "cache_tuning" (minimize loss), by observed value:`);
    expect(lines[1]).toBe(`trial ${expected!.trialIndex} (arm ${report.best.armName})`);
    expect(lines).toContain(`    color  ${expected!.parameters.color}`);
    expect(text.out).toMatch(/ {4}loss {2}[0-9.e-]+ {2}\(predicted [0-9.e-]+ ± [0-9.e-]+\)/);
    expect(lines).toContain(`  rule: observed (${expected!.reason})`);
  });

  it("one objective with noise of known size: the model's pick, as JSON and text", async () => {
    const client = await Client.load({
      experimentName: "noisy_tuning",
      dbSettings: new DBSettings(store.url),
      verboseLogging: false,
    });
    const expected = await client.getBestParameters();
    await client.store!.close();
    expect(expected?.rule).toBe("model");
    expect(expected?.reason).toMatch(/known noise sd [\d.]+/);

    const r = await runCli(["best", "noisy_tuning", "--json", "--storage", store.url]);
    expect(JSON.parse(r.out)).toMatchObject({ source: "model", reason: expected!.reason });
    const lines = (await runCli(["best", "noisy_tuning", "--storage", store.url])).out.split("\n");
    expect(lines[0]).toBe(`Best of "noisy_tuning" (minimize loss), by the model's prediction:`);
    expect(lines[1]).toMatch(new RegExp(`^trial ${expected!.trialIndex} \\(arm `));
    expect(lines).toContain(`  rule: model (${expected!.reason})`);
  });

  it("several objectives: the observed Pareto set", async () => {
    const client = await Client.load({
      experimentName: "pareto_demo",
      dbSettings: new DBSettings(store.url),
      verboseLogging: false,
    });
    const expected = await client.getParetoOptimalParameters();
    await client.store!.close();

    const r = await runCli(["best", "pareto_demo", "--json", "--storage", store.url]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ kind: "pareto", source: "observed", hypervolume: expect.any(Number) });
    expect(report.points.map((p: { trialIndex: number }) => p.trialIndex)).toEqual([...expected.keys()]);
    for (const p of report.points) expect(p.parameters).toEqual(expected.get(p.trialIndex)!.parameters);

    const text = await runCli(["best", "pareto_demo", "--storage", store.url]);
    expect(text.out.split("\n")[0]).toMatch(
      new RegExp(
        `^"pareto_demo": ${expected.size} Pareto-optimal arm\\(s\\) \\(minimize a, minimize b\\), observed; hypervolume [0-9.e-]+$`,
      ),
    );
  });

  it("no completed trial yet: says so, best null, exit 0", async () => {
    const text = await runCli(["best", "early", "--storage", store.url]);
    expect(text).toMatchObject({ code: 0, out: '"early" (minimize loss): no feasible completed trial yet.' });
    const json = await runCli(["best", "early", "--json", "--storage", store.url]);
    expect(JSON.parse(json.out)).toMatchObject({
      kind: "single",
      source: "observed",
      reason: null,
      best: null,
    });
  });

  it("an unknown name: exit 2", async () => {
    const r = await runCli(["best", "paretodemo", "--storage", store.url]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Did you mean "pareto_demo"?');
  });
});
