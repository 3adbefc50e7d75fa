import { minimizeBounded } from "./lbfgsb.js";
import type { MinimizeOptions, MinimizeResult, ObjectiveFunction } from "./options.js";

/** Options of {@link multiStartMinimize}: those of every local run, plus a shared budget. */
export interface MultiStartOptions extends MinimizeOptions {
  /**
   * Evaluations shared by all starts; default unlimited. Start i (of k) may use at most
   * ⌊remaining / (k − i)⌋ (and at most `maxEvaluations`), so budget a run leaves unused passes on to
   * later starts; a start whose share is 0 is skipped.
   */
  maxTotalEvaluations?: number;
}

/** Result of {@link multiStartMinimize}. */
export interface MultiStartResult {
  /** The result with the lowest f (the first of `results`). */
  best: MinimizeResult;
  /** One result per start that ran, sorted by f ascending (non-finite f last). */
  results: MinimizeResult[];
  /** Index (row of `starts`) of each entry of `results`. */
  startIndices: number[];
  /** Objective evaluations over all starts. */
  evaluations: number;
  /** Starts skipped because the shared budget ran out. */
  skipped: number;
}

/**
 * Runs {@link minimizeBounded} from each of k start points and ranks the local optima, the usual way
 * to find a global minimum of a multimodal function (such as an acquisition function) over a box.
 *
 * @param starts k × d row-major start points (projected onto the feasible set by each run).
 * @throws RangeError when starts does not hold k × d entries, k < 1, or the budget skips every start;
 *   and as {@link minimizeBounded}.
 * @example
 * const { best } = multiStartMinimize(f, sobolPoints, 10, 3, { lower: 0, upper: 1 });
 */
export function multiStartMinimize(
  f: ObjectiveFunction,
  starts: Float64Array,
  k: number,
  d: number,
  options: MultiStartOptions = {},
): MultiStartResult {
  if (!Number.isInteger(k) || !Number.isInteger(d) || k < 1 || d < 1 || starts.length !== k * d) {
    throw new RangeError(
      `multiStartMinimize: starts must hold k × d = ${k} × ${d} entries (k, d positive integers), got ${starts.length}.`,
    );
  }
  const { maxTotalEvaluations = Number.POSITIVE_INFINITY, ...local } = options;
  const perRun = local.maxEvaluations ?? Number.POSITIVE_INFINITY;
  const runs: { result: MinimizeResult; index: number }[] = [];
  let evaluations = 0;
  let skipped = 0;
  for (let i = 0; i < k; i++) {
    const share = Math.floor((maxTotalEvaluations - evaluations) / (k - i));
    if (share < 1) {
      skipped++;
      continue;
    }
    const x0 = starts.subarray(i * d, (i + 1) * d);
    const result = minimizeBounded(f, x0, { ...local, maxEvaluations: Math.min(perRun, share) });
    evaluations += result.evaluations;
    runs.push({ result, index: i });
  }
  if (runs.length === 0) {
    throw new RangeError(
      `multiStartMinimize: maxTotalEvaluations = ${maxTotalEvaluations} leaves no evaluation for any of the ${k} starts.`,
    );
  }
  runs.sort((a, b) => rank(a.result.f) - rank(b.result.f) || a.index - b.index);
  const results = runs.map((r) => r.result);
  return { best: results[0]!, results, startIndices: runs.map((r) => r.index), evaluations, skipped };
}

function rank(f: number): number {
  return Number.isNaN(f) ? Number.POSITIVE_INFINITY : f;
}
