/**
 * `npm run bench -- bo-recommendation`: which arm to recommend at the end of a run. Each scenario runs
 * the default BO setup (Sobol for max(5, 2d), then BoTorch) through the ask/tell Client, one trial at a
 * time; after half the budget and at the end, the same fitted model (warm-started from the generator's
 * hyperparameters, as `getBestParameters` fits it) judges the arms, and the TRUE (noise-free) regret
 * of the arm each rule picks is recorded:
 *
 * - model: the best predicted mean (Ax's default); observed: the best observed mean;
 * - gap-k: the model's pick unless its observed mean trails the best observation by more than k noise
 *   sds (known sem, else the GP's inferred noise), noise-free data → observed (`decideBestPoint`
 *   without its noise-detection test);
 * - auto: the default rule (`decideBestPoint`: gap-2 and the noise-detection test, lrt-2);
 * - gap-2-tie-t: as gap-2, and the best observation also when the gap is below t noise sds (too small
 *   for the observations to tell the arms apart);
 * - frac-f: the model's pick when the noise sd exceeds f × the sd of the observed values, else observed;
 * - lrt-t: as gap-2, and the best observation also when inferred noise gains at most t nats of log
 *   marginal likelihood over a noise-free GP (no noise detectable; the default uses t = 2).
 *
 * `npm run bench -- bo-recommendation [--seeds N] [--first-seed S] [--scenarios a,b]`; writes
 * `bench/results/bo-recommendation.json` with every checkpoint's figures.
 */

import { boTorchHyperparameters } from "../../src/generation/index.js";
import { Branin, Client, Hartmann6, type Parameterization, Rng, type TestFunction } from "../../src/index.js";
import { type BestPoint, bestPoint } from "../../src/reporting/best-point.js";
import { decideBestPoint } from "../../src/reporting/best-point-rule.js";
import { modelJudgement } from "../../src/reporting/model-best-point.js";
import { flag, machineInfo, median, printTable, writeResult } from "../common.js";
import { boxParameters, pointOf, strategyFor } from "./shared.js";

/** How a scenario reports each value: noise-free `[y, 0]`, `[y, sd]` or a bare number (inferred noise). */
type Reporting = "sem0" | "sem" | "bare";

interface Scenario {
  key: string;
  fn: TestFunction;
  budget: number;
  noiseSd: number;
  reporting: Reporting;
}

const SCENARIOS: readonly Scenario[] = [
  { key: "branin-exact", fn: Branin, budget: 30, noiseSd: 0, reporting: "sem0" },
  { key: "hartmann6-exact", fn: Hartmann6, budget: 50, noiseSd: 0, reporting: "sem0" },
  { key: "branin-bare", fn: Branin, budget: 30, noiseSd: 0, reporting: "bare" },
  { key: "hartmann6-bare", fn: Hartmann6, budget: 50, noiseSd: 0, reporting: "bare" },
  { key: "hartmann6-noisy-sem", fn: Hartmann6, budget: 50, noiseSd: 0.1, reporting: "sem" },
  { key: "hartmann6-noisy-bare", fn: Hartmann6, budget: 50, noiseSd: 0.1, reporting: "bare" },
  { key: "branin-noisy-bare", fn: Branin, budget: 30, noiseSd: 1, reporting: "bare" },
  // Noise small against the objective's range (Branin's values span about 300, Hartmann6's 3.3).
  { key: "branin-small-noise-bare", fn: Branin, budget: 30, noiseSd: 0.1, reporting: "bare" },
  { key: "hartmann6-small-noise-bare", fn: Hartmann6, budget: 50, noiseSd: 0.02, reporting: "bare" },
];

const GAP_FACTORS = [0.5, 1, 2, 3, 4] as const;
const TIE_FACTORS = [0.05, 0.2] as const;
const SPREAD_FRACTIONS = [0.01, 0.03, 0.1] as const;
const EVIDENCE_NATS = [0, 1, 2, 4, 8] as const;
/** Offset of the noise stream's seed from the run's seed (as hartmann6-noisy). */
const NOISE_SEED_OFFSET = 100_000;

