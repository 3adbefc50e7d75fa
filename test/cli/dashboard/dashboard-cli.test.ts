import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchTestBrowser, type TestBrowser } from "../../support/chromium.js";
import type { TsxChild } from "../../support/tsx-child.js";
import { runCli, storeExperiment } from "../read-commands-fixture.js";
import { ascentChild, loadStored, until, writeSlowConfig } from "../run-fixture.js";
import {
  dashboardScreenshot,
  drawAllCharts,
  eventually,
  markWindow,
  openExperimentPage,
  shownStatuses,
  windowMark,
} from "./dashboard-fixture.js";

let browser: TestBrowser;
let dir: string;
beforeAll(async () => {
  browser = await launchTestBrowser();
  dir = mkdtempSync(join(tmpdir(), "ascent-dashboard-cli-"));
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The URL a dashboard child printed, once it did. */
async function servedUrl(child: TsxChild): Promise<string> {
  await until(
    () => /Ascent dashboard: http/.test(child.out()),
    `the dashboard's URL (stderr: ${child.err()})`,
  );
  return child.out().match(/Ascent dashboard: (http\S+)/)![1]!;
}

describe("ascent dashboard, the command", () => {
  it("serves a run in progress in another process: completions appear live; SIGTERM ends it with 0", async () => {
    const storage = `sqlite:${join(dir, "run.db")}`;
    const config = writeSlowConfig(dir, { name: "cache_tuning", storage, totalTrials: 14, parallelism: 3 });
    const run = ascentChild(["run", config], { SLOW_TRIAL_MS: "400" });
    const dashboard = ascentChild(["dashboard", "--storage", storage, "--port", "0"]);
    try {
      await eventually(
        async () => ((await loadStored(storage, "cache_tuning"))?.numTrials ?? 0) > 0,
        "the run's first trials",
      );
      const url = await servedUrl(dashboard);
      const { page, errors } = await browser.newPage();
      page.setDefaultTimeout(20_000);
      await openExperimentPage(page, url, "cache_tuning");
      await markWindow(page, "42");
      const atLoad = await shownStatuses(page);
      const completedAtLoad = Object.keys(atLoad).filter((k) => atLoad[k] === "COMPLETED");
      const notBefore = completedAtLoad.map((k) => `:not([data-key="${k}"])`).join("");
      const completedNow = page
        .locator(`#trials tbody tr${notBefore}`)
        .filter({ has: page.locator("td[data-status=COMPLETED]") });
      await completedNow.first().waitFor();
      expect(await windowMark(page)).toBe("42");
      expect(await run.exited).toBe(0);
      await page.locator("#trials td[data-status=COMPLETED]").nth(13).waitFor();
      expect(await page.locator("#pager-info").textContent()).toBe("rows 1-14 of 14");
      expect(await windowMark(page)).toBe("42");
      // The trace catches up with every completed trial, still without a reload.
      await page.locator("#trace svg path[aria-roledescription=point]").nth(13).waitFor();
      // The charts below the table are drawn as they are scrolled to.
      await drawAllCharts(page);
      await page.locator("h1").scrollIntoViewIfNeeded();
      const png = await dashboardScreenshot(page);
      expect(png.byteLength).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
      await page.close();
      dashboard.child.kill("SIGTERM");
      expect(await dashboard.exited).toBe(0);
    } finally {
      run.child.kill("SIGKILL");
      dashboard.child.kill("SIGKILL");
    }
  });

  it("refuses a non-loopback address without a token (usage error), before opening anything", async () => {
    const result = await runCli([
      "dashboard",
      "--host",
      "0.0.0.0",
      "--storage",
      `sqlite:${join(dir, "none.db")}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("--host");
    expect(result.err).toContain("without a token");
    expect(result.err).toContain("--token");
  });

  it("with a token from ASCENT_DASHBOARD_TOKEN on 0.0.0.0: 401 without it, 200 with it; Ctrl-C ends it with 130", async () => {
    const storage = `sqlite:${join(dir, "token.db")}`;
    await storeExperiment(storage, "cache_tuning");
    const dashboard = ascentChild(["dashboard", "--storage", storage, "--port", "0", "--host", "0.0.0.0"], {
      ASCENT_DASHBOARD_TOKEN: "tok-123",
    });
    try {
      const url = await servedUrl(dashboard);
      expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
      const api = new URL("api/experiments", url).href;
      expect((await fetch(api)).status).toBe(401);
      const ok = await fetch(api, { headers: { authorization: "Bearer tok-123" } });
      expect(ok.status).toBe(200);
      const list = (await ok.json()) as { experiments: { name: string }[] };
      expect(list.experiments.map((e) => e.name)).toContain("cache_tuning");
      dashboard.child.kill("SIGINT");
      expect(await dashboard.exited).toBe(130);
    } finally {
      dashboard.child.kill("SIGKILL");
    }
  });
});
