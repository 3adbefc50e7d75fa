/**
 * The HTML report of a 1,000-trial experiment: median render time over repeated runs with and without
 * the model (GP) parts, the share of the model views, the best point the summary shows (from the views' own fit, so
 * alone it pays for the objective's fit), and the file size.
 * Targets: under 2 s and under 3 MB.
 *
 * `npm run bench -- report [--trials N] [--repeats N]` (defaults 1000 and 5). The experiment: six range
 * parameters and a two-valued choice, trials at Sobol points, observed Hartmann6 values, a few failed and
 * abandoned trials; built in memory (fake clock), so only the report is timed. Writes
 * `bench/results/report.json`.
 */

import { loadavg } from "node:os";
import { ModelViews } from "../src/reporting/model-views/model-views.js";
import { viewsBestPoint } from "../src/reporting/model-views/views-best-point.js";
import { experimentCharts } from "../src/reporting/plots/experiment-charts.js";
import { renderReport } from "../src/reporting/report/index.js";
import { reportExperiment } from "../test/reporting/report/report-fixture.js";
import { flag, machineInfo, median, printTable, writeResult } from "./common.js";

const TARGET_MS = 2000;
const TARGET_BYTES = 3 * 1024 * 1024;

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Median time of `repeats` runs of `fn` after one warm-up run (imports, JIT), and the last result. */
async function medianOf<T>(
  repeats: number,
  fn: () => Promise<T> | T,
): Promise<{ ms: number; runs: number[]; value: T }> {
  let { value } = await timed(fn);
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const r = await timed(fn);
    runs.push(r.ms);
    value = r.value;
  }
  return { ms: median(runs), runs, value };
}

export async function main(args: string[]): Promise<void> {
  const numTrials = Number(flag(args, "trials") ?? 1000);
  const repeats = Math.max(5, Number(flag(args, "repeats") ?? 5));
  const loadBefore = loadavg();
  const { experiment, strategy } = reportExperiment({ numTrials, failEvery: 100, seed: 7 });
  console.log(
    `Report of ${numTrials} trials (${experiment.lookupData().rows.length} observations), ${repeats} runs each`,
  );

  const withModels = await medianOf(repeats, () =>
    renderReport(experiment, { generationStrategy: strategy }),
  );
  const withoutModels = await medianOf(repeats, () =>
    renderReport(experiment, { generationStrategy: strategy, models: false }),
  );
  const chartsWith = await medianOf(repeats, () => experimentCharts(experiment, { models: true }));
  const chartsWithout = await medianOf(repeats, () => experimentCharts(experiment, { models: false }));
  const bestPoint = await medianOf(repeats, () => viewsBestPoint(new ModelViews(experiment)));

  const rows = [
    { part: "report, with models", medianMs: withModels.ms, bytes: withModels.value.length },
    { part: "report, --no-models", medianMs: withoutModels.ms, bytes: withoutModels.value.length },
    { part: "charts, with models", medianMs: chartsWith.ms, bytes: chartsWith.value.length },
    { part: "charts, no models", medianMs: chartsWithout.ms, bytes: chartsWithout.value.length },
    { part: "model views (difference)", medianMs: chartsWith.ms - chartsWithout.ms, bytes: 0 },
    { part: "best point alone (its fit)", medianMs: bestPoint.ms, bytes: 0 },
  ];
  printTable(rows.map((r) => ({ ...r, bytes: r.part.startsWith("report") ? r.bytes : "" })));
  const sizeBytes = Math.max(withModels.value.length, withoutModels.value.length);
  const met = withModels.ms < TARGET_MS && sizeBytes < TARGET_BYTES;
  console.log(
    `Targets: render < ${TARGET_MS} ms (${withModels.ms.toFixed(0)} ms with models), size < 3 MB ` +
      `(${(sizeBytes / 1024 / 1024).toFixed(2)} MB): ${met ? "met" : "NOT met"}`,
  );
  const path = writeResult("report", {
    machine: machineInfo(),
    // Other work on the machine slows the GP fits several-fold; the figures are read with it.
    loadAverage: { before: loadBefore, after: loadavg() },
    numTrials,
    observations: experiment.lookupData().rows.length,
    repeats,
    charts: {
      withModels: chartsWith.value.map((c) => c.kind),
      withoutModels: chartsWithout.value.map((c) => c.kind),
    },
    renderMs: {
      withModels: { median: withModels.ms, runs: withModels.runs },
      withoutModels: { median: withoutModels.ms, runs: withoutModels.runs },
      chartsWithModels: { median: chartsWith.ms, runs: chartsWith.runs },
      chartsWithoutModels: { median: chartsWithout.ms, runs: chartsWithout.runs },
      viewsBestPoint: { median: bestPoint.ms, runs: bestPoint.runs },
    },
    sizeBytes: { withModels: withModels.value.length, withoutModels: withoutModels.value.length },
    targets: { renderMs: TARGET_MS, sizeBytes: TARGET_BYTES, met },
  });
  console.log(
    `Load average (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}. Wrote ${path}`,
  );
}
