/**
 * Model views of a large experiment: wall time of every model chart together (`modelCharts`: one fit,
 * shared by slices, contour, importance, cross-validation) for 1,000 COMPLETED trials of Hartmann6
 * (6 parameters, noisy), cold and warm-started from the hyperparameters of a previous fit, and of a
 * two-objective experiment (Pareto frontier, two fits). The target: well under 1 s for all the charts
 * (an HTML report has 2 s in all). Also the size of the charts' JSON and the time to render them to SVG.
 *
 * `npm run bench -- model-views [--trials N] [--repeats R]`
 */
import { loadavg } from "node:os";
import {
  Arm,
  type Chart,
  Data,
  Experiment,
  GeneratorRun,
  hartmann6,
  ModelViews,
  MultiObjective,
  modelCharts,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  renderChartSvg,
  SearchSpace,
} from "../src/index.js";
import { Rng } from "../src/util/rng.js";
import { flag, machineInfo, median, printTable, writeResult } from "./common.js";

const D = 6;

/** n COMPLETED one-arm trials at uniform random points, −Hartmann6 + noise (and a second objective). */
function experimentOf(n: number, twoObjectives: boolean): Experiment {
  const names = Array.from({ length: D }, (_, i) => `x${i + 1}`);
  const h6 = new ReportedMetric({ name: "hartmann6" });
  const spread = new ReportedMetric({ name: "spread" });
  const objective = twoObjectives
    ? new MultiObjective({
        objectives: [
          new Objective({ metric: h6, minimize: true }),
          new Objective({ metric: spread, minimize: true }),
        ],
      })
    : new Objective({ metric: h6, minimize: true });
  const experiment = new Experiment({
    name: "bench-model-views",
    searchSpace: new SearchSpace({
      parameters: names.map(
        (name) => new RangeParameter({ name, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ),
    }),
    optimizationConfig: new OptimizationConfig({ objective }),
  });
  const rng = new Rng(11);
  for (let t = 0; t < n; t++) {
    const x = names.map(() => rng.next());
    const arm = new Arm({ parameters: Object.fromEntries(names.map((name, i) => [name, x[i]!])) });
    const trial = experiment
      .newTrial({ generatorRun: new GeneratorRun({ arms: [arm], generatorName: "Sobol", timeCreated: 0 }) })
      .markRunning();
    const rows = [{ metricName: "hartmann6", mean: hartmann6(x) + 0.05 * rng.normal() }];
    if (twoObjectives) rows.push({ metricName: "spread", mean: x.reduce((s, v) => s + (v - 0.3) ** 2, 0) });
    experiment.attachData(
      Data.fromRows(
        rows.map((r) => ({ ...r, trialIndex: trial.index, armName: trial.arm.name!, sem: null })),
      ),
    );
    trial.markCompleted();
  }
  return experiment;
}

/** Wall time and this process's CPU time (user + system) of f: CPU time is what other load inflates least. */
function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export async function main(args: string[]): Promise<void> {
  const trials = Number(flag(args, "trials") ?? 1000);
  const repeats = Number(flag(args, "repeats") ?? 3);
  const single = experimentOf(trials, false);
  const multi = experimentOf(trials, true);
  // Warm start: the hyperparameters of an earlier fit, as the generator would have stored them.
  const earlier = new ModelViews(single);
  earlier.fitted("hartmann6");
  const warmStart = new Map([["hartmann6", earlier.fitted("hartmann6")!.model.hyperparameters]]);
  const cases: { name: string; run: () => Chart[] }[] = [
    { name: "single objective, cold", run: () => modelCharts(single) },
    { name: "single objective, warm start", run: () => modelCharts(single, { warmStart }) },
    { name: "two objectives, cold", run: () => modelCharts(multi) },
  ];
  const rows: Record<string, string | number>[] = [];
  for (const c of cases) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let charts: Chart[] = [];
    for (let r = 0; r < repeats; r++) {
      const { value, ms, cpuMs } = timed(c.run);
      times.push(ms);
      cpuTimes.push(cpuMs);
      charts = value;
    }
    const t0 = performance.now();
    for (const chart of charts) await renderChartSvg(chart);
    const svgMs = performance.now() - t0;
    rows.push({
      case: c.name,
      trials,
      charts: charts.map((ch) => ch.kind).join(" "),
      medianMs: median(times),
      maxMs: Math.max(...times),
      medianCpuMs: median(cpuTimes),
      specKiB: Math.round(JSON.stringify(charts.map((ch) => ch.spec)).length / 1024),
      svgRenderMs: svgMs,
    });
  }
  printTable(rows);
  // Other work on the machine inflates the times: the 1-minute load average says how much.
  const path = writeResult("model-views", {
    machine: machineInfo(),
    loadAverage: loadavg(),
    repeats,
    results: rows,
  });
  console.log(`wrote ${path}`);
}
