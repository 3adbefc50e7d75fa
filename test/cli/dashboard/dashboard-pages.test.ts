import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboard } from "../../../src/cli/dashboard/start-dashboard.js";
import { DBSettings } from "../../../src/storage/db-settings.js";
import { adminQuery, POSTGRES_URL, randomSchema } from "../../integration/postgres-fixture.js";
import { launchTestBrowser, type TestBrowser } from "../../support/chromium.js";
import {
  drawAllCharts,
  liveExperiment,
  openExperimentPage,
  storeCompletedTrials,
} from "./dashboard-fixture.js";

const HOSTILE = {
  experiment: `<script>alert("name")</script>"'&amp;`,
  // Parameter names take no spaces or quotes; markup fits without them.
  parameter: "<img/src=x/onerror=window.pwned=1;alert(1)>",
  choice: `</style><script>alert("choice")</script>`,
  metric: `<svg onload=alert("metric")>`,
};
const HOSTILE_REASON = `<img src=y onerror="window.pwned=2;alert('reason')"><b>bold</b>`;

let browser: TestBrowser;
let dir: string;
beforeAll(async () => {
  browser = await launchTestBrowser();
  dir = mkdtempSync(join(tmpdir(), "ascent-dashboard-pages-"));
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Elements a page would hold if some markup from the data had been parsed. */
async function injected(page: import("playwright-core").Page) {
  return {
    imgs: await page.locator("img").count(),
    bolds: await page.locator("main b").count(),
    scripts: await page.locator('script:not([src]):not([type="application/json"])').count(),
    svgsOutsideCharts: await page.locator("svg:not(.chart svg)").count(),
    pwned: await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned ?? null),
  };
}

describe("dashboard pages", () => {
  it("show hostile names and failure reasons literally and execute nothing", async () => {
    const storage = `sqlite:${join(dir, "hostile.db")}`;
    const run = await liveExperiment(storage, HOSTILE);
    for (let i = 0; i < 3; i++) await run.complete();
    await run.fail(HOSTILE_REASON);
    await run.close();
    const dashboard = await startDashboard({ storage, port: 0 });
    try {
      const { page, errors, dialogs } = await browser.newPage();
      await page.goto(dashboard.url);
      await page.waitForSelector("body[data-list=ready]");
      expect(await page.locator("#experiments a").textContent()).toBe(HOSTILE.experiment);
      await page.locator("#experiments a").click();
      await page.waitForSelector("body[data-trace=ready]");
      expect(await page.locator("h1").textContent()).toBe(HOSTILE.experiment);
      expect(await page.title()).toBe(`${HOSTILE.experiment} - Ascent dashboard`);
      const headers = await page.locator("#trials th").allTextContents();
      expect(headers).toContain(HOSTILE.parameter);
      expect(headers).toContain(HOSTILE.metric);
      const cells = await page.locator("#trials td").allTextContents();
      expect(cells).toContain(HOSTILE_REASON);
      expect(await page.locator("[data-card=objectives] .value").textContent()).toBe(`min ${HOSTILE.metric}`);
      expect(await injected(page)).toEqual({
        imgs: 0,
        bolds: 0,
        scripts: 0,
        svgsOutsideCharts: 0,
        pwned: null,
      });

      await page.goto(new URL(`experiments/${encodeURIComponent(HOSTILE.parameter)}`, dashboard.url).href);
      expect(await page.locator("#missing").textContent()).toBe(HOSTILE.parameter);
      expect(await injected(page)).toEqual({
        imgs: 0,
        bolds: 0,
        scripts: 0,
        svgsOutsideCharts: 0,
        pwned: null,
      });
      expect(dialogs).toEqual([]);
      expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
    } finally {
      await dashboard.close();
    }
  });

  it("answer an unknown experiment with a 404 page, and an empty store with a note", async () => {
    const storage = `sqlite:${join(dir, "empty.db")}`;
    await (await new DBSettings(storage).openStore()).close();
    const dashboard = await startDashboard({ storage, port: 0 });
    try {
      const { page } = await browser.newPage();
      const response = await page.goto(new URL("experiments/nothing_here", dashboard.url).href);
      expect(response?.status()).toBe(404);
      expect(await page.locator("h1").textContent()).toBe("No such experiment");
      expect((await fetch(new URL("api/experiments/nothing_here", dashboard.url))).status).toBe(404);
      await page.goto(dashboard.url);
      await page.waitForSelector("body[data-list=ready]");
      expect(await page.locator("main .note").textContent()).toBe("No experiments are stored here yet.");
    } finally {
      await dashboard.close();
    }
  });

  it("sort the trials table by a column when its header is clicked", async () => {
    const storage = `sqlite:${join(dir, "sort.db")}`;
    const run = await liveExperiment(storage, { experiment: "sorting" });
    for (let i = 0; i < 6; i++) await run.complete();
    await run.close();
    const dashboard = await startDashboard({ storage, port: 0 });
    try {
      const { page } = await browser.newPage();
      await openExperimentPage(page, dashboard.url, "sorting");
      const column = async (name: string) =>
        page.$$eval(
          `#trials tbody td:nth-child(${(await page.locator("#trials th").allTextContents()).indexOf(name) + 1})`,
          (tds) => tds.map((td) => Number(td.textContent)),
        );
      expect(await column("trialIndex")).toEqual([5, 4, 3, 2, 1, 0]);
      await page.locator("#trials th", { hasText: /^loss$/ }).click();
      const ascending = await column("loss");
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      await page.locator("#trials th", { hasText: /^loss$/ }).click();
      const descending = await column("loss");
      expect(descending).toEqual([...ascending].reverse());
    } finally {
      await dashboard.close();
    }
  });

  it("page the trials table 100 rows at a time, sorting across every row", async () => {
    const path = join(dir, "many.db");
    await storeCompletedTrials(path, "many", 230);
    const dashboard = await startDashboard({ storage: `sqlite:${path}`, port: 0 });
    try {
      const { page } = await browser.newPage();
      await openExperimentPage(page, dashboard.url, "many");
      // Keys are trialIndex/armName; trials with the same x share an arm.
      const indexOf = async (row: import("playwright-core").Locator) =>
        Number((await row.getAttribute("data-key"))?.split("/")[0]);
      const firstIndex = () => indexOf(page.locator("#trials tbody tr").first());
      expect(await page.locator("#trials tbody tr").count()).toBe(100);
      expect(await page.locator("#pager-info").textContent()).toBe("rows 1-100 of 230");
      expect(await firstIndex()).toBe(229);
      await page.locator("#pager-next").click();
      await page.locator("#pager-next").click();
      expect(await page.locator("#pager-info").textContent()).toBe("rows 201-230 of 230");
      expect(await page.locator("#pager-next").isDisabled()).toBe(true);
      expect(await indexOf(page.locator("#trials tbody tr").last())).toBe(0);
      await page.locator("#trials th", { hasText: /^trialIndex$/ }).click(); // ascending, back to page 1
      expect(await page.locator("#pager-info").textContent()).toBe("rows 1-100 of 230");
      expect(await firstIndex()).toBe(0);
    } finally {
      await dashboard.close();
    }
  });

  it("draws the charts below the table when they are scrolled to, and large ones on canvas", async () => {
    const path = join(dir, "large.db");
    await storeCompletedTrials(path, "large", 1100);
    const dashboard = await startDashboard({ storage: `sqlite:${path}`, port: 0 });
    try {
      const { page, errors } = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 700 });
      await openExperimentPage(page, dashboard.url, "large");
      // The trace of 1,100 observations is on screen, drawn on canvas.
      await page.waitForSelector("body[data-trace=ready]");
      expect(await page.locator("#trace canvas").count()).toBe(1);
      const figures = page.locator("#charts figure");
      await figures.first().waitFor();
      const count = await figures.count();
      expect(count).toBeGreaterThan(1);
      // Below the 100-row table: nothing drawn until scrolled to.
      const drawn = () => page.locator("#charts figure .chart:not(:empty)").count();
      expect(await drawn()).toBe(0);
      expect(await page.locator("body").getAttribute("data-charts")).toBeNull();
      await drawAllCharts(page);
      expect(await drawn()).toBe(count);
      expect(errors).toEqual([]);
    } finally {
      await dashboard.close();
    }
  });
});

