import { describe, expect, it } from "vitest";
import {
  Arm,
  ChoiceParameter,
  ComparisonOp,
  compileChart,
  Data,
  Experiment,
  experimentCharts,
  FixedParameter,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  OutcomeConstraint,
  type Parameter,
  type Parameterization,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  renderChartSvg,
  SearchSpace,
} from "../../../src/index.js";
import { FakeClock } from "../../../src/util/clock.js";
import { countLabelled, datasetRows, expressionStrings } from "./plot-support.js";

// Parameter names may hold no spaces or quotes; metric names and choice values may hold anything.
const HOSTILE_PARAMETER = "<script>alert(1)</script>.x[0]<img/src=x/onerror=alert(2)>";
const HOSTILE_METRIC = `m.x["y"]</style>"><img src=x onerror=alert(1)>`;
const HOSTILE_CONSTRAINT = "c'); alert(1); ('";
const HOSTILE_CHOICE = `<b onclick="alert(2)">bold</b>`;

/** An experiment minimizing `objective` over `parameters`, optionally with `constraint <= 1`. */
function experimentOf(
  parameters: Parameter[],
  objective = "obj",
  constraint: string | null = null,
): Experiment {
  const constraints = constraint
    ? [
        new OutcomeConstraint({
          metric: new ReportedMetric({ name: constraint }),
          op: ComparisonOp.LEQ,
          bound: 1,
        }),
      ]
    : [];
  return new Experiment({
    name: "odd",
    clock: new FakeClock(),
    searchSpace: new SearchSpace({ parameters }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: objective }), minimize: true }),
      outcomeConstraints: constraints,
    }),
  });
}

/** A RUNNING one-arm trial; completed with `values` unless values is null (then it fails). */
function trialWith(
  experiment: Experiment,
  parameters: Parameterization,
  values: Record<string, number> | null,
) {
  const run = new GeneratorRun({ arms: [new Arm({ parameters })], generatorName: "Sobol", timeCreated: 0 });
  const trial = experiment.newTrial({ generatorRun: run }).markRunning();
  (experiment.clock as FakeClock).advance(1000);
  if (values === null) return trial.markFailed("crashed");
  experiment.attachData(
    Data.fromRows(
      Object.entries(values).map(([metricName, mean]) => ({
        trialIndex: trial.index,
        armName: trial.arm.name,
        metricName,
        mean,
        sem: null,
      })),
    ),
  );
  return trial.markCompleted();
}

const x = (name = "x") =>
  new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 });

async function renderAll(
  experiment: Experiment,
  options: { models?: boolean } = {},
): Promise<{ kinds: string[]; svgs: string[] }> {
  const charts = await experimentCharts(experiment, options);
  return { kinds: charts.map((c) => c.kind), svgs: await Promise.all(charts.map((c) => renderChartSvg(c))) };
}

