/**
 * The reference optimum of the learning-curve problem: a fixed random search (2,000 configurations drawn
 * uniformly in the search space, log-uniformly for log-scale parameters, seed 0), computed once and
 * committed as `bench/early-stopping/reference.json`; regret is measured against its best final value.
 *
 * Regenerate with `node --import tsx bench/early-stopping/reference.ts` (about a minute). The file also keeps
 * the distribution of final values, from which the threshold rule's threshold is taken.
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
  /** Best final validation loss found: the f* of regret. */
  bestFinalValue: number;
  bestParams: TrainingParams;
  /** Quantiles of the final values (q05, q25, median, q75). */
  finalValueQuantiles: { q05: number; q25: number; median: number; q75: number };
  /** Share of configurations that diverged (final value at the loss cap). */
  divergedShare: number;
}

/** The committed reference, read once. */
export function readReference(): Reference {
  return JSON.parse(readFileSync(REFERENCE_PATH, "utf8")) as Reference;
}

/** One configuration drawn uniformly in the search space (log-uniformly on log scales). */
export function randomParams(rng: Rng): TrainingParams {
  const draw = (name: string): number => {
    const spec = SEARCH_SPACE.find((s) => s.name === name)!;
    const [lo, hi] = spec.bounds;
    if ("valueType" in spec) return lo + rng.int(hi - lo + 1);
    if ("logScale" in spec) return Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
    return lo + rng.next() * (hi - lo);
  };
  return {
    learningRate: draw("learningRate"),
    l2: draw("l2"),
    hiddenUnits: draw("hiddenUnits"),
    momentum: draw("momentum"),
  };
}

function quantileOf(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function computeReference(configurations: number, seed: number): Reference {
  const rng = new Rng(seed);
  let best = Number.POSITIVE_INFINITY;
  let bestParams: TrainingParams | undefined;
  const finals: number[] = [];
  for (let i = 0; i < configurations; i++) {
    const params = randomParams(rng);
    const final = learningCurve(params).at(-1)!;
    finals.push(final);
    if (final < best) {
      best = final;
      bestParams = params;
    }
  }
  finals.sort((a, b) => a - b);
  return {
    command: REFERENCE_COMMAND,
    configurations,
    seed,
    maxEpochs: MAX_EPOCHS,
    bestFinalValue: best,
    bestParams: bestParams!,
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
