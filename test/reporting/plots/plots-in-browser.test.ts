import { describe, expect, it } from "vitest";
import { compileChart, experimentCharts, vegaRuntimeSource } from "../../../src/index.js";
import { launchTestBrowser } from "../../support/chromium.js";
import { addTrial, ComparisonOp, completed, makeExperiment } from "../helpers.js";

describe("plots in a browser", () => {
  it("every chart of an experiment renders with the Vega runtime alone, with no errors", async () => {
    const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 2 }] });
    for (let i = 0; i < 8; i++)
      completed(experiment, i, { obj: (i - 4) ** 2, cost: i % 3 }, i % 2 ? "a" : "b");
    addTrial(experiment, { x: 1, kind: "a" }).markFailed("crash");
    const charts = await experimentCharts(experiment);
    const specs = await Promise.all(charts.map((c) => compileChart(c)));
    const html = `<!doctype html><html><body>${specs.map((_, i) => `<div id="c${i}"></div>`).join("")}
<script>${await vegaRuntimeSource()}</script>
<script>const specs = ${JSON.stringify(specs).replace(/</g, "\\u003c")};
Promise.all(specs.map((s, i) => new vega.View(vega.parse(s), { renderer: "svg", container: "#c" + i }).runAsync()))
  .then(() => { document.body.dataset.ready = "yes"; });</script></body></html>`;
    const browser = await launchTestBrowser();
    try {
      const { page, errors, dialogs } = await browser.newPage();
      await page.route("**/*", (route) => route.abort());
      await page.setContent(html);
      await page.waitForSelector("body[data-ready=yes]");
      // The trace: 8 observations and 1 failed trial, each a mark with its description.
      expect(await page.locator('#c0 svg [aria-label^="Trial "]').count()).toBe(9);
      expect(await page.locator('#c2 svg [aria-label^="Line of trial "]').count()).toBe(8);
      expect(await page.locator('#c3 svg [aria-label="Bound"]').count()).toBe(1);
      // Vega's own tooltip handler writes the hovered point's tooltip object as text into `title`.
      await page.hover('#c0 svg [aria-label^="Trial 2 arm 2_0"]', { force: true });
      const title = [
        await page.locator("#c0").getAttribute("title"),
        await page.locator("#c0 svg").getAttribute("title"),
      ].join("|");
      expect(title).toContain("trial: 2\narm: 2_0\nobj (observed): 4");
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
