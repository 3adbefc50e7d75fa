/**
 * The Bayesian-optimization suite: 19 minimized problems with known optima (smooth, valley-shaped,
 * rugged, plateaus, deep basins, embedded, mixed, constrained, noisy; bench/bo-suite/problems/), each
 * through the ask/tell Client, under named configurations of the BoTorch generator's kwargs
 * (bench/bo-suite/configs.ts), Sobol only, and Optuna's TPE (from scripts/bo-suite-optuna.json).
 *
 * `npm run bench -- bo-suite [--configs default,sobol,NAME...] [--problems a,b] [--seeds 20]
 * [--first-seed 0] [--jobs 2] [--config-json NAME='{"numStarts":16}']` runs and merges its cells into
 * bench/results/bo-suite.json (keyed by configuration and problem; other cells are kept), then prints
 * the tables. `--table` prints them from the files without running; `--markdown` prints the table for
 * docs/bayesian-optimization.md. `tpe` in --configs is shown, never run.
 */

import { configByName, parseConfigJson, type SuiteConfig, TPE } from "./bo-suite/configs.js";
import { problemsByKey, SUITE_PROBLEMS } from "./bo-suite/problems/index.js";
import { mergeCell, RESULTS_PATH, readOptuna, readResults } from "./bo-suite/results-file.js";
import type { SuiteSeedResult } from "./bo-suite/run-seed.js";
import { buildGrid, markdownTable, printGrid } from "./bo-suite/tables.js";
import { runTasks, type SeedTask } from "./bo-suite/worker.js";
import { flag } from "./common.js";

function positiveInt(args: readonly string[], name: string, fallback: number, min: number): number {
  const raw = flag(args, name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}; e.g. --${name} ${fallback}.`);
  return value;
}

export async function main(args: string[]): Promise<void> {
  const seeds = positiveInt(args, "seeds", 20, 1);
  const firstSeed = positiveInt(args, "first-seed", 0, 0);
  const jobs = positiveInt(args, "jobs", 1, 1);
  const problems = problemsByKey(flag(args, "problems")?.split(",") ?? SUITE_PROBLEMS.map((p) => p.key));
  const problemKeys = problems.map((p) => p.key);
  const adHoc = parseConfigJson(args);
  const configNames = flag(args, "configs")?.split(",");

  if (args.includes("--table") || args.includes("--markdown")) {
    const grid = buildGrid(readResults(), readOptuna(), problemKeys, configNames);
    if (args.includes("--markdown")) console.log(markdownTable(readResults(), grid, problemKeys));
    else printGrid(readResults(), grid, problemKeys);
    return;
  }

  const names = configNames ?? ["default", "sobol", ...Object.keys(adHoc)];
  const configs: SuiteConfig[] = names.filter((n) => n !== TPE).map((n) => configByName(n, adHoc));
  const tasks: SeedTask[] = configs.flatMap((config) =>
    problems.flatMap((p) =>
      Array.from({ length: seeds }, (_, i) => ({ problem: p.key, config, seed: firstSeed + i })),
    ),
  );
  // A cell is merged as soon as its last seed is in, so an interrupted run keeps what it finished.
  const pending = new Map<string, SuiteSeedResult[]>();
  const t0 = performance.now();
  let done = 0;
  await runTasks(tasks, jobs, (task, result) => {
    const id = `${task.config.name}\u0000${task.problem}`;
    const cell = pending.get(id) ?? [];
    cell.push(result);
    pending.set(id, cell);
    done++;
    if (cell.length === seeds) {
      cell.sort((a, b) => a.seed - b.seed);
      mergeCell(problemsByKey([task.problem])[0]!, task.config, cell);
      const elapsed = ((performance.now() - t0) / 1000).toFixed(0);
      console.error(
        `[${elapsed}s] ${task.config.name} / ${task.problem} done (${done}/${tasks.length} seeds)`,
      );
    }
  });
  const shown = configNames ? names : [...names, TPE];
  printGrid(readResults(), buildGrid(readResults(), readOptuna(), problemKeys, shown), problemKeys);
  console.log(`\nmerged into ${RESULTS_PATH}`);
}
