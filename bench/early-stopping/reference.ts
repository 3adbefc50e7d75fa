/**
 * The reference optimum of the learning-curve problem, computed once and committed as
 * `bench/early-stopping/reference.json`; regret is measured against its best final value. It is a fixed
 * random search (2,000 configurations drawn uniformly in the search space, log-uniformly for log-scale
 * parameters, seed 0) followed by a local search from its 20 best configurations (100 Gaussian steps each
 * in the unit cube of the search space, keeping improvements), because 30 trials of Bayesian optimization
 * do find better configurations than 2,000 random ones, and a regret below zero says nothing.
 *
 * Regenerate with `node --import tsx bench/early-stopping/reference.ts` (a few minutes). The file also keeps
 * the distribution of the random search's final values.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/index.js";
import { LOSS_CAP, learningCurve, MAX_EPOCHS, SEARCH_SPACE, type TrainingParams } from "./learning-curve.js";

export const REFERENCE_PATH = join(dirname(fileURLToPath(import.meta.url)), "reference.json");
export const REFERENCE_COMMAND = "node --import tsx bench/early-stopping/reference.ts";

/** What `reference.json` holds. */
export interface Reference {
  command: string;
  configurations: number;
  seed: number;
  maxEpochs: number;
  /** Local-search starts (the best random configurations) and steps per start. */
  localSearch: { starts: number; steps: number; seed: number };
  /** Best final value of the random search alone. */
  randomSearchBestFinalValue: number;
  /** Best final validation loss found by either search: the f* of regret. */
  bestFinalValue: number;
  bestParams: TrainingParams;
  /** Quantiles of the random search's final values (q05, q25, median, q75). */
  finalValueQuantiles: { q05: number; q25: number; median: number; q75: number };
  /** Share of the random configurations that diverged (final value at the loss cap). */
  divergedShare: number;
}

/** The committed reference, read once. */
export function readReference(): Reference {
  return JSON.parse(readFileSync(REFERENCE_PATH, "utf8")) as Reference;
}

/** Maps a point of the unit cube [0, 1]^4 to a configuration (log scales mapped log-uniformly). */
export function paramsAt(u: readonly number[]): TrainingParams {
  const at = (i: number): number => {
    const spec = SEARCH_SPACE[i]!;
    const [lo, hi] = spec.bounds;
    const t = Math.min(1, Math.max(0, u[i]!));
    // Integers: equal-width cells, so every value has the same share of the cube.
    if ("valueType" in spec) return Math.min(hi, lo + Math.floor(t * (hi - lo + 1)));
    // Clamped: exp(log(x)) may land an ulp outside the bounds.
    if ("logScale" in spec)
      return Math.min(hi, Math.max(lo, Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo)))));
    return lo + t * (hi - lo);
  };
  return { learningRate: at(0), l2: at(1), hiddenUnits: at(2), momentum: at(3) };
}

/** One configuration drawn uniformly in the search space (log-uniformly on log scales). */
export function randomParams(rng: Rng): TrainingParams {
  return paramsAt(SEARCH_SPACE.map(() => rng.next()));
}

const finalValueAt = (u: readonly number[]): number => learningCurve(paramsAt(u)).at(-1)!;

/** A (1+1) local search in the unit cube from `start`: Gaussian steps, kept when they improve. */
function localSearch(start: readonly number[], startValue: number, steps: number, rng: Rng) {
  let best = { u: [...start], value: startValue };
  let sigma = 0.05;
  for (let i = 0; i < steps; i++) {
    const u = best.u.map((x) => Math.min(1, Math.max(0, x + sigma * rng.normal())));
    const value = finalValueAt(u);
    if (value < best.value) best = { u, value };
    else sigma = Math.max(0.005, sigma * 0.97);
  }
  return best;
}

function quantileOf(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function computeReference(configurations: number, seed: number): Reference {
  const rng = new Rng(seed);
  const points = Array.from({ length: configurations }, () => SEARCH_SPACE.map(() => rng.next()));
  const evaluated = points.map((u) => ({ u, value: finalValueAt(u) }));
  const finals = evaluated.map((e) => e.value).sort((a, b) => a - b);
  const ranked = [...evaluated].sort((a, b) => a.value - b.value);
  const localSearchOptions = { starts: 20, steps: 100, seed: seed + 1 };
  const localRng = new Rng(localSearchOptions.seed);
  let best = ranked[0]!;
  for (const start of ranked.slice(0, localSearchOptions.starts)) {
    const found = localSearch(start.u, start.value, localSearchOptions.steps, localRng);
    if (found.value < best.value) best = found;
  }
  return {
    command: REFERENCE_COMMAND,
    configurations,
    seed,
    maxEpochs: MAX_EPOCHS,
    localSearch: localSearchOptions,
    randomSearchBestFinalValue: ranked[0]!.value,
    bestFinalValue: best.value,
    bestParams: paramsAt(best.u),
    finalValueQuantiles: {
      q05: quantileOf(finals, 0.05),
      q25: quantileOf(finals, 0.25),
      median: quantileOf(finals, 0.5),
      q75: quantileOf(finals, 0.75),
    },
    divergedShare: finals.filter((v) => v >= LOSS_CAP).length / configurations,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  const reference = computeReference(2000, 0);
  writeFileSync(REFERENCE_PATH, `${JSON.stringify(reference, null, 2)}\n`);
  console.log(JSON.stringify(reference, null, 2));
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s, written to ${REFERENCE_PATH}`);
}
