import {
  Arm,
  Data,
  Experiment,
  GeneratorRun,
  Objective,
  OptimizationConfig,
  ParameterType,
  RangeParameter,
  ReportedMetric,
  SearchSpace,
  SqlStore,
  type Trial,
} from "../../src/index.js";

/** Options of {@link storeCompletedTrials}. */
export interface CompletedTrialsOptions {
  /** Range parameters in [0, 1] (default `["x"]`); parameter k of trial i is (i mod p) / p, p the k-th of 97, 89, 83, 79, ... */
  readonly parameters?: readonly string[];
  /** The minimized objective "loss" of trial i; default (x − 0.3)² of the first parameter. */
  readonly loss?: (trialIndex: number, parameters: Readonly<Record<string, number>>) => number;
}

/** Moduli of the parameters' values: distinct primes, so the points do not line up. */
const MODULI = [97, 89, 83, 79, 73, 71, 67, 61];
/** Trials stored per transaction: bounds the memory a large experiment takes while it is written. */
const BATCH = 500;

/**
 * Stores an experiment of `n` COMPLETED trials (one arm each, one "loss" observation) in a SQLite file at
 * `path`, in bulk: what a long run leaves, written in a fraction of its time.
 */
export async function storeCompletedTrials(
  path: string,
  name: string,
  n: number,
  options: CompletedTrialsOptions = {},
): Promise<void> {
  const names = options.parameters ?? ["x"];
  const loss = options.loss ?? ((_i, p) => (p[names[0]!]! - 0.3) ** 2);
  const store = await SqlStore.openSqlite({ path });
  const experiment = new Experiment({
    name,
    searchSpace: new SearchSpace({
      parameters: names.map(
        (p) => new RangeParameter({ name: p, parameterType: ParameterType.FLOAT, lower: 0, upper: 1 }),
      ),
    }),
    optimizationConfig: new OptimizationConfig({
      objective: new Objective({ metric: new ReportedMetric({ name: "loss" }), minimize: true }),
    }),
  });
  await store.saveExperiment(experiment);
  for (let start = 0; start < n; start += BATCH) {
    const trials: Trial[] = [];
    const rows: Data["rows"][number][] = [];
    for (let i = start; i < Math.min(start + BATCH, n); i++) {
      const parameters = Object.fromEntries(
        names.map((p, k) => [p, (i % MODULI[k % MODULI.length]!) / MODULI[k % MODULI.length]!]),
      );
      const run = new GeneratorRun({ arms: [new Arm({ parameters })], generatorName: "Sobol" });
      const trial = experiment.newTrial({ generatorRun: run }).markRunning().markCompleted();
      trials.push(trial);
      rows.push({
        trialIndex: i,
        armName: trial.arm.name,
        metricName: "loss",
        mean: loss(i, parameters),
        sem: 0,
      });
    }
    const data = Data.fromRows(rows);
    experiment.attachData(data);
    await store.withTransaction(async () => {
      await store.saveTrials(experiment, trials);
      await store.saveData(experiment, data);
    });
  }
  await store.close();
}
