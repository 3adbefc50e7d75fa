/**
 * Early stopping on real learning curves: the MLP problem of `bench/early-stopping/learning-curve.ts` (4
 * hyperparameters, validation loss after each of 40 epochs), optimized through the Client with its default
 * generation strategy (seeded), sequentially, with each early-stopping configuration of
 * `bench/early-stopping/configurations.ts`. Per configuration, over the seeds: total epochs trained (mean,
 * and the share saved against training every trial to the end), final regret of the best trial that ran to
 * the last epoch (mean and median), trials stopped, ms per stop decision. Optuna's pruners on the same curves
 * (`scripts/early-stopping-optuna.py`, committed JSON) are printed in the same table.
 *
 * `npm run bench -- early-stopping [--seeds N] [--trials T] [--strategies none,percentile,...]`
 * (defaults: 10 seeds, 30 trials, every configuration). Writes `bench/results/early-stopping.json`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";
import { CONFIGURATIONS, type Configuration } from "./early-stopping/configurations.js";
import { LOSS_CAP, MAX_EPOCHS } from "./early-stopping/learning-curve.js";
import { REFERENCE_COMMAND, readReference } from "./early-stopping/reference.js";
import { runSeed, type SeedRun } from "./early-stopping/run-seed.js";

const OPTUNA_JSON = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "scripts",
  "early-stopping-optuna.json",
);

const PROTOCOL =
  "Seeds 0..N-1; per seed one Client with the default generation strategy (chooseGenerationStrategy, seeded) " +
  "and T sequential trials on the learning-curve problem. Each trial trains epoch by epoch; with early " +
  "stopping it reports each epoch's validation loss (attachProgress with { step: epoch }), then asks " +
  "shouldStopTrialEarly (not after the last epoch) and, when told to, stopTrialEarly. Steps = epochs " +
  "trained. Regret = best final value among trials that ran to the last epoch minus the reference optimum " +
  "(best final value of a fixed 2,000-configuration random search). Saved share = 1 - mean steps / " +
  "(T x max epochs), which is the saving against no early stopping, whose trials all run to the end.";

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** The figures of one configuration over its seeds. */
function summarize(runs: readonly SeedRun[], trials: number) {
  const regrets = runs.map((r) => r.regret);
  const meanTotalSteps = mean(runs.map((r) => r.totalSteps));
  const decisions = runs.flatMap((r) => r.decisionMs);
  return {
    meanTotalSteps,
    stepsSavedShare: 1 - meanTotalSteps / (trials * MAX_EPOCHS),
    meanRegret: mean(regrets),
    medianRegret: median(regrets),
    meanTrialsStopped: mean(runs.map((r) => r.trialsStopped)),
    msPerDecision: decisions.length ? mean(decisions) : Number.NaN,
    p95MsPerDecision: decisions.length ? quantile(decisions, 0.95) : Number.NaN,
    msPerEpoch: mean(runs.map((r) => r.msPerEpoch)),
  };
}
type Summary = ReturnType<typeof summarize>;

/**
 * A row of the printed table. `regretRatio` is the mean regret over that of the same source's run without
 * early stopping (Ascent's "none", Optuna's "optuna-none"): the samplers differ, so each pruner is judged
 * against its own baseline.
 */
function row(
  source: string,
  key: string,
  seeds: number,
  trials: number,
  s: Omit<Summary, "p95MsPerDecision">,
  baseline: Omit<Summary, "p95MsPerDecision"> | undefined,
) {
  return {
    source,
    configuration: key,
    seeds,
    trials,
    meanSteps: s.meanTotalSteps,
    savedPct: Math.round(1000 * s.stepsSavedShare) / 10,
    meanRegret: s.meanRegret,
    medianRegret: s.medianRegret,
    regretRatio: baseline ? s.meanRegret / baseline.meanRegret : "-",
    stopped: s.meanTrialsStopped,
    msPerDecision: Number.isFinite(s.msPerDecision) ? s.msPerDecision : "-",
  };
}

