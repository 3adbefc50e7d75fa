import { describe, expect, it } from "vitest";
import { type Chart, compileChart, vegaRuntimeSource } from "../../../src/index.js";
import { launchTestBrowser } from "../../support/chromium.js";

const chart: Chart = {
  kind: "test-bars",
  title: "Bars",
  spec: {
    data: {
      values: [
        { a: "p", b: 1 },
        { a: "q", b: 2 },
      ],
    },
    mark: "bar",
    encoding: { x: { field: "a", type: "nominal" }, y: { field: "b", type: "quantitative" } },
  },
};

describe("charts in a browser", () => {
  it("the inlined Vega runtime renders a compiled chart as SVG marks, offline", async () => {
    const spec = JSON.stringify(await compileChart(chart));
    const html = `<!doctype html><html><body><div id="c"></div>
<script>${await vegaRuntimeSource()}</script>
<script>new vega.View(vega.parse(${spec}), { renderer: "svg", container: "#c" }).runAsync()
  .then(() => { document.body.dataset.ready = "yes"; });</script></body></html>`;
    const browser = await launchTestBrowser();
    try {
      const { page, errors } = await browser.newPage();
      await page.route("**/*", (route) => route.abort());
      await page.setContent(html);
      await page.waitForSelector("body[data-ready=yes]");
      expect(await page.locator("#c svg path[aria-roledescription=bar]").count()).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
