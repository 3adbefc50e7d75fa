import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Page } from "playwright-core";
import { Client } from "../../../src/service/client.js";
import { DBSettings } from "../../../src/storage/db-settings.js";

/** Names an experiment is created with; the hostile-name tests pass markup here. */
export interface ExperimentNames {
  readonly experiment: string;
  readonly parameter?: string;
  readonly choice?: string;
  readonly metric?: string;
}

/** An experiment written by an ask/tell Client in this process, on a store a dashboard reads. */
export interface LiveExperiment {
  /** Asks for a trial and completes it with the quadratic's value; returns its index. */
  complete(): Promise<number>;
  /** Asks for a trial and leaves it RUNNING; returns its index. */
  start(): Promise<number>;
  /** Completes a trial started earlier. */
  finish(trialIndex: number): Promise<void>;
  /** Reports an intermediate value of a RUNNING trial at `step`. */
  progress(trialIndex: number, value: number, step: number): Promise<void>;
  /** Asks for a trial and marks it FAILED with `reason`. */
  fail(reason: string): Promise<number>;
  close(): Promise<void>;
}

/** Creates an experiment at `url` (seed 0): x in [0, 1], a choice, one minimized metric. */
export async function liveExperiment(url: string, names: ExperimentNames): Promise<LiveExperiment> {
  const db = new DBSettings(url);
  const client = new Client({ seed: 0, dbSettings: db, verboseLogging: false });
  const x = names.parameter ?? "x";
  const color = names.choice ?? "red";
  const metric = names.metric ?? "loss";
  await client.createExperiment({
    name: names.experiment,
    parameters: [
      { name: x, type: "range", bounds: [0, 1] },
      { name: "color", type: "choice", values: [color, "blue"], isOrdered: false },
    ],
    objectives: { [metric]: { minimize: true } },
  });
  const value = (parameters: Record<string, unknown>) =>
    (Number(parameters[x]) - 0.3) ** 2 + (parameters.color === "blue" ? 0.1 : 0);
  const pending = new Map<number, number>();
  return {
    async complete() {
      const { trialIndex, parameters } = await client.getNextTrial();
      await client.completeTrial(trialIndex, { [metric]: value(parameters) });
      return trialIndex;
    },
    async start() {
      const { trialIndex, parameters } = await client.getNextTrial();
      pending.set(trialIndex, value(parameters));
      return trialIndex;
    },
    async finish(trialIndex) {
      await client.completeTrial(trialIndex, { [metric]: pending.get(trialIndex)! });
    },
    async progress(trialIndex, progressValue, step) {
      await client.attachProgress(trialIndex, { [metric]: progressValue }, { step });
    },
    async fail(reason) {
      const { trialIndex } = await client.getNextTrial();
      await client.logTrialFailure(trialIndex, reason);
      return trialIndex;
    },
    async close() {
      await (await db.openStore()).close();
    },
  };
}

/** Opens an experiment's page and waits until its trials table and trace are rendered. */
export async function openExperimentPage(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(new URL(`experiments/${encodeURIComponent(name)}`, baseUrl).href);
  await page.waitForSelector("body[data-trials=ready]");
  await page.waitForSelector("body[data-trace=ready]");
}

/** The status shown in the trials table for each row key (`trialIndex/armName`). */
export async function shownStatuses(page: Page): Promise<Record<string, string>> {
  return page.$$eval("#trials tbody tr", (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.getAttribute("data-key") ?? "",
        r.querySelector("td[data-status]")?.getAttribute("data-status") ?? "",
      ]),
    ),
  );
}

/** Resolves once the row `key` shows `status` (without reloading the page). */
export async function rowShows(page: Page, key: string, status: string): Promise<void> {
  await page.locator(`#trials tr[data-key="${key}"] td[data-status="${status}"]`).waitFor();
}

/** Sets a property on the page's window, to tell later whether the page was reloaded. */
export async function markWindow(page: Page, value: string): Promise<void> {
  await page.evaluate((v) => {
    (globalThis as unknown as { sentinel: string }).sentinel = v;
  }, value);
}

/** The property {@link markWindow} set, or null after a reload. */
export async function windowMark(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { sentinel?: string }).sentinel ?? null);
}

/** Where the README's screenshot of the dashboard is kept. */
export const DASHBOARD_SCREENSHOT = "docs/dashboard.png";

/**
 * Takes a PNG screenshot of the page (a 1360×1750 viewport, animations finished) and, when ASCENT_WRITE_SCREENSHOTS=1, writes it to
 * `path` as well. Returns the PNG bytes.
 */
export async function dashboardScreenshot(page: Page, path = DASHBOARD_SCREENSHOT): Promise<Uint8Array> {
  await page.setViewportSize({ width: 1360, height: 1750 });
  const png = await page.screenshot({ type: "png", animations: "disabled" });
  if (process.env.ASCENT_WRITE_SCREENSHOTS === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, png);
  }
  return png;
}

/** Resolves once `probe` resolves true, trying every 100 ms; rejects after `timeoutMs`. */
export async function eventually(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { storeCompletedTrials } from "../../support/stored-trials.js";

/**
 * Scrolls to every chart below the table (they are drawn when scrolled to) until the page marks them
 * all drawn: charts recomputed meanwhile (a run still completing trials) replace the figures.
 */
export async function drawAllCharts(page: Page, timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      for (const figure of await page.locator("#charts figure").all()) {
        await figure.scrollIntoViewIfNeeded().catch(() => undefined); // replaced meanwhile
      }
      return (await page.locator("body").getAttribute("data-charts")) === "ready";
    },
    "every chart drawn",
    timeoutMs,
  );
}
