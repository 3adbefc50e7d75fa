/**
 * Storage cost: time of one stored trial update (a trial completing: its status and its data row, in one
 * transaction) in experiments of 100 and 10,000 trials, and the time to load a 10,000-trial experiment,
 * on SQLite and on PostgreSQL. An update must cost the same at both sizes. Then 10,000 progress rows
 * into one trial, one `saveData` per row (see storage-progress.ts): the last saves must cost what the
 * first did.
 *
 * `npm run bench -- storage [--updates N] [--repeats R] [--progress-rows N] [--postgres URL]`
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  Arm,
  Data,
  Experiment,
  type ExperimentStore,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  SearchSpace,
  SqlStore,
} from "../src/index.js";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";
import { type ProgressRowsResult, timeProgressRows } from "./storage-progress.js";

function makeExperiment(name: string): Experiment {
  return new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: ["x1", "x2", "x3", "x4"].map(
        (n) => new RangeParameter({ name: n, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ),
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: "loss" }), minimize: true }),
    }),
  });
}

function addTrial(experiment: Experiment, i: number) {
  const run = new GeneratorRun({
    arms: [
      new Arm({ parameters: { x1: (i % 97) / 97, x2: (i % 89) / 89, x3: (i % 83) / 83, x4: (i % 79) / 79 } }),
    ],
    generatorName: "Sobol",
    generationStepIndex: 0,
  });
  return experiment.newTrial({ generatorRun: run }).markRunning();
}

function completion(experiment: Experiment, i: number): { trial: ReturnType<typeof addTrial>; data: Data } {
  const trial = experiment.getTrial(i) as ReturnType<typeof addTrial>;
  trial.markCompleted();
  const data = Data.fromRows([
    { trialIndex: i, armName: trial.arm.name, metricName: "loss", mean: Math.sin(i), sem: 0 },
  ]);
  experiment.attachData(data);
  return { trial, data };
}

/** Builds an experiment of `size` completed trials plus `updates` running ones, saved in bulk. */
async function seed(
  store: ExperimentStore,
  name: string,
  size: number,
  updates: number,
): Promise<Experiment> {
  const experiment = makeExperiment(name);
  await store.saveExperiment(experiment);
  const chunk = 500;
  for (let start = 0; start < size + updates; start += chunk) {
    const trials: ReturnType<typeof addTrial>[] = [];
    const rows: Data["rows"][number][] = [];
    for (let i = start; i < Math.min(start + chunk, size + updates); i++) {
      trials.push(addTrial(experiment, i));
      if (i < size) rows.push(...completion(experiment, i).data.rows);
    }
    await store.withTransaction(async () => {
      await store.saveTrials(experiment, trials);
      if (rows.length) await store.saveData(experiment, Data.fromRows(rows));
    });
  }
  return experiment;
}

/** Per-update times (ms) of completing the `updates` running trials one by one. */
async function timeUpdates(store: ExperimentStore, experiment: Experiment, size: number, updates: number) {
  const times: number[] = [];
  for (let i = size; i < size + updates; i++) {
    const t0 = performance.now();
    const { trial, data } = completion(experiment, i);
    await store.withTransaction(async () => {
      await store.saveTrials(experiment, [trial]);
      await store.saveData(experiment, data);
    });
    times.push(performance.now() - t0);
  }
  return times;
}

async function timeLoad(store: ExperimentStore, name: string, repeats: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const loaded = await store.loadExperiment(name);
    times.push(performance.now() - t0);
    if (!loaded) throw new Error(`${name} did not load`);
  }
  return times;
}

interface Backend {
  name: string;
  open(): Promise<ExperimentStore>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "ascent-bench-"));
  return {
    name: "sqlite",
    open: () => SqlStore.openSqlite({ path: join(dir, "bench.db") }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(url: string): Backend {
  const schema = `ascent_bench_${process.pid}`;
  return {
    name: "postgres",
    open: () => SqlStore.openPostgres({ url, schema }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

export async function main(args: string[]): Promise<void> {
  const updates = Number(flag(args, "updates") ?? 500);
  const repeats = Number(flag(args, "repeats") ?? 5);
  const progressRows = Number(flag(args, "progress-rows") ?? 10_000);
  const pgUrl =
    flag(args, "postgres") ?? process.env.ASCENT_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
  const sizes = [100, 10_000];
  const rows: Record<string, string | number>[] = [];
  const results = [];
  const progress: (ProgressRowsResult & { backend: string })[] = [];
  for (const backend of [sqliteBackend(), postgresBackend(pgUrl)]) {
    const store = await backend.open();
    try {
      for (const size of sizes) {
        const name = `bench_${size}`;
        const experiment = await seed(store, name, size, updates);
        const times = await timeUpdates(store, experiment, size, updates);
        const load = size === 10_000 ? await timeLoad(store, name, repeats) : [];
        const r = {
          backend: backend.name,
          trials: size,
          updateMedianMs: median(times),
          updateP95Ms: quantile(times, 0.95),
          loadMedianMs: load.length ? median(load) : Number.NaN,
        };
        results.push({ ...r, updateTimesMs: times, loadTimesMs: load });
        rows.push({ ...r, loadMedianMs: load.length ? r.loadMedianMs : "-" });
      }
      const curve = await timeProgressRows(store, makeExperiment("bench_progress"), progressRows, repeats);
      progress.push({ backend: backend.name, ...curve });
    } finally {
      await store.close();
      await backend.cleanup();
    }
  }
  const path = writeResult("storage", {
    benchmark: "storage",
    inputs: {
      sizes,
      updates,
      repeats,
      update: "status change + one data row, one transaction",
      progressRows,
      progressRow: "one progression row of one running trial, one saveData per row",
    },
    targets: { sqliteUpdateMedianMs: 1, flatInSize: true, load10kMs: 1000, progressFlatInRows: true },
    machine: machineInfo(),
    results,
    progressRows: progress,
  });
  printTable(rows);
  console.log(`\n${progressRows} progress rows into one trial, one saveData each (ms per save):`);
  printTable(
    progress.map((p) => ({
      backend: p.backend,
      first1000MedianMs: p.firstMedianMs,
      last1000MedianMs: p.lastMedianMs,
      p95Ms: p.p95Ms,
      loadMedianMs: p.loadMedianMs,
    })),
  );
  console.log(`\nwritten to ${path}`);
}
