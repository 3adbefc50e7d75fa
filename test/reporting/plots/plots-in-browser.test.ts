import { describe, expect, it } from "vitest";
import {
  Arm,
  type Chart,
  ChoiceParameter,
  ComparisonOp,
  compileChart,
  Data,
  Experiment,
  experimentCharts,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  OutcomeConstraint,
  ReportedMetric,
  SearchSpace,
  vegaRuntimeSource,
} from "../../../src/index.js";
import { launchTestBrowser, type WatchedPage } from "../../support/chromium.js";
import { addTrial, completed, makeExperiment } from "../helpers.js";

/** A page rendering each chart's compiled Vega spec into `#c<i>` with the inlined runtime, offline. */
async function chartsPage(charts: readonly Chart[]): Promise<string> {
  const specs = await Promise.all(charts.map((c) => compileChart(c)));
  return `<!doctype html><html><body>${specs.map((_, i) => `<div id="c${i}"></div>`).join("")}
<script>${await vegaRuntimeSource()}</script>
<script>const specs = ${JSON.stringify(specs).replace(/</g, "\\u003c")};
Promise.all(specs.map((s, i) => new vega.View(vega.parse(s), { renderer: "svg", container: "#c" + i }).runAsync()))
  .then(() => { document.body.dataset.ready = "yes"; });</script></body></html>`;
}

async function withChartsPage(charts: readonly Chart[], check: (watched: WatchedPage) => Promise<void>) {
  const html = await chartsPage(charts);
  const browser = await launchTestBrowser();
  try {
    const watched = await browser.newPage();
    await watched.page.route("**/*", (route) => route.abort());
    await watched.page.setContent(html);
    await watched.page.waitForSelector("body[data-ready=yes]");
    await check(watched);
  } finally {
    await browser.close();
  }
}

describe("plots in a browser", () => {
  it("every chart of an experiment renders with the Vega runtime alone, with no errors", async () => {
    const experiment = makeExperiment({ constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 2 }] });
    for (let i = 0; i < 8; i++) {
      completed(experiment, i, { obj: (i - 4) ** 2, cost: i % 3 }, i % 2 ? "a" : "b");
    }
    addTrial(experiment, { x: 1, kind: "a" }).markFailed("crash");
    await withChartsPage(await experimentCharts(experiment), async ({ page, errors, dialogs }) => {
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
    });
  });

  it("hostile names and values are drawn as text and execute nothing", async () => {
    const metric = `</title><img src=x onerror="alert('metric')">`;
    const value = `<script>alert("choice")</script>`;
    const reason = `<svg onload=alert('reason')>`;
    const experiment = new Experiment({
      name: "hostile",
      searchSpace: new SearchSpace({
        parameters: [new ChoiceParameter({ name: "<b>p</b>", values: [value, "plain"], isOrdered: false })],
      }),
      optimizationConfig: new OptimizationConfig({
        objective: new Objective({ metric: new ReportedMetric({ name: metric }), minimize: true }),
        outcomeConstraints: [
          new OutcomeConstraint({ metric: new ReportedMetric({ name: `"c"<i>` }), op: "LEQ", bound: 1 }),
        ],
      }),
    });
    for (const [i, choice] of [value, "plain"].entries()) {
      const run = new GeneratorRun({
        arms: [new Arm({ parameters: { "<b>p</b>": choice } })],
        generatorName: "S",
      });
      const trial = experiment.newTrial({ generatorRun: run }).markRunning();
      experiment.attachData(
        Data.fromRows(
          [metric, `"c"<i>`].map((metricName) => ({
            trialIndex: i,
            armName: trial.arm.name,
            metricName,
            mean: i,
            sem: null,
          })),
        ),
      );
      trial.markCompleted();
    }
    const failed = new GeneratorRun({
      arms: [new Arm({ parameters: { "<b>p</b>": "plain" } })],
      generatorName: "S",
    });
    experiment.newTrial({ generatorRun: failed }).markFailed(reason);
    const charts = await experimentCharts(experiment);
    expect(charts).toHaveLength(4);
    await withChartsPage(charts, async ({ page, errors, dialogs }) => {
      await page.hover('#c0 svg [aria-label^="Trial 0 arm 0_0"]', { force: true });
      await page.hover('#c0 svg [aria-label^="Trial 2 FAILED"]', { force: true });
      expect(await page.locator("img, b, i").count()).toBe(0);
      expect(await page.locator("script").count()).toBe(2);
      expect(await page.locator("#c2 svg text", { hasText: value }).count()).toBe(1);
      expect(await page.locator("#c0 svg text", { hasText: metric }).count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    });
  });
});