/** True regret of each rule's pick at one checkpoint, with what the rules saw. */
type Checkpoint = Record<string, number | string>;

function report(reporting: Reporting, y: number, sd: number): number | [number, number | null] {
  if (reporting === "bare") return y;
  return [y, reporting === "sem0" ? 0 : sd];
}

function judge(client: Client, scenario: Scenario): Checkpoint | null {
  const { fn } = scenario;
  const experiment = client.experiment;
  const judgement = modelJudgement(experiment, {
    warmStart: boTorchHyperparameters(client.generationStrategy),
  });
  const observed = bestPoint(experiment);
  const model = judgement?.best;
  if (!judgement || !model || !observed) return null;
  const regretOf = (p: { parameters: Parameterization }) =>
    fn.evaluate(pointOf(p.parameters, fn.dimension)) - fn.optimalValue;
  const ys = observedValues(client);
  const spread = sampleSd(ys);
  const out: Checkpoint = {
    model: regretOf(model),
    observed: regretOf(observed),
    noiseSource: judgement.noise.source,
    noiseSd: judgement.noise.sd,
    likelihoodGain: judgement.noise.likelihoodGain ?? Number.NaN,
    spread,
    gap: model.values.f! - observed.values.f!,
    sameArm: model.armName === observed.armName ? 1 : 0,
    ...predictionsAt(client, judgement, model, observed),
  };
  const candidates = { metric: "f", minimize: true, model, observed, noise: judgement.noise };
  const pick = (rule: string) => (rule === "model" ? out.model! : out.observed!);
  out.auto = pick(decideBestPoint(candidates).rule);
  // The gap rules alone, without the noise-detection test of the default (evidence threshold −∞).
  const noTest = Number.NEGATIVE_INFINITY;
  for (const k of GAP_FACTORS) out[`gap-${k}`] = pick(decideBestPoint(candidates, k, noTest).rule);
  // The gap below which the observations cannot tell the two arms apart: observed there too.
  for (const k of TIE_FACTORS) {
    const tie = (out.gap as number) < k * judgement.noise.sd && out.sameArm === 0;
    out[`gap-2-tie-${k}`] =
      tie && judgement.noise.source !== "none"
        ? out.observed!
        : pick(decideBestPoint(candidates, undefined, noTest).rule);
  }
  for (const t of EVIDENCE_NATS) out[`lrt-${t}`] = pick(decideBestPoint(candidates, undefined, t).rule);
  for (const f of SPREAD_FRACTIONS) {
    const useModel = judgement.noise.source !== "none" && judgement.noise.sd > f * spread;
    out[`frac-${f}`] = useModel ? out.model! : out.observed!;
  }
  return out;
}

/** The model's predicted objective mean and sem at its pick and at the best observation. */
function predictionsAt(
  client: Client,
  judgement: NonNullable<ReturnType<typeof modelJudgement>>,
  model: BestPoint,
  observed: BestPoint,
): Checkpoint {
  const armOf = (p: BestPoint) =>
    client.experiment.getTrial(p.trialIndex).arms.find((a) => a.name === p.armName)!;
  const atModel = judgement.predictAt(armOf(model))!.f!;
  const atObserved = judgement.predictAt(armOf(observed))!.f!;
  return {
    predModel: atModel.mean,
    semModel: atModel.sem,
    predObserved: atObserved.mean,
    semObserved: atObserved.sem,
  };
}

function observedValues(client: Client): number[] {
  const ys: number[] = [];
  for (const trial of client.experiment.trials.values()) {
    for (const row of client.experiment.lookupTrialData(trial.index).rows) ys.push(row.mean);
  }
  return ys;
}

function sampleSd(xs: readonly number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(xs.length - 1, 1));
}

