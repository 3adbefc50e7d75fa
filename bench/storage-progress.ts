/**
 * The "progress rows" case of the storage benchmark: a runner reporting each step of one long trial,
 * one `saveData` per row. Each save must cost the same at the 10,000th row as at the first (rows are
 * appended, never rewritten), so the medians of the first and the last 1,000 saves should be close.
 */
import { Arm, Data, type Experiment, type ExperimentStore, GeneratorRun } from "../src/index.js";
import { median, quantile } from "./common.js";

/** Rows per block whose median is reported, to show the cost along the curve. */
const BLOCK = 1000;

/** Figures of one backend: medians of the first and last blocks, and of every block in order. */
export interface ProgressRowsResult {
  rows: number;
  firstMedianMs: number;
  lastMedianMs: number;
  p95Ms: number;
  blockMediansMs: number[];
  /** Time to load the experiment with its one long curve (median of `repeats`). */
  loadMedianMs: number;
}

/**
 * Saves `rows` progression rows of one running trial one at a time (attach, then `saveData`), timing
 * each, then loads the experiment `repeats` times and checks the curve came back whole.
 */
export async function timeProgressRows(
  store: ExperimentStore,
  experiment: Experiment,
  rows: number,
  repeats: number,
): Promise<ProgressRowsResult> {
  await store.saveExperiment(experiment);
  const arm = new Arm({ parameters: { x1: 0.5, x2: 0.5, x3: 0.5, x4: 0.5 } });
  const run = new GeneratorRun({ arms: [arm], generatorName: "Manual" });
  const trial = experiment.newTrial({ generatorRun: run }).markRunning();
  await store.saveTrials(experiment, [trial]);
  const times: number[] = [];
  for (let step = 0; step < rows; step++) {
    const t0 = performance.now();
    const data = Data.fromRows([
      {
        trialIndex: trial.index,
        armName: trial.arm.name,
        metricName: "loss",
        mean: 1 / (1 + step),
        sem: null,
        progression: { step },
      },
    ]);
    experiment.attachData(data);
    await store.saveData(experiment, data);
    times.push(performance.now() - t0);
  }
  const loads: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const loaded = await store.loadExperiment(experiment.name);
    loads.push(performance.now() - t0);
    const points = loaded?.curve(trial.index, "loss").length;
    if (points !== rows) throw new Error(`${experiment.name} loaded ${points} curve points, not ${rows}`);
  }
  const blocks: number[] = [];
  for (let i = 0; i < times.length; i += BLOCK) blocks.push(median(times.slice(i, i + BLOCK)));
  return {
    rows,
    firstMedianMs: median(times.slice(0, BLOCK)),
    lastMedianMs: median(times.slice(-BLOCK)),
    p95Ms: quantile(times, 0.95),
    blockMediansMs: blocks,
    loadMedianMs: median(loads),
  };
}