describe("experimentCharts", () => {
  it("gives the charts that apply in reading order", async () => {
    const experiment = experimentOf([x(), x("y")], "obj", "cost");
    for (let i = 0; i < 4; i++) trialWith(experiment, { x: i / 4, y: 1 - i / 4 }, { obj: i, cost: i / 2 });
    const { kinds, svgs } = await renderAll(experiment);
    expect(kinds).toEqual([
      "optimization-trace",
      "optimization-trace-by-time",
      "parallel-coordinates",
      "metric-trace",
      "slices",
      "contour",
      "parameter-importance",
      "cross-validation",
    ]);
    expect(svgs.every((s) => s.startsWith("<svg"))).toBe(true);
  });

  it("leaves out the kinds it is asked to omit", async () => {
    const experiment = experimentOf([x(), x("y")], "obj", "cost");
    for (let i = 0; i < 4; i++) trialWith(experiment, { x: i / 4, y: 1 - i / 4 }, { obj: i, cost: i / 2 });
    const charts = await experimentCharts(experiment, {
      models: false,
      omit: ["optimization-trace", "parallel-coordinates"],
    });
    expect(charts.map((c) => c.kind)).toEqual(["optimization-trace-by-time", "metric-trace"]);
  });

  it("gives nothing for an experiment without trials or without an optimization config", async () => {
    expect(await experimentCharts(experimentOf([x()]))).toEqual([]);
    const bare = new Experiment({
      name: "bare",
      clock: new FakeClock(),
      searchSpace: new SearchSpace({ parameters: [x()] }),
    });
    trialWith(bare, { x: 0.5 }, {});
    expect(await experimentCharts(bare)).toEqual([]);
  });

  it("draws only the traces, with their marks, when every trial failed", async () => {
    const experiment = experimentOf([x()]);
    for (let i = 0; i < 3; i++) trialWith(experiment, { x: i / 3 }, null);
    const { kinds, svgs } = await renderAll(experiment);
    expect(kinds).toEqual(["optimization-trace", "optimization-trace-by-time"]);
    for (const svg of svgs) expect(countLabelled(svg, "Trial ")).toBe(3);
  });

  it("draws a single trial of a single parameter", async () => {
    const experiment = experimentOf([x()]);
    trialWith(experiment, { x: 0.25 }, { obj: 3 });
    const { svgs } = await renderAll(experiment);
    expect(svgs).toHaveLength(3);
    expect(countLabelled(svgs[0]!, "Trial 0 arm 0_0: obj = 3")).toBe(1);
    expect(countLabelled(svgs[2]!, "Line of trial 0")).toBe(1);
  });

  it("draws only choice parameters as labelled categories", async () => {
    const experiment = experimentOf([
      new ChoiceParameter({ name: "a", values: ["p", "q", "r"], isOrdered: false }),
      new ChoiceParameter({ name: "b", values: [true, false] }),
    ]);
    trialWith(experiment, { a: "q", b: false }, { obj: 1 });
    trialWith(experiment, { a: "r", b: true }, { obj: 2 });
    const charts = await experimentCharts(experiment);
    const svg = await renderChartSvg(charts[2]!);
    for (const label of ["p", "q", "r", "true", "false"]) expect(svg).toContain(`>${label}</text>`);
    expect(countLabelled(svg, "Line of trial ")).toBe(2);
  });

  it("leaves out parallel coordinates when every parameter is fixed", async () => {
    const experiment = experimentOf([new FixedParameter({ name: "only", value: 3 })]);
    trialWith(experiment, { only: 3 }, { obj: 1 });
    expect((await experimentCharts(experiment)).map((c) => c.kind)).toEqual([
      "optimization-trace",
      "optimization-trace-by-time",
    ]);
  });

  it("draws huge values without NaN", async () => {
    const experiment = experimentOf([x()], "obj", "cost");
    trialWith(experiment, { x: 0.1 }, { obj: 1e300, cost: -1e300 });
    trialWith(experiment, { x: 0.9 }, { obj: -1e300, cost: 1e300 });
    const { svgs } = await renderAll(experiment);
    for (const svg of svgs) expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svgs[0]).toContain("obj = -1.000e+300");
  });

  it("keeps hostile names as data: never a field name, never inside an expression", async () => {
    const experiment = experimentOf(
      [
        x(HOSTILE_PARAMETER),
        new ChoiceParameter({ name: "kind.[0]", values: [HOSTILE_CHOICE, "plain"], isOrdered: false }),
      ],
      HOSTILE_METRIC,
      HOSTILE_CONSTRAINT,
    );
    for (let i = 0; i < 3; i++) {
      trialWith(
        experiment,
        { [HOSTILE_PARAMETER]: i / 3, "kind.[0]": i === 1 ? HOSTILE_CHOICE : "plain" },
        { [HOSTILE_METRIC]: i, [HOSTILE_CONSTRAINT]: i },
      );
    }
    const charts = await experimentCharts(experiment);
    // The model views (one range parameter: no contour) follow the charts of data.
    expect(charts.map((c) => c.kind).slice(4)).toEqual([
      "slices",
      "parameter-importance",
      "cross-validation",
    ]);
    for (const chart of charts) {
      const expressions = expressionStrings(await compileChart(chart)).join("\n");
      expect(expressions).toContain('datum["desc"]'); // the check sees the spec's expressions
      for (const name of [
        HOSTILE_PARAMETER,
        HOSTILE_METRIC,
        HOSTILE_CONSTRAINT,
        HOSTILE_CHOICE,
        "kind.[0]",
      ]) {
        expect(expressions).not.toContain(name);
        expect(expressions).not.toContain(JSON.stringify(name).slice(1, -1));
      }
      const svg = await renderChartSvg(chart);
      expect(svg).not.toMatch(/<script|<img|<b /);
      expect(svg).toContain("&lt;");
    }
    const parallel = await renderChartSvg(charts[2]!);
    expect(countLabelled(parallel, "Line of trial ")).toBe(3);
    expect(datasetRows(charts[2]!, "arms")[0]?.tip).toMatchObject({
      [HOSTILE_PARAMETER]: 0,
      [`${HOSTILE_METRIC} (observed)`]: 0,
    });
  });

  it("draws 1,200 trials", async () => {
    const experiment = experimentOf([x(), x("y"), x("z")], "obj", "cost");
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 1200; i++) {
      const p = { x: random(), y: random(), z: random() };
      trialWith(experiment, p, i % 50 === 49 ? null : { obj: p.x + p.y, cost: p.z * 2 });
    }
    // The model views of large experiments are measured by `npm run bench -- model-views`.
    const { kinds, svgs } = await renderAll(experiment, { models: false });
    expect(kinds).toHaveLength(4);
    expect(countLabelled(svgs[0]!, "Trial ")).toBe(1200);
    expect(countLabelled(svgs[0]!, "Trial 49 FAILED")).toBe(1);
    expect(countLabelled(svgs[2]!, "Line of trial ")).toBe(1176);
  }, 30_000);
});
