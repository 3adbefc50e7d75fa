import { describe, expect, it } from "vitest";
import { SearchSpaceError } from "../../../src/errors.js";
import { ModelViews, plotContour, plotParameterImportance, renderChartSvg } from "../../../src/index.js";
import { choice, datasets, float, modelExperiment } from "./helpers.js";

/** obj = sin(3a) + 2(c − 0.5)² + 0.3·[kind = y]; b is irrelevant. */
function oneIrrelevant() {
  return modelExperiment({
    parameters: [float("a"), float("b"), float("c"), choice("kind", ["x", "y"])],
    evaluate: (p) => ({
      obj: Math.sin(3 * (p.a as number)) + 2 * ((p.c as number) - 0.5) ** 2 + (p.kind === "y" ? 0.3 : 0),
    }),
    trials: 40,
  });
}

describe("plotParameterImportance", () => {
  it("ranks parameters by the total Sobol index of the GP mean, the irrelevant one last", () => {
    const experiment = oneIrrelevant();
    const views = new ModelViews(experiment);
    const importance = views.importance("obj")!;
    expect(importance.map((i) => i.parameter).at(-1)).toBe("b");
    expect(importance.find((i) => i.parameter === "b")!.total).toBeLessThan(0.02);
    expect(importance[0]!.total).toBeGreaterThan(0.3);
    for (const i of importance) expect(i.first).toBeLessThanOrEqual(i.total + 0.02);
    const chart = plotParameterImportance(experiment, { views })!;
    const rows = (chart.spec as { data: { values: { parameter: string; series: string; rank: number }[] } })
      .data.values;
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.series === "Total").map((r) => r.parameter)).toEqual(
      importance.map((i) => i.parameter),
    );
    expect(chart.caption).toContain("importance is its total Sobol index of the GP's predicted mean");
  });

  it("renders a total and a first-order bar per parameter", async () => {
    const svg = await renderChartSvg(plotParameterImportance(oneIrrelevant())!);
    expect(svg.match(/aria-roledescription="bar"/g)?.length).toBe(8);
  });
});

describe("plotContour", () => {
  it("puts the two most important range parameters on the axes", () => {
    const experiment = oneIrrelevant();
    const views = new ModelViews(experiment);
    const chart = plotContour(experiment, { views })!;
    expect(chart.title).toMatch(/over (a and c|c and a)$/);
    const cells = datasets(chart.spec).cells!;
    expect(cells).toHaveLength(625);
    // Each cell's colour is the prediction at its centre, the rest (b, kind) at the best point.
    const anchor = views.anchor()!;
    const cell = cells[312]!;
    const [first, second] = chart.title.endsWith("a and c") ? ["a", "c"] : ["c", "a"];
    const centre = {
      ...anchor.parameters,
      [first]: ((cell.a0 as number) + (cell.a1 as number)) / 2,
      [second]: ((cell.b0 as number) + (cell.b1 as number)) / 2,
    };
    const p = views.predict("obj", views.encoding!.encode(centre), 1)!;
    expect(cell.mean as number).toBeCloseTo(p.mean[0]!, 4);
    expect(cell.sem as number).toBeCloseTo(p.sem[0]!, 4);
  });

  it("takes the axes it is given, and refuses names that are not two range parameters", () => {
    const experiment = oneIrrelevant();
    expect(plotContour(experiment, { parameters: ["b", "a"] })!.title).toMatch(/over b and a$/);
    expect(() => plotContour(experiment, { parameters: ["a", "kind"] })).toThrow(SearchSpaceError);
    expect(() => plotContour(experiment, { parameters: ["a", "a"] })).toThrow(SearchSpaceError);
  });

  it("does not apply with a single range parameter", () => {
    const experiment = modelExperiment({
      parameters: [float("a"), choice("kind", ["x", "y"])],
      evaluate: (p) => ({ obj: p.a as number }),
      trials: 10,
    });
    expect(plotContour(experiment)).toBeNull();
  });

  it("renders both heatmaps with the observations on them", async () => {
    const svg = await renderChartSvg(plotContour(oneIrrelevant())!);
    expect(svg.match(/aria-roledescription="rect mark"/g)?.length).toBe(2 * 625);
    expect(svg.match(/aria-label="trial \d+: /g)?.length).toBe(2 * 40);
  });
});