async function runSeed(
  scenario: Scenario,
  seed: number,
): Promise<{ half: Checkpoint | null; final: Checkpoint | null }> {
  const { fn, budget, noiseSd, reporting } = scenario;
  const d = fn.dimension;
  const noise = new Rng(seed + NOISE_SEED_OFFSET);
  const client = new Client({ verboseLogging: false, generationStrategy: strategyFor("bo", d, seed) });
  await client.createExperiment({
    name: `${scenario.key}_${seed}`,
    parameters: boxParameters(fn.bounds),
    objectives: { f: { minimize: true } },
  });
  let half: Checkpoint | null = null;
  for (let i = 0; i < budget; i++) {
    const { trialIndex, parameters } = await client.getNextTrial();
    const y = fn.evaluate(pointOf(parameters, d)) + (noiseSd > 0 ? noiseSd * noise.normal() : 0);
    await client.completeTrial(trialIndex, { f: report(reporting, y, noiseSd) });
    if (i === budget / 2 - 1) half = judge(client, scenario);
  }
  return { half, final: judge(client, scenario) };
}

const RULES = [
  "model",
  "observed",
  "auto",
  ...GAP_FACTORS.map((k) => `gap-${k}`),
  ...TIE_FACTORS.map((k) => `gap-2-tie-${k}`),
  ...SPREAD_FRACTIONS.map((f) => `frac-${f}`),
  ...EVIDENCE_NATS.map((t) => `lrt-${t}`),
];

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export async function main(args: string[]): Promise<void> {
  const seeds = Number(flag(args, "seeds") ?? 20);
  const firstSeed = Number(flag(args, "first-seed") ?? 0);
  const keys = flag(args, "scenarios")?.split(",") ?? SCENARIOS.map((s) => s.key);
  // Other seed sets (to check that a figure is not the luck of seeds 0-19) keep their own file.
  const name =
    firstSeed === 0 ? "bo-recommendation" : `bo-recommendation-seeds-${firstSeed}-${firstSeed + seeds - 1}`;
  const results: Record<string, unknown> = {};
  const rows: Record<string, string | number>[] = [];
  for (const key of keys) {
    const scenario = SCENARIOS.find((s) => s.key === key);
    if (!scenario)
      throw new Error(`Unknown scenario ${key}; known: ${SCENARIOS.map((s) => s.key).join(", ")}`);
    const runs: { seed: number; half: Checkpoint | null; final: Checkpoint | null }[] = [];
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      runs.push({ seed, ...(await runSeed(scenario, seed)) });
    }
    const summary: Record<string, Record<string, number>> = {};
    for (const at of ["half", "final"] as const) {
      const points = runs.map((r) => r[at]).filter((c): c is Checkpoint => c !== null);
      const row: Record<string, string | number> = { scenario: key, at, n: points.length };
      const figures: Record<string, number> = {
        modelObservedWorse: points.filter((p) => (p.gap as number) > 0).length,
      };
      for (const rule of RULES) {
        const regrets = points.map((p) => p[rule] as number);
        figures[`${rule}.mean`] = mean(regrets);
        figures[`${rule}.median`] = median(regrets);
        row[rule] = Number(mean(regrets).toPrecision(3));
      }
      row.modelWorseObs = figures.modelObservedWorse!;
      summary[at] = figures;
      rows.push(row);
    }
    results[key] = { ...scenario, fn: scenario.fn.name, summary, runs };
    writeResult(name, payload(results, seeds, firstSeed));
  }
  const path = writeResult(name, payload(results, seeds, firstSeed));
  printTable(rows);
  console.log(`\nmean true regret of each rule's pick; written to ${path}`);
}

function payload(results: Record<string, unknown>, seeds: number, firstSeed: number) {
  return {
    benchmark: "bo-recommendation",
    protocol:
      "Sobol for max(5, 2d) then BoTorch through the ask/tell Client (strategy seed = run seed), one trial at a " +
      "time; at half budget and at the end, modelJudgement (warm-started from the generator) and bestPoint; " +
      "figures are the TRUE regret f(x) − f* of each rule's pick. Noise N(0, sd²) from Rng(seed + 100000).",
    machine: machineInfo(),
    seeds,
    firstSeed,
    results,
  };
}
