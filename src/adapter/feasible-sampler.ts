import { type Arm, armSignature } from "../core/arm.js";
import { ChoiceParameter } from "../core/choice-parameter.js";
import type { Experiment } from "../core/experiment.js";
import { FixedParameter } from "../core/fixed-parameter.js";
import type { ParameterValue } from "../core/parameter-type.js";
import { RangeParameter } from "../core/range-parameter.js";
import type { SearchSpace } from "../core/search-space.js";
import { ParameterConstraintError, SearchSpaceError, SearchSpaceExhaustedError } from "../errors.js";
import type { SearchSpaceEncoding } from "./search-space-encoding.js";

/** Default number of draws allowed per requested point before rejection sampling gives up. */
export const DEFAULT_MAX_DRAWS_PER_POINT = 10_000;
/** Finite search spaces up to this many points are enumerated, so exhaustion is detected exactly. */
export const ENUMERATION_LIMIT = 10_000;
/**
 * In an enumerated space, rejection stops after this many draws per point and the rest are picked
 * among the unused points directly: once most points are used, drawing until one hits a free cell
 * would waste the stream and time.
 */
const ENUMERATED_DRAWS_PER_POINT = 100;

/** Options of {@link sampleFeasible}. */
export interface SampleFeasibleOptions {
  encoding: SearchSpaceEncoding;
  /** Number of points wanted. */
  n: number;
  /**
   * Draws the next `m` uniform points of the generator's stream: m × `stride`, row-major, values in
   * [0, 1]; the first `encoding.samplingDimension` columns of each row are used.
   */
  draw: (m: number) => Float64Array;
  /** Row width of `draw`'s output (≥ samplingDimension; Sobol needs at least one column). */
  stride: number;
  /** Whether a parameterization (by `armSignature`) is already used; consulted only for finite spaces. */
  isTaken: (signature: string) => boolean;
  /** Draw budget per requested point; default {@link DEFAULT_MAX_DRAWS_PER_POINT}. */
  maxDrawsPerPoint?: number;
}

/** One accepted point. */
export interface SampledPoint {
  parameters: Record<string, ParameterValue>;
  /** Position, among this call's draws, of the draw that produced the point. */
  drawIndex: number;
  /** Whether the point was picked among the remaining unused points after rejection ran out of draws. */
  pickedFromRemaining: boolean;
}

/** Result of {@link sampleFeasible}. */
export interface SampleFeasibleResult {
  points: SampledPoint[];
  /** Points taken from the stream (accepted or not). */
  numDraws: number;
  /** Draws that violated a parameter constraint. */
  numInfeasible: number;
  /** Draws equal to an arm already used (finite spaces only). */
  numDuplicates: number;
}

interface EnumeratedPoint {
  parameters: Record<string, ParameterValue>;
  signature: string;
}

const enumerations = new WeakMap<SearchSpace, EnumeratedPoint[]>();

/**
 * Draws `n` points of the search space from a uniform stream by rejection: points violating a
 * parameter constraint are dropped, and in a finite (fully discrete) space so are points already used
 * (`isTaken`) or already drawn in this call. The work is bounded by `maxDrawsPerPoint × n` draws.
 *
 * Finite spaces of at most {@link ENUMERATION_LIMIT} points are enumerated, so exhaustion is detected
 * before drawing, and points still missing after a short rejection phase are picked uniformly among the
 * unused ones (with draws from the same stream, so the result stays deterministic).
 *
 * @throws ParameterConstraintError when the constraints leave (almost) no feasible point.
 * @throws SearchSpaceExhaustedError when a finite space has fewer than `n` unused feasible points.
 */
export function sampleFeasible(options: SampleFeasibleOptions): SampleFeasibleResult {
  const { encoding, n } = options;
  const space = encoding.searchSpace;
  const dedup = Number.isFinite(space.cardinality);
  const enumerated = dedup && space.cardinality <= ENUMERATION_LIMIT ? enumerateFeasible(encoding) : null;
  if (enumerated) checkRemaining(space, enumerated, n, options.isTaken);
  const perPoint = options.maxDrawsPerPoint ?? DEFAULT_MAX_DRAWS_PER_POINT;
  const budget = n * (enumerated ? Math.min(perPoint, ENUMERATED_DRAWS_PER_POINT) : perPoint);
  const result = rejectionSample(options, dedup, budget);
  if (result.points.length === n) return result;
  if (enumerated) {
    pickFromRemaining(options, enumerated, result);
    return result;
  }
  throw shortfallError(space, n, result);
}

function rejectionSample(
  options: SampleFeasibleOptions,
  dedup: boolean,
  budget: number,
): SampleFeasibleResult {
  const { encoding, n, stride } = options;
  const space = encoding.searchSpace;
  const s = encoding.samplingDimension;
  const result: SampleFeasibleResult = { points: [], numDraws: 0, numInfeasible: 0, numDuplicates: 0 };
  const drawn = new Set<string>();
  while (result.points.length < n && result.numDraws < budget) {
    // Asking only for the points still missing means no accepted draw is ever thrown away.
    const m = Math.min(n - result.points.length, budget - result.numDraws);
    const U = options.draw(m);
    for (let i = 0; i < m; i++) {
      const drawIndex = result.numDraws++;
      const parameters = encoding.decodeFromUniform(U.subarray(i * stride, i * stride + s));
      if (!space.satisfiesConstraints(parameters)) {
        result.numInfeasible++;
        continue;
      }
      if (dedup) {
        const sig = armSignature(parameters);
        if (drawn.has(sig) || options.isTaken(sig)) {
          result.numDuplicates++;
          continue;
        }
        drawn.add(sig);
      }
      result.points.push({ parameters, drawIndex, pickedFromRemaining: false });
    }
  }
  return result;
}

