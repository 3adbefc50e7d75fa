import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReport } from "../reporting/report/report-page.js";
import { launchTestBrowser } from "../support/chromium.js";
import { tempDir } from "../support/temp-dir.js";
import { BACKENDS, runCli, storeExperiment, type TestStore } from "./read-commands-fixture.js";

describe("ascent report", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await BACKENDS[0]!.create();
    await storeExperiment(store.url, "cache_tuning", { completed: 8 });
  }, 60_000);
  afterAll(() => store.cleanup());

  it("writes a self-contained report that opens offline, with the stored strategy's reason, and says where", async () => {
    const file = join(tempDir(), "cache.html");
    const r = await runCli(["report", "cache_tuning", "--storage", store.url, "-o", file]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toBe(`Wrote the report of "cache_tuning" (10 trial(s)) to ${file}`);
    const browser = await launchTestBrowser();
    try {
      const { page, errors, requests } = await openReport(browser, file);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.locator("h1").textContent()).toBe("Ascent report: cache_tuning");
      const summary = (await page.locator("#summary").textContent()) ?? "";
      expect(summary).toContain("Sobol+BoTorch");
      expect(summary).toMatch(/Bayesian optimization after \d+ quasi-random \(Sobol\) trials, because/);
      // A model judged the arms: exact bare numbers show no noise, so it keeps the best observation.
      expect(summary).toMatch(/Rule: observed \(no noise detectable in the observations/);
      expect(await page.locator("#trials-table tbody tr").count()).toBe(10);
      expect((await page.locator("#failures").textContent()) ?? "").toContain("out of memory");
      const figures = await page.locator("figure.chart").count();
      expect(await page.locator(".chart-view[data-rendered=yes] svg").count()).toBe(figures);
    } finally {
      await browser.close();
    }
  });

  it("--no-models leaves out the model's prediction", async () => {
    const file = join(tempDir(), "report.html");
    const r = await runCli(["report", "cache_tuning", "--storage", store.url, "-o", file, "--no-models"]);
    expect(r.code).toBe(0);
    const page = readFileSync(file, "utf8");
    expect(page).toContain("by observed value");
    expect(page).not.toContain("by the model&#39;s prediction");
    expect(page).toContain("no model judged the arms");
    expect(page).not.toContain("no noise detectable");
  });

  it("exits 2 for a missing directory or an unknown experiment, 3 for a store it cannot open", async () => {
    const dir = tempDir();
    const missing = await runCli([
      "report",
      "cache_tuning",
      "--storage",
      store.url,
      "-o",
      join(dir, "no", "r.html"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      `ascent report: -o: Cannot write the report to ${join(dir, "no", "r.html")}`,
    );
    expect(missing.err).toContain("does not exist");
    const unknown = await runCli([
      "report",
      "cache_tunin",
      "--storage",
      store.url,
      "-o",
      join(dir, "r.html"),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Did you mean "cache_tuning"?');
    mkdirSync(join(dir, "empty"));
    const absent = await runCli(["report", "x", "--storage", `sqlite:${join(dir, "empty", "none.db")}`]);
    expect(absent.code).toBe(3);
  });

  it("has help", async () => {
    const r = await runCli(["report", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: ascent report [options] <name>");
    expect(r.out).toContain("-o, --output <file>");
    expect(r.out).toContain("--no-models");
    expect(r.out).toContain("--storage <url>");
  });
});
