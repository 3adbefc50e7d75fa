import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboard } from "../../../src/cli/dashboard/start-dashboard.js";
import { launchTestBrowser, type TestBrowser } from "../../support/chromium.js";
import { BACKENDS } from "../read-commands-fixture.js";
import { liveExperiment, markWindow, rowShows, shownStatuses, windowMark } from "./dashboard-fixture.js";

/** The observation marks of the trace. */
const TRACE_POINTS = "#trace svg path[aria-roledescription=point]";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchTestBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(BACKENDS)("dashboard on $name", (backend) => {
  it("shows a trial completed after the page loaded, in place, without reloading", async () => {
    const store = await backend.create();
    const run = await liveExperiment(store.url, { experiment: "tuning" });
    const dashboard = await startDashboard({
      storage: store.url,
      port: 0,
      refreshMs: 100,
      traceIntervalMs: 100,
    });
    try {
      for (let i = 0; i < 4; i++) await run.complete();
      await run.fail("out of memory");
      const running = await run.start();
      const { page, errors } = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(dashboard.url);
      await page.waitForSelector("body[data-list=ready]");
      expect(await page.locator("#experiments tbody tr").count()).toBe(1);
      await page.getByRole("link", { name: "tuning" }).click();
      await page.waitForSelector("body[data-trials=ready]");
      await page.waitForSelector("body[data-trace=ready]");
      await markWindow(page, "still here");
      expect(await shownStatuses(page)).toMatchObject({
        [`${running}/${running}_0`]: "RUNNING",
        "4/4_0": "FAILED",
      });
      const tracePoints = await page.locator(TRACE_POINTS).count();

      await run.finish(running);
      const added = await run.complete();
      await rowShows(page, `${running}/${running}_0`, "COMPLETED");
      await rowShows(page, `${added}/${added}_0`, "COMPLETED");
      expect(await windowMark(page)).toBe("still here");
      await page.locator(TRACE_POINTS).nth(tracePoints).waitFor();
      expect(await page.locator("[data-card=trials] .value").textContent()).toBe(String(added + 1));
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await dashboard.close();
      await run.close();
      await store.cleanup();
    }
  });
});
