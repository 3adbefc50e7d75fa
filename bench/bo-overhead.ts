/**
 * Ask+tell overhead of the default strategy when results are bare numbers (noise unknown, inferred by the
 * GP): per trial the wall time of `getNextTrial` plus `completeTrial` through an in-memory Client, over
 * the trials the BoTorch generator made. Problems of 2, 4 and 6 parameters (Branin, Rosenbrock4,
 * Hartmann6), 50 trials each, in two cases: a noisy objective (f + N(0, sd²)) and a deterministic one,
 * both reported as bare numbers. Per problem and case: median, p95 and max ms per ask+tell, pooled over
 * seeds (and the same for the process's CPU time, less sensitive to other load on a shared machine), and
 * the final best observed value as a check that the loop optimizes.
 *
 * Before the timed loops, one untimed warm-up loop per problem (noisy case, its own seed) runs in the
 * same process: the first loop of a fresh process pays V8's compilation of the whole ask+tell path
 * (its steps cost several times the later ones), and without the warm-up that cost lands in the p95 of
 * whichever cell runs first. The warm-up's own figures are printed and stored (`warmup`), so the cost of
 * a fresh process stays visible; `--warmup 0` times cold, as the process's first loops.
 *
 * `npm run bench -- bo --overhead [--seeds N] [--first-seed S] [--problems branin,rosenbrock4,hartmann6]
 * [--cases noisy,deterministic] [--trials 50] [--warmup 1]`. Writes `bench/results/bo-overhead.json`.
 * Timings depend on the machine's load; run without `nice` and with nothing else heavy running.
 */
import { Branin, Client, Hartmann6, Rng, type TestFunction } from "../src/index.js";
import { boxParameters, pointOf } from "./bo/shared.js";
import { flag, machineInfo, median, printTable, quantile, writeResult } from "./common.js";

/** Rosenbrock in 4 dimensions on [−2, 2]⁴, minimum 0 at (1, 1, 1, 1). */
const Rosenbrock4: TestFunction = {
  name: "Rosenbrock4",
  dimension: 4,
  bounds: Array.from({ length: 4 }, () => [-2, 2] as const),
  optimalValue: 0,
  optimizer: [1, 1, 1, 1],
  evaluate(x: ArrayLike<number>): number {
    let sum = 0;
    for (let i = 0; i < x.length - 1; i++) sum += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
    return sum;
  },
};

interface OverheadProblem {
  key: string;
  fn: TestFunction;
  /** Observation noise sd of the noisy case, about 1% of the function's range over its box. */
  noiseSd: number;
}

const PROBLEMS: readonly OverheadProblem[] = [
  { key: "branin", fn: Branin, noiseSd: 1 },
  { key: "rosenbrock4", fn: Rosenbrock4, noiseSd: 10 },
  { key: "hartmann6", fn: Hartmann6, noiseSd: 0.1 },
];
const CASES = ["noisy", "deterministic"] as const;
type Case = (typeof CASES)[number];

const PROTOCOL =
  "Client with the default generation strategy (seeded), one trial at a time, each result reported as a bare " +
  "number (noise inferred); 'noisy' adds N(0, noiseSd²) from a seeded stream, 'deterministic' reports f(x). " +
  "askTellMs = wall time of getNextTrial + completeTrial for each trial the BoTorch generator made; " +
  "askTellCpuMs = the process CPU time (user + system) of the same calls. Before them, `warmup` loops per " +
  "problem (noisy case, seeds from WARMUP_SEED) ran untimed in the same process; their figures are under 'warmup'.";

/** Seeds of the warm-up loops: apart from any timed seed. */
const WARMUP_SEED = 1_000_000;

interface RunResult {
  seed: number;
  askTellMs: number[];
  /** Process CPU time (user + system) of the same calls: less sensitive to other load than wall time. */
  askTellCpuMs: number[];
  bestObserved: number;
}