function pickFromRemaining(
  options: SampleFeasibleOptions,
  enumerated: readonly EnumeratedPoint[],
  result: SampleFeasibleResult,
): void {
  const drawn = new Set(result.points.map((p) => armSignature(p.parameters)));
  const remaining = enumerated.filter((e) => !drawn.has(e.signature) && !options.isTaken(e.signature));
  while (result.points.length < options.n && remaining.length > 0) {
    const u = options.draw(1)[0] ?? 0;
    const k = Math.min(remaining.length - 1, Math.floor(u * remaining.length));
    const [picked] = remaining.splice(k, 1);
    result.points.push({
      parameters: { ...picked!.parameters },
      drawIndex: result.numDraws++,
      pickedFromRemaining: true,
    });
  }
}

function checkRemaining(
  space: SearchSpace,
  enumerated: readonly EnumeratedPoint[],
  n: number,
  isTaken: (signature: string) => boolean,
): void {
  if (enumerated.length === 0) {
    throw new ParameterConstraintError(
      `No point of the search space satisfies the parameter constraints (${describeConstraints(space)}); ` +
        "every one of its values was checked. Loosen or remove a constraint.",
    );
  }
  let free = 0;
  for (const e of enumerated) if (!isTaken(e.signature)) free++;
  if (free < n) {
    throw new SearchSpaceExhaustedError(
      `The search space has ${enumerated.length} feasible point(s) and ${enumerated.length - free} are already ` +
        `used by the experiment or pending, so ${n} new arm(s) cannot be proposed (${free} left). ` +
        "Widen the search space (more values, larger ranges) to keep exploring.",
    );
  }
}

function shortfallError(space: SearchSpace, n: number, r: SampleFeasibleResult): Error {
  const found = `found ${r.points.length} of ${n} after ${r.numDraws} draws`;
  if (r.numDuplicates > 0) {
    return new SearchSpaceExhaustedError(
      `The finite search space (${space.cardinality} points) looks (almost) exhausted: ${found}, ` +
        `${r.numDuplicates} of them repeating arms already used. Widen the search space to keep exploring.`,
    );
  }
  return new ParameterConstraintError(
    `The parameter constraints (${describeConstraints(space)}) leave (almost) no feasible region: ${found}, ` +
      `${r.numInfeasible} of them violating a constraint. Check that the constraints are compatible with ` +
      "each other and with the parameter bounds, or loosen them.",
  );
}

function describeConstraints(space: SearchSpace): string {
  return space.parameterConstraints.map((c) => c.toString()).join("; ") || "none";
}

/** Every feasible point of a finite search space, in lexicographic order of the parameters' values. */
function enumerateFeasible(encoding: SearchSpaceEncoding): EnumeratedPoint[] {
  const space = encoding.searchSpace;
  const cached = enumerations.get(space);
  if (cached) return cached;
  const names = space.parameterNames;
  const domains = names.map((name) => discreteValues(space, name));
  const points: EnumeratedPoint[] = [];
  const digits = names.map(() => 0);
  for (;;) {
    const parameters: Record<string, ParameterValue> = {};
    names.forEach((name, j) => {
      parameters[name] = domains[j]![digits[j]!]!;
    });
    if (space.satisfiesConstraints(parameters))
      points.push({ parameters, signature: armSignature(parameters) });
    // Odometer increment over the mixed-radix digits.
    let j = names.length - 1;
    while (j >= 0 && ++digits[j]! === domains[j]!.length) digits[j--] = 0;
    if (j < 0) break;
  }
  enumerations.set(space, points);
  return points;
}

function discreteValues(space: SearchSpace, name: string): readonly ParameterValue[] {
  const p = space.getParameter(name);
  if (p instanceof FixedParameter) return [p.value];
  if (p instanceof ChoiceParameter) return p.values;
  if (p instanceof RangeParameter && p.isDiscrete) {
    return Array.from({ length: p.upper - p.lower + 1 }, (_, i) => p.lower + i);
  }
  throw new SearchSpaceError(
    `Parameter "${name}" is continuous; only finite search spaces can be enumerated.`,
    {
      parameter: name,
    },
  );
}

/**
 * The `isTaken` of {@link sampleFeasible} for an experiment: an arm signature is taken when the
 * experiment already has an arm with it (in any trial, failed ones included) or a pending arm has it.
 */
export function takenSignatures(
  experiment: Pick<Experiment, "findArmBySignature">,
  pendingArms: readonly Arm[],
): (signature: string) => boolean {
  const pending = new Set(pendingArms.map((a) => a.signature));
  return (signature) => pending.has(signature) || experiment.findArmBySignature(signature) !== undefined;
}