describe("a store that goes away", () => {
  it("PostgreSQL: a dropped schema shows errors on the open page and the list; the server keeps serving", async () => {
    const schema = randomSchema();
    const storage = `${POSTGRES_URL}?schema=${schema}`;
    const run = await liveExperiment(storage, { experiment: "doomed" });
    await run.complete();
    await run.close();
    const dashboard = await startDashboard({ storage, port: 0, refreshMs: 100 });
    try {
      const { page } = await browser.newPage();
      await openExperimentPage(page, dashboard.url, "doomed");
      await adminQuery(`DROP SCHEMA "${schema}" CASCADE`);
      await page.waitForSelector("#banner.shown");
      expect(await page.locator("#banner").textContent()).toMatch(/doomed/);
      const list = (await (await fetch(new URL("api/experiments", dashboard.url))).json()) as {
        error: unknown;
      };
      expect(list.error).toEqual(expect.any(String));
      await page.goto(dashboard.url);
      await page.waitForSelector("#banner.shown");
      expect(await page.locator("#banner").textContent()).toContain("The store cannot be read");
    } finally {
      await dashboard.close();
      await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it("SQLite: an experiment deleted by another process is reported on its page", async () => {
    const storage = `sqlite:${join(dir, "deleted.db")}`;
    const run = await liveExperiment(storage, { experiment: "short_lived" });
    await run.complete();
    await run.close();
    const dashboard = await startDashboard({ storage, port: 0, refreshMs: 100 });
    try {
      const { page } = await browser.newPage();
      await openExperimentPage(page, dashboard.url, "short_lived");
      const writer = await new DBSettings(storage).openStore();
      await writer.deleteExperiment("short_lived");
      await writer.close();
      await page.waitForSelector("#banner.shown");
      expect(await page.locator("#banner").textContent()).toContain("was deleted");
      expect(await page.locator("#trials tbody tr").count()).toBe(1);
    } finally {
      await dashboard.close();
    }
  });
});