async function runOnce(
  problem: OverheadProblem,
  kase: Case,
  seed: number,
  trials: number,
): Promise<RunResult> {
  const { fn } = problem;
  const d = fn.dimension;
  const noise = new Rng(seed + 100_000);
  const client = new Client({ verboseLogging: false, seed });
  await client.createExperiment({
    name: `${fn.name}_${kase}_${seed}`,
    parameters: boxParameters(fn.bounds),
    objectives: { f: { minimize: true } },
  });
  const askTellMs: number[] = [];
  const askTellCpuMs: number[] = [];
  let bestObserved = Number.POSITIVE_INFINITY;
  for (let i = 0; i < trials; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { trialIndex, parameters } = await client.getNextTrial();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    const y = fn.evaluate(pointOf(parameters, d));
    const observed = kase === "noisy" ? y + problem.noiseSd * noise.normal() : y;
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    await client.completeTrial(trialIndex, observed);
    const t3 = performance.now();
    const c3 = process.cpuUsage(c2);
    if (client.getTrial(trialIndex).generatorName === "BoTorch") {
      askTellMs.push(t1 - t0 + (t3 - t2));
      askTellCpuMs.push((c1.user + c1.system + c3.user + c3.system) / 1000);
    }
    bestObserved = Math.min(bestObserved, y);
  }
  return { seed, askTellMs, askTellCpuMs, bestObserved };
}

export async function main(args: string[]): Promise<void> {
  const seeds = Number(flag(args, "seeds") ?? 3);
  const firstSeed = Number(flag(args, "first-seed") ?? 0);
  const trials = Number(flag(args, "trials") ?? 50);
  const warmup = Number(flag(args, "warmup") ?? 1);
  for (const [name, v] of [
    ["seeds", seeds],
    ["trials", trials],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new Error(`--warmup must be a non-negative integer, got ${warmup}`);
  if (!Number.isInteger(firstSeed) || firstSeed < 0)
    throw new Error(`--first-seed must be a non-negative integer, got ${firstSeed}`);
  const problems = (flag(args, "problems")?.split(",") ?? PROBLEMS.map((p) => p.key)).map((key) => {
    const p = PROBLEMS.find((q) => q.key === key);
    if (!p) throw new Error(`Unknown problem ${key}; known: ${PROBLEMS.map((q) => q.key).join(", ")}`);
    return p;
  });
  const cases = (flag(args, "cases")?.split(",") ?? [...CASES]).map((c) => {
    if (!(CASES as readonly string[]).includes(c))
      throw new Error(`Unknown case ${c}; known: ${CASES.join(", ")}`);
    return c as Case;
  });

  const warmupRuns = await warmUp(problems, warmup, trials);
  const rows: Record<string, string | number>[] = [];
  const results: Record<string, unknown> = {};
  for (const problem of problems) {
    for (const kase of cases) {
      const runs: RunResult[] = [];
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
        runs.push(await runOnce(problem, kase, seed, trials));
      }
      const ms = runs.flatMap((r) => r.askTellMs);
      const cpu = runs.flatMap((r) => r.askTellCpuMs);
      const summary = {
        problem: problem.fn.name,
        d: problem.fn.dimension,
        case: kase,
        seeds,
        boTrials: ms.length,
        medianMs: median(ms),
        p95Ms: quantile(ms, 0.95),
        maxMs: Math.max(...ms),
        medianCpuMs: median(cpu),
        p95CpuMs: quantile(cpu, 0.95),
        medianBestRegret: median(runs.map((r) => r.bestObserved - problem.fn.optimalValue)),
      };
      rows.push(summary);
      results[`${problem.key}/${kase}`] = {
        ...summary,
        noiseSd: kase === "noisy" ? problem.noiseSd : 0,
        runs,
      };
    }
  }
  const path = writeResult("bo-overhead", {
    benchmark: "bo-overhead",
    protocol: PROTOCOL,
    machine: machineInfo(),
    trials,
    seeds,
    firstSeed,
    warmup: warmupRuns,
    results,
  });
  if (warmupRuns.length > 0) {
    console.log("Untimed warm-up loops (the first of a fresh process first), CPU ms per ask+tell:");
    printTable(
      warmupRuns.map((w) => ({
        problem: w.problem,
        seed: w.seed,
        boTrials: w.askTellCpuMs.length,
        medianCpuMs: median(w.askTellCpuMs),
        p95CpuMs: quantile(w.askTellCpuMs, 0.95),
        maxCpuMs: Math.max(...w.askTellCpuMs),
      })),
    );
    console.log("");
  }
  printTable(rows);
  console.log(`\nwritten to ${path}`);
}

/**
 * `rounds` untimed loops of every problem (noisy case) before the timed ones, so that the timed loops see
 * compiled code whatever their order; their per-trial figures are returned for the record.
 */
async function warmUp(
  problems: readonly OverheadProblem[],
  rounds: number,
  trials: number,
): Promise<(RunResult & { problem: string })[]> {
  const out: (RunResult & { problem: string })[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const problem of problems) {
      const run = await runOnce(problem, "noisy", WARMUP_SEED + r, trials);
      out.push({ problem: problem.fn.name, ...run });
    }
  }
  return out;
}
