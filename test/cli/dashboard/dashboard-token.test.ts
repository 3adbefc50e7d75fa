import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenMatches } from "../../../src/cli/dashboard/dashboard-auth.js";
import { type RunningDashboard, startDashboard } from "../../../src/cli/dashboard/start-dashboard.js";
import { DashboardOptionsError } from "../../../src/errors.js";
import { launchTestBrowser } from "../../support/chromium.js";
import { storeExperiment } from "../read-commands-fixture.js";

const TOKEN = "correct horse battery staple";
let dir: string;
let storage: string;
let dashboard: RunningDashboard;
/** The dashboard's URL through loopback (it listens on every address). */
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ascent-dashboard-token-"));
  storage = `sqlite:${join(dir, "ascent.db")}`;
  await storeExperiment(storage, "tuning");
  dashboard = await startDashboard({ storage, port: 0, host: "0.0.0.0", token: TOKEN });
  base = `http://127.0.0.1:${dashboard.port}/`;
});
afterAll(async () => {
  await dashboard?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every kind of resource the dashboard serves: pages, the API, the event stream, an asset. */
async function resources(): Promise<string[]> {
  const page = await (await fetch(base, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const script = page.match(/src="(\/assets\/dashboard-[0-9a-f]+\.js)"/)![1]!;
  return [
    "",
    "experiments/tuning",
    "api/experiments",
    "api/experiments/tuning",
    "api/experiments/tuning/charts",
    "api/experiments/tuning/events",
    script.slice(1),
  ];
}

describe("dashboard bound to 0.0.0.0 with a token", () => {
  it("answers 401 to every request without the token, or with a wrong one", async () => {
    for (const path of await resources()) {
      const none = await fetch(new URL(path, base), { redirect: "manual" });
      expect([path, none.status]).toEqual([path, 401]);
      expect(await none.text()).toContain("needs its token");
      const wrong = await fetch(new URL(path, base), {
        headers: { authorization: "Bearer nope" },
        redirect: "manual",
      });
      expect([path, wrong.status]).toEqual([path, 401]);
      const query = await fetch(new URL(`${path}?token=nope`, base), { redirect: "manual" });
      expect([path, query.status]).toEqual([path, 401]);
    }
  });

  it("serves API clients that send Authorization: Bearer", async () => {
    for (const path of await resources()) {
      const controller = new AbortController();
      const response = await fetch(new URL(path, base), {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: controller.signal,
      });
      expect([path, response.status]).toEqual([path, 200]);
      controller.abort();
    }
    const api = await fetch(new URL("api/experiments/tuning", base), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(((await api.json()) as { summary: { trials: number } }).summary.trials).toBe(8);
  });

  it("turns /?token= into an HttpOnly, SameSite=Strict cookie and a URL without the token", async () => {
    const browser = await launchTestBrowser();
    try {
      const { page, errors } = await browser.newPage();
      const response = await page.goto(`${base}?token=${encodeURIComponent(TOKEN)}`);
      expect(response?.status()).toBe(200);
      expect(page.url()).toBe(base);
      await page.waitForSelector("body[data-list=ready]");
      const [cookie] = await browser.context.cookies(base);
      expect(cookie).toMatchObject({ name: "ascent_dashboard_token", httpOnly: true, sameSite: "Strict" });
      expect(await page.evaluate("document.cookie")).toBe("");
      await page.getByRole("link", { name: "tuning" }).click();
      await page.waitForSelector("body[data-trace=ready]");
      expect(await page.locator("#trials tbody tr").count()).toBe(8);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe("dashboard addresses and tokens", () => {
  it("refuses a non-loopback address without a token, and opens nothing", async () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.1"]) {
      const refused = startDashboard({ storage: `sqlite:${join(dir, "never.db")}`, port: 0, host });
      await expect(refused).rejects.toBeInstanceOf(DashboardOptionsError);
      await expect(refused).rejects.toMatchObject({ option: "--host" });
    }
  });

  it("compares tokens whatever their lengths", () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches("", TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
  });
});