interface OptunaResults {
  command: string;
  optunaVersion: string;
  seeds: number;
  trials: number;
  configurations: Record<string, Omit<Summary, "p95MsPerDecision"> & { label: string }>;
}

/** Optuna's committed rows, or null when the file is absent. */
function readOptuna(): OptunaResults | null {
  return existsSync(OPTUNA_JSON) ? (JSON.parse(readFileSync(OPTUNA_JSON, "utf8")) as OptunaResults) : null;
}

function parseArgs(args: readonly string[]) {
  const seeds = Number(flag(args, "seeds") ?? 10);
  if (!Number.isInteger(seeds) || seeds < 1)
    throw new Error(`--seeds must be a positive integer, got ${seeds}`);
  const trials = Number(flag(args, "trials") ?? 30);
  if (!Number.isInteger(trials) || trials < 1)
    throw new Error(`--trials must be a positive integer, got ${trials}`);
  const keys = flag(args, "strategies")?.split(",") ?? CONFIGURATIONS.map((c) => c.key);
  const configurations = keys.map((key): Configuration => {
    const configuration = CONFIGURATIONS.find((c) => c.key === key);
    if (!configuration)
      throw new Error(`Unknown strategy ${key}; known: ${CONFIGURATIONS.map((c) => c.key).join(", ")}`);
    return configuration;
  });
  return { seeds, trials, configurations };
}

export async function main(args: string[]): Promise<void> {
  const { seeds, trials, configurations } = parseArgs(args);
  const reference = readReference();
  const optuna = readOptuna();
  const results: Record<string, unknown> = {};
  const payload = () => ({
    benchmark: "early-stopping",
    protocol: PROTOCOL,
    machine: machineInfo(),
    problem: {
      description:
        "2-layer tanh MLP, SGD with momentum, synthetic regression (512 train / 256 validation points, 6 " +
        "inputs); parameters learningRate [1e-4, 1] log, l2 [1e-6, 0.1] log, hiddenUnits [2, 32] int, " +
        `momentum [0, 0.95]; ${MAX_EPOCHS} epochs; objective: validation MSE after the last epoch ` +
        `(minimize), capped at ${LOSS_CAP} for diverged runs`,
      referenceBestFinalValue: reference.bestFinalValue,
      referenceCommand: REFERENCE_COMMAND,
    },
    seeds,
    trials,
    results,
    optuna,
  });
  const rows: ReturnType<typeof row>[] = [];
  const summaries = new Map<string, Summary>();
  for (const configuration of configurations) {
    const t0 = performance.now();
    const runs: SeedRun[] = [];
    for (let seed = 0; seed < seeds; seed++)
      runs.push(await runSeed(seed, trials, configuration.channel(), reference.bestFinalValue));
    const summary = summarize(runs, trials);
    results[configuration.key] = {
      label: configuration.label,
      ...summary,
      seconds: (performance.now() - t0) / 1000,
      runs: runs.map(({ decisionMs, ...run }) => ({ ...run, decisions: decisionMs.length })),
    };
    summaries.set(configuration.key, summary);
    rows.push(row("ascent", configuration.key, seeds, trials, summary, summaries.get("none")));
    writeResult("early-stopping", payload());
  }
  for (const [key, s] of Object.entries(optuna?.configurations ?? {}))
    rows.push(
      row(
        `optuna ${optuna!.optunaVersion}`,
        key,
        optuna!.seeds,
        optuna!.trials,
        s,
        optuna!.configurations["optuna-none"],
      ),
    );
  const path = writeResult("early-stopping", payload());
  printTable(rows);
  console.log("");
  for (const c of configurations) console.log(`${c.key}: ${c.label}`);
  for (const [key, s] of Object.entries(optuna?.configurations ?? {})) console.log(`${key}: ${s.label}`);
  console.log(
    "\nregretRatio = mean regret / mean regret of the same source without early stopping (target: saved >= 50% at regretRatio <= 1.1)",
  );
  console.log(
    `regret = best final validation loss of trials run to epoch ${MAX_EPOCHS} − ${reference.bestFinalValue.toFixed(4)} (reference)`,
  );
  console.log(`written to ${path}`);
}
