import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeReport } from "../../../src/reporting/report/index.js";
import { launchTestBrowser, type TestBrowser } from "../../support/chromium.js";
import { tempDir } from "../../support/temp-dir.js";
import { reportExperiment, traceLikeChart } from "./report-fixture.js";
import { openReport, screenshotReport } from "./report-page.js";

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchTestBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The text of one column of the trials table, top to bottom. */
async function columnTexts(page: import("playwright-core").Page, header: string): Promise<string[]> {
  const headers = await page.locator("#trials-table thead th").allTextContents();
  const index = headers.indexOf(header);
  expect(index).toBeGreaterThanOrEqual(0);
  return page.locator(`#trials-table tbody tr td:nth-child(${index + 1})`).allTextContents();
}

describe("the HTML report in a browser", () => {
  it("opens offline from a file: the summary, every chart drawn with one symbol per observation, no errors", async () => {
    const { experiment, strategy } = reportExperiment({ numTrials: 40, failEvery: 12, running: 2 });
    const file = await writeReport(experiment, join(tempDir(), "report.html"), {
      generationStrategy: strategy,
      charts: [traceLikeChart(experiment, "hartmann6")],
      models: true,
    });
    const { page, errors, requests, dialogs } = await openReport(browser, file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
    const observations = experiment.lookupData().rows.length;
    expect(observations).toBeGreaterThan(20);
    expect(await page.locator("#chart-0 svg").count()).toBe(1);
    expect(await page.locator("#chart-0 svg path[aria-roledescription=point]").count()).toBe(observations);
    expect(await page.locator("figure.chart figcaption").textContent()).toContain("best so far");

    const statuses = await page.locator("#trial-statuses li").allTextContents();
    expect(statuses.map((s) => s.replace(/\s+/g, " ").trim())).toEqual([
      "RUNNING 2",
      "COMPLETED 32",
      "FAILED 3",
      "ABANDONED 3",
    ]);
    const summary = (await page.locator("#summary").textContent()) ?? "";
    // Noise-free observations: the best observation, and the rule that chose it.
    expect(summary).toContain("by observed value");
    expect(summary).toContain("Rule: observed (noise-free observations (sem 0)");
    expect(summary).toContain("Sobol+BoTorch");
    expect(summary).toContain("because all 7 tunable parameters are ordered");
    expect(summary).toMatch(/Median run time\s*[\d.]+ s/);
    expect(await page.locator("#trials-table tbody tr").count()).toBe(40);
    const failures = (await page.locator("#failures").textContent()) ?? "";
    expect(failures).toContain("3 trials (11, 23, 35)");
    expect(failures).toContain("The job ran out of memory (exit code 137)");
  });

  it("runs only its own scripts: a script added to the page is refused by its Content-Security-Policy", async () => {
    const { experiment } = reportExperiment({ numTrials: 10 });
    const file = await writeReport(experiment, join(tempDir(), "report.html"), {
      charts: [traceLikeChart(experiment, "hartmann6")],
      models: false,
    });
    const tampered = readFileSync(file, "utf8").replace(
      "</body>",
      '<script>document.title = "changed"</script><img src="data:," onload="document.title = \'img\'"></body>',
    );
    writeFileSync(file, tampered);
    const { page, errors } = await openReport(browser, file);
    expect(await page.title()).toBe("Ascent report: hartmann6_report");
    expect(errors.some((e) => e.includes("Content Security Policy"))).toBe(true);
    // The page's own scripts did run: the chart is drawn.
    expect(await page.locator("#chart-0 svg path[aria-roledescription=point]").count()).toBe(10);
  });

  it("sorts the trials table by a clicked header, numbers numerically, and again in reverse; keys work too", async () => {
    const { experiment } = reportExperiment({ numTrials: 25, failEvery: 10 });
    const file = await writeReport(experiment, join(tempDir(), "report.html"), { charts: [], models: false });
    const { page, errors } = await openReport(browser, file);
    const trialHeader = page.locator("#trials-table thead th", { hasText: /^trial$/ });
    await trialHeader.locator("button").click();
    expect(await trialHeader.getAttribute("aria-sort")).toBe("ascending");
    await trialHeader.locator("button").click();
    expect(await trialHeader.getAttribute("aria-sort")).toBe("descending");
    // Numerically: 24, 23, ..., 0 (as text "9" would come before "24").
    expect((await columnTexts(page, "trial")).map(Number)).toEqual(
      Array.from({ length: 25 }, (_, i) => 24 - i),
    );

    const metricButton = page.locator("#trials-table thead th", { hasText: "hartmann6" }).locator("button");
    await metricButton.focus();
    await page.keyboard.press("Enter");
    const values = (await columnTexts(page, "hartmann6")).filter((v) => v !== "").map(Number);
    expect(values.length).toBe(21);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // Trials without a value (failed, abandoned) come last.
    expect((await columnTexts(page, "hartmann6")).slice(21)).toEqual(["", "", "", ""]);
    await page.keyboard.press("Space");
    const reversed = (await columnTexts(page, "hartmann6")).filter((v) => v !== "").map(Number);
    expect(reversed).toEqual([...values].reverse());
    expect(errors).toEqual([]);
  });

  it("draws every chart experimentCharts gives: the traces a symbol per observation, parallel coordinates a line per trial", async () => {
    const { experiment, strategy } = reportExperiment({ numTrials: 30, failEvery: 14 });
    const file = await writeReport(experiment, join(tempDir(), "report.html"), {
      generationStrategy: strategy,
    });
    const watched = await openReport(browser, file);
    const { page, errors, requests } = watched;
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const kinds = await page
      .locator("figure.chart")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    expect(kinds).toEqual(
      expect.arrayContaining(["optimization-trace", "optimization-trace-by-time", "parallel-coordinates"]),
    );
    expect(await page.locator(".chart-view[data-rendered=yes] svg").count()).toBe(kinds.length);
    const completed = experiment.lookupData().rows.length;
    for (const kind of ["optimization-trace", "optimization-trace-by-time"]) {
      const figure = page.locator(`figure[data-kind=${kind}]`);
      expect(await figure.locator("svg path[aria-roledescription=point]").count()).toBe(completed);
      // The 2 FAILED and 2 ABANDONED trials are marked on the axis.
      expect(await figure.locator("svg g.mark-rule.role-mark line").count()).toBe(4);
    }
    const parallel = page.locator("figure[data-kind=parallel-coordinates]");
    expect(await parallel.locator("svg path[aria-roledescription='line mark']").count()).toBe(completed);
    // The title is the figure's heading, not repeated inside the chart.
    expect(
      await page
        .locator("figure[data-kind=optimization-trace] svg text", { hasText: "Optimization trace of" })
        .count(),
    ).toBe(0);
    if (process.env.ASCENT_WRITE_SCREENSHOTS === "1") {
      await screenshotReport(watched, join(import.meta.dirname, "../../../docs/report.png"));
    }
  });
});
