import { describe, expect, it } from "vitest";
import { ExperimentError } from "../../../src/errors.js";
import { ModelViews, modelBestPoint, plotSlices, renderChartSvg } from "../../../src/index.js";
import { ComparisonOp, choice, datasets, float, int, modelExperiment } from "./helpers.js";

/** x (float), n (int 1..5), kind (choice), lr (log scale): a smooth objective in all four. */
function mixed(trials = 40) {
  return modelExperiment({
    parameters: [float("x"), int("n", 1, 5), choice("kind", ["a", "b", "c"]), float("lr", 1e-4, 1e-1, true)],
    evaluate: (p, rng) => ({
      obj:
        ((p.x as number) - 0.3) ** 2 +
        0.1 * ((p.n as number) - 3) ** 2 +
        ({ a: 0, b: 0.5, c: 1 }[p.kind as string] ?? 0) +
        0.2 * (Math.log10(p.lr as number) + 2.5) ** 2 +
        0.01 * rng.normal(),
    }),
    trials,
  });
}

type Panel = {
  layer: {
    data: { name?: string };
    encoding: { x: { field: string; type: string; scale?: { type: string } } };
  }[];
};

describe("plotSlices", () => {
  it("passes every slice through the model's prediction at the best point", () => {
    const experiment = mixed();
    const views = new ModelViews(experiment);
    const chart = plotSlices(experiment, { views })!;
    const anchor = views.anchor()!;
    const atAnchor = views.predict("obj", anchor.x, 1)!;
    const data = datasets(chart.spec);
    // INT and choice slices hold the anchor's own value: there the curve is the prediction at the anchor.
    for (const [k, name] of [
      [1, "n"],
      [2, "kind"],
    ] as const) {
      const row = data[`slice${k}`]!.find((r) => r.value === anchor.parameters[name]);
      expect(row, name).toBeDefined();
      expect(row!.mean as number).toBeCloseTo(atAnchor.mean[0]!, 4);
      expect(row!.upper as number).toBeCloseTo(atAnchor.mean[0]! + 2 * atAnchor.sem[0]!, 4);
    }
    // The FLOAT slice at its lower bound is the prediction at the anchor with x = 0.
    const enc = views.encoding!.encode({ ...anchor.parameters, x: 0 });
    expect(data.slice0![0]!.mean as number).toBeCloseTo(views.predict("obj", enc, 1)!.mean[0]!, 4);
  });

  it("goes through the arm modelBestPoint picks, on integer, category and log axes", () => {
    const experiment = mixed();
    const views = new ModelViews(experiment);
    const chart = plotSlices(experiment, { views })!;
    const best = modelBestPoint(experiment)!;
    expect(views.anchor()).toMatchObject({
      trialIndex: best.trialIndex,
      armName: best.armName,
      source: "model",
    });
    const panels = (chart.spec as { concat: Panel[] }).concat;
    expect(panels).toHaveLength(4);
    const data = datasets(chart.spec);
    expect(data.slice1!.map((r) => r.value)).toEqual([1, 2, 3, 4, 5]);
    expect(data.slice2!.map((r) => r.value)).toEqual(["a", "b", "c"]);
    expect(panels[2]!.layer[0]!.encoding.x.type).toBe("nominal");
    expect(panels[3]!.layer[0]!.encoding.x.scale?.type).toBe("log");
    expect(data.slice3!.at(0)!.value).toBe(1e-4);
    expect(data.slice3!.at(-1)!.value).toBe(0.1);
    // Observations: one row per observed arm, each parameter in its own field.
    expect(data.observations).toHaveLength(40);
    expect(panels[1]!.layer[2]!.encoding.x.field).toBe("p1");
    expect(chart.caption).toContain("best point by the model's predictions");
  });

  it("renders to SVG with a band, a line and the observations of every panel", async () => {
    const svg = await renderChartSvg(plotSlices(mixed())!);
    expect(svg.startsWith("<svg")).toBe(true);
    // A band and a line for each of the 3 range parameters; the choice has points with error bars.
    expect(svg.match(/aria-roledescription="area mark"/g)?.length).toBe(3);
    expect(svg.match(/aria-roledescription="line mark"/g)?.length).toBe(3);
    // 40 observations in each of the 4 panels.
    expect(svg.match(/aria-label="trial \d+: obj = /g)?.length).toBe(160);
    expect(svg.match(/aria-label="kind = [abc]: predicted obj /g)?.length).toBe(6);
  });

  it("takes another metric and refuses one the experiment does not have", () => {
    const experiment = modelExperiment({
      parameters: [float("x")],
      constraints: [{ metric: "cost", op: ComparisonOp.LEQ, bound: 5 }],
      evaluate: (p) => ({ obj: (p.x as number) ** 2, cost: 3 * (p.x as number) }),
      trials: 8,
    });
    const chart = plotSlices(experiment, { metric: "cost" })!;
    expect(chart.title).toBe("Slices of the model of cost through the best point");
    // The slice of a linear metric rises from 0 to 3 across x.
    const rows = datasets(chart.spec).slice0!;
    expect(Math.abs((rows[0]!.mean as number) - 0)).toBeLessThan(0.2);
    expect(Math.abs((rows.at(-1)!.mean as number) - 3)).toBeLessThan(0.2);
    expect(() => plotSlices(experiment, { metric: "nope" })).toThrow(ExperimentError);
  });
});
