import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentCharts } from "../../../src/reporting/plots/experiment-charts.js";
import { writeReport } from "../../../src/reporting/report/index.js";
import { launchTestBrowser, type TestBrowser } from "../../support/chromium.js";
import { tempDir } from "../../support/temp-dir.js";
import { PLAIN_NAMES, type ReportNames, reportExperiment, traceLikeChart } from "./report-fixture.js";
import { openReport } from "./report-page.js";

/**
 * Parameter names may not hold spaces or quotes (the search space refuses them), so the attribute
 * break-out `"><img src=x onerror=...>` is a choice value here and its space-free form a parameter name.
 */
const HOSTILE: ReportNames = {
  experiment: "<script>alert(1)</script>",
  parameters: ["><img/src=x/onerror=alert(1)>", "</style><script>alert(2)</script>", "x2", "x3", "x4", "x5"],
  choice: "<!--",
  choiceValues: [
    '"><img src=x onerror=alert(4)>',
    "' onfocus='alert(5)' autofocus x='<b onmouseover=alert(7)>b</b>",
  ],
  metric: "</script><script>alert(3)</script>",
  failureReason: '<iframe src="javascript:alert(6)"></iframe>\u2028</script><!-- & &amp;',
};

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchTestBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the page and checks that nothing ran, nothing was injected, and every name shows as text. */
async function expectInert(file: string) {
  const { page, errors, dialogs, requests } = await openReport(browser, file);
  // Hover and focus what an injected handler would hang on.
  await page.locator("#trials-table tbody td", { hasText: "onmouseover" }).first().hover();
  await page.keyboard.press("Tab");
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
  expect(await page.locator("img, iframe, b, [onerror], [onmouseover], [onfocus], [autofocus]").count()).toBe(
    0,
  );
  expect(await page.locator("script").count()).toBe(3);
  expect(await page.locator("style").count()).toBe(1);
  expect(await page.title()).toBe(`Ascent report: ${HOSTILE.experiment}`);
  expect(await page.locator("h1").textContent()).toBe(`Ascent report: ${HOSTILE.experiment}`);
  const headers = await page.locator("#trials-table thead th").allTextContents();
  expect(headers).toEqual(
    expect.arrayContaining([HOSTILE.parameters[0], HOSTILE.parameters[1], HOSTILE.choice, HOSTILE.metric]),
  );
  const cells = await page.locator("#trials-table tbody td").allTextContents();
  expect(cells).toEqual(expect.arrayContaining([...HOSTILE.choiceValues, HOSTILE.failureReason]));
  const failures = (await page.locator("#failures").textContent()) ?? "";
  expect(failures).toContain(HOSTILE.failureReason);
  expect(failures).toContain(JSON.stringify({ job: "job-9", host: HOSTILE.failureReason.slice(0, 40) }));
  const summary = (await page.locator("#summary").textContent()) ?? "";
  expect(summary).toContain(HOSTILE.parameters[1]);
  expect(summary).toContain(HOSTILE.metric);
  // Every chart is drawn; the metric's name reaches the charts as text (an axis title).
  const charts = await page.locator("figure.chart").count();
  expect(charts).toBeGreaterThan(1);
  expect(await page.locator(".chart-view[data-rendered=yes] svg").count()).toBe(charts);
  expect(await page.locator(".chart-view svg text", { hasText: HOSTILE.metric }).count()).toBeGreaterThan(0);
}

describe("a report of an experiment with hostile names", () => {
  it("executes nothing and shows every name literally, with its Content-Security-Policy and without it", async () => {
    expect(HOSTILE.parameters.length).toBe(PLAIN_NAMES.parameters.length);
    const { experiment, strategy } = reportExperiment({ numTrials: 24, failEvery: 10, names: HOSTILE });
    const dir = tempDir();
    const file = await writeReport(experiment, join(dir, "report.html"), {
      generationStrategy: strategy,
      charts: [traceLikeChart(experiment, HOSTILE.metric), ...(await experimentCharts(experiment))],
    });
    await expectInert(file);
    // Escaping alone must hold: the same page without its policy, which would otherwise block scripts.
    const page = readFileSync(file, "utf8");
    const withoutPolicy = page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
    expect(withoutPolicy.length).toBeLessThan(page.length);
    const unprotected = join(dir, "no-csp.html");
    writeFileSync(unprotected, withoutPolicy);
    await expectInert(unprotected);
  });
});
