import { describe, expect, it } from "vitest";
import { compileChart, modelCharts, vegaRuntimeSource } from "../../../src/index.js";
import { launchTestBrowser } from "../../support/chromium.js";
import { choice, float, modelExperiment } from "./helpers.js";

describe("model views in a browser", () => {
  it("render with the Vega runtime alone, offline, with their marks and no errors", async () => {
    const experiment = modelExperiment({
      parameters: [float("a"), float("b", 1e-3, 1, true), choice("kind", ["x", "y"])],
      objectives: ["f1", "f2"],
      evaluate: (p, rng) => ({
        f1: (p.a as number) + 0.01 * rng.normal(),
        f2: (1 - (p.a as number)) ** 2 + Math.log10(p.b as number) / 3 + (p.kind === "y" ? 0.2 : 0),
      }),
      trials: 24,
    });
    const charts = modelCharts(experiment);
    expect(charts.map((c) => c.kind)).toEqual([
      "slices",
      "contour",
      "parameter-importance",
      "cross-validation",
      "pareto-frontier",
    ]);
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
      const count = (selector: string) => page.locator(selector).count();
      // Slices: a band per range parameter, 24 observations in each of the 3 panels.
      expect(await count('#c0 svg [aria-roledescription="area mark"]')).toBe(2);
      expect(await count('#c0 svg [aria-label^="trial "]')).toBe(3 * 24);
      // Contour: two 25 × 25 heatmaps.
      expect(await count('#c1 svg [aria-roledescription="rect mark"]')).toBe(2 * 625);
      expect(await count('#c2 svg [aria-roledescription="bar"]')).toBe(6);
      expect(await count('#c3 svg [aria-label="y = x"]')).toBe(1);
      expect(await count('#c4 svg [aria-label*="(feasible observation)"]')).toBe(24);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
