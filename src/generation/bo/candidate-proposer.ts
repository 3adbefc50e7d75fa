import type { JsonValue } from "../../core/json.js";
import type { AcquisitionFunction } from "../../numerics/acquisition/index.js";
import type { ThompsonSurrogate } from "./thompson-step.js";

/**
 * What the BoTorch generator's sequential-greedy loop needs from a fitted problem (single- or
 * multi-objective): one acquisition per arm of the batch, and the metadata to record for each chosen
 * arm. The loop itself (raw samples, multi-start optimization, decoding, duplicates) is shared.
 */
export interface CandidateProposer {
  /** Observed points (n×d, row-major, unit cube); they join the raw-sample pool of starts. */
  readonly observedX: Float64Array;
  /** Whether every observation is noiseless: an evaluated arm is then never proposed again. */
  readonly noiseless: boolean;
  /**
   * The acquisition of the `index`-th arm of the batch, given the pending points (k×d: the experiment's
   * pending arms and the arms already chosen in this batch).
   */
  acquisition(index: number, pending: Float64Array): AcquisitionFunction;
  /** Candidate metadata of the arm chosen at `x` (unit cube) by `acquisition`, that of arm `index`. */
  describe(index: number, x: Float64Array, acquisition: AcquisitionFunction): Record<string, JsonValue>;
  /**
   * Optional: what a Thompson-sampling step samples, given the pending points (k×d), or null when the
   * problem has none (outcome constraints, several objectives).
   */
  thompsonSurrogate?(pending: Float64Array): ThompsonSurrogate | null;
  /** Optional: ∂mean/∂x of the objective's model (maximization scale), for the boundary rule. */
  meanGradient?(x: Float64Array): Float64Array;
  /** Metadata of the whole generator run (acquisition kind, number of observations, ...). */
  runMetadata(): Record<string, JsonValue>;
}

/** A finite number, or null (JSON has no infinities). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Metric name → the outcome transforms its data went through, in order. */
export type TransformsRan = Record<string, string[]>;

/**
 * What the run metadata record of the outcome transforms (`outcomeTransforms`): every modeled metric's
 * steps, e.g. `{ y: ["winsorize", "log"] }` (the power transform "auto" resolves to its choice).
 */
export function outcomeTransformsRan(
  models: ReadonlyMap<string, { transforms: { names: string[] } }>,
): TransformsRan {
  const out: Record<string, string[]> = {};
  for (const [name, m] of models) out[name] = m.transforms.names;
  return out;
}
