/**
 * bench/results/bo-suite.json: every seed's figures per (configuration, problem), merged run by run so
 * that a run of a few configurations or problems keeps everyone else's cells; and the Optuna TPE
 * reference from scripts/bo-suite-optuna.json.
 */
import { execFileSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineInfo, RESULTS_DIR } from "../common.js";
import type { GeneratorKwargs, SuiteConfig } from "./configs.js";
import type { SuiteProblem } from "./problem.js";
import type { SuiteSeedResult } from "./run-seed.js";
import type { SeedFigures } from "./summary.js";

export const RESULTS_NAME = "bo-suite";
export const RESULTS_PATH = join(RESULTS_DIR, `${RESULTS_NAME}.json`);
export const OPTUNA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "scripts",
  "bo-suite-optuna.json",
);

/** One (configuration, problem) cell as stored. */
export interface StoredCell {
  kind: SuiteConfig["kind"] | "tpe";
  kwargs?: GeneratorKwargs;
  seeds: number[];
  machine: ReturnType<typeof machineInfo>;
  gitCommit: string;
  runs: SeedFigures[];
}

export interface ResultsFile {
  benchmark: "bo-suite";
  protocol: string;
  problems: Record<string, ReturnType<typeof problemFacts>>;
  /** config name → problem key → cell. */
  results: Record<string, Record<string, StoredCell>>;
}

export const PROTOCOL =
  "Each problem through the ask/tell Client as a user would, one trial at a time, with an explicit " +
  "GenerationStrategy: a BoTorch configuration = Sobol for max(5, 2d) trials then Generators.BOTORCH with " +
  "the configuration's generatorKwargs; 'sobol' = Sobol only; strategy seed = run seed, noise seeded by " +
  "run seed + 300000. Regret = true value − f*, log10 with a floor of 1e-12; noise-free problems: best " +
  "feasible observed value; noisy ones: the true value of getBestParameters()'s arm. genMs = wall time " +
  "of each getNextTrial answered by BoTorch (load-dependent). Edge share = BoTorch-suggested continuous " +
  "range values exactly on a bound. Recommendations: default = getBestParameters(), observed = " +
  "getBestParameters({ useModelPredictions: false }), model = modelBestPoint warm-started from the " +
  "generator's hyperparameters; an infeasible or missing pick scores worstValue − f*.";

/** The facts of a problem kept beside its figures. */
export function problemFacts(p: SuiteProblem) {
  return {
    label: p.label,
    family: p.family,
    dimension: p.dimension,
    budget: p.budget,
    optimalValue: p.optimalValue,
    optimumOnBound: p.optimumOnBound,
    noisy: p.noisy,
    ...(p.basinRegret === undefined ? {} : { basinRegret: p.basinRegret }),
    ...(p.worstValue === undefined ? {} : { worstValue: p.worstValue }),
    regretDefinition: p.regretDefinition,
  };
}

export function readResults(path: string = RESULTS_PATH): ResultsFile {
  if (!existsSync(path)) return { benchmark: "bo-suite", protocol: PROTOCOL, problems: {}, results: {} };
  return JSON.parse(readFileSync(path, "utf8")) as ResultsFile;
}

/** The current commit, with "+dirty" when the work tree has uncommitted changes. */
export function gitCommit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha}+dirty` : sha;
  } catch {
    return "unknown";
  }
}

/**
 * Merges one finished cell into the results file: re-read first, only this (configuration, problem)
 * cell replaced, so runs of other configurations or problems keep their figures.
 */
export function mergeCell(
  problem: SuiteProblem,
  config: SuiteConfig,
  runs: readonly SuiteSeedResult[],
  path: string = RESULTS_PATH,
): void {
  mkdirSync(dirname(path), { recursive: true });
  // Several runs of the suite may merge into one file at once: the read-modify-write holds a lock, and
  // the file is replaced by a rename, so no run reads a half-written file or drops another's cell.
  withLock(`${path}.lock`, () => {
    const file = readResults(path);
    file.protocol = PROTOCOL;
    file.problems[problem.key] = problemFacts(problem);
    file.results[config.name] ??= {};
    file.results[config.name]![problem.key] = {
      kind: config.kind,
      ...(config.kind === "botorch" ? { kwargs: config.kwargs } : {}),
      seeds: runs.map((r) => r.seed),
      machine: machineInfo(),
      gitCommit: gitCommit(),
      runs: [...runs],
    };
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(temporary, path);
  });
}

/** How long {@link withLock} waits for a lock before taking it over as abandoned (a killed run's). */
const LOCK_TIMEOUT_MS = 30_000;

/** Runs `body` while holding an exclusive lock file (created with O_EXCL), waiting for it if held. */
function withLock(lockPath: string, body: () => void): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      closeSync(openSync(lockPath, "wx"));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() > deadline) rmSync(lockPath, { force: true });
      else Atomics.wait(sleeper, 0, 0, 20);
    }
  }
  try {
    body();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

/** Optuna TPE's runs by problem key, from the committed JSON of scripts/bo-suite-optuna.py (empty when absent). */
export function readOptuna(): Record<string, { budget: number; runs: SeedFigures[] }> {
  if (!existsSync(OPTUNA_PATH)) return {};
  const json = JSON.parse(readFileSync(OPTUNA_PATH, "utf8")) as {
    problems: Record<string, { budget: number; runs: SeedFigures[] }>;
  };
  return json.problems;
}
