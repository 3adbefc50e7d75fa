import { ChoiceParameter } from "../core/choice-parameter.js";
import { FixedParameter } from "../core/fixed-parameter.js";
import type { OptimizationConfig } from "../core/optimization-config.js";
import { ParameterType } from "../core/parameter-type.js";
import { RangeParameter } from "../core/range-parameter.js";
import type { SearchSpace } from "../core/search-space.js";
import { boTorchLimitation } from "./bo/limitations.js";

/**
 * Below this many values of unordered choice parameters, one-hot encoding them next to at least one
 * ordered parameter is still worth modelling (Ax's `MAX_ONE_HOT_ENCODINGS_CONTINUOUS_OPTIMIZATION`).
 */
export const MAX_ONE_HOT_ENCODINGS = 33;

/** Which kind of generator suits a problem, and why (a clause that completes "because ..."). */
export type GeneratorSuggestion =
  | { readonly kind: "bayesian"; readonly reason: string }
  | { readonly kind: "sobol"; readonly reason: string };

/** The parameter counts the suggestion rests on. */
export interface SearchSpaceProfile {
  /** Searched (non-fixed) parameters. */
  readonly numTunable: number;
  /** Range parameters, ordered choices, and unordered choices of at most 2 values. */
  readonly numOrdered: number;
  /** Total values of the unordered choice parameters with more than 2 values (their one-hot columns). */
  readonly numUnorderedValues: number;
  /** Distinct points when no parameter is a FLOAT range (constraints ignored); Infinity otherwise. */
  readonly numPossiblePoints: number;
}

/** Counts what {@link suggestGenerator} decides on. */
export function profileSearchSpace(searchSpace: SearchSpace): SearchSpaceProfile {
  let numTunable = 0;
  let numOrdered = 0;
  let numUnorderedValues = 0;
  let numPossiblePoints = 1;
  for (const p of searchSpace.parameters.values()) {
    if (p instanceof FixedParameter) continue;
    numTunable++;
    if (p instanceof ChoiceParameter) {
      numPossiblePoints *= p.cardinality;
      // Two values one-hot encode to a single degree of freedom: as good as ordered (as in Ax).
      if (!p.isOrdered && p.cardinality > 2) numUnorderedValues += p.cardinality;
      else numOrdered++;
    } else if (p instanceof RangeParameter) {
      numOrdered++;
      numPossiblePoints *= p.parameterType === ParameterType.INT ? p.cardinality : Number.POSITIVE_INFINITY;
    }
  }
  return { numTunable, numOrdered, numUnorderedValues, numPossiblePoints };
}

/**
 * Whether Bayesian optimization (the BoTorch generator after quasi-random initialization) suits a
 * problem, or quasi-random search alone does; Ax's `_suggest_gp_model` without its mixed-kernel branch,
 * which Ascent does not have. In order:
 *
 * 1. Sobol when `numTrials` is known, no parameter is a FLOAT range, and every point of the search
 *    space fits in the budget (it can simply be enumerated).
 * 2. Sobol when no parameter is searched (every one is fixed).
 * 3. Sobol when the BoTorch generator cannot handle the optimization config: an outcome constraint
 *    or objective threshold relative to a status quo the experiment does not have (several
 *    objectives are fine: ParEGO; relative bounds are fine with a status quo).
 * 4. Bayesian optimization when the ordered parameters (ranges, ordered choices, two-valued choices)
 *    are at least as many as the values of the other unordered choices, or when there is at least one
 *    ordered parameter and fewer than {@link MAX_ONE_HOT_ENCODINGS} such values: the model one-hot
 *    encodes unordered choices, which only pays off while they do not dominate the space.
 * 5. Sobol otherwise: the space is dominated by unordered choices.
 */
export function suggestGenerator(
  searchSpace: SearchSpace,
  options: {
    numTrials?: number | null;
    optimizationConfig?: OptimizationConfig | null;
    /** Whether a status quo exists to measure relative bounds against. */
    hasStatusQuo?: boolean;
  } = {},
): GeneratorSuggestion {
  const profile = profileSearchSpace(searchSpace);
  const { numTunable, numOrdered, numUnorderedValues, numPossiblePoints } = profile;
  const numTrials = options.numTrials ?? null;
  if (numTrials !== null && numPossiblePoints <= numTrials) {
    return sobol(
      `the search space has ${numPossiblePoints} points, which the budget of ${numTrials} trials can enumerate`,
    );
  }
  if (numTunable === 0) return sobol("every parameter of the search space is fixed");
  const unsupported = boTorchLimitation(options.optimizationConfig ?? null, options.hasStatusQuo === true);
  if (unsupported !== null) return sobol(unsupported);
  if (numUnorderedValues === 0) {
    return bayesian(
      numTunable === 1
        ? "its one tunable parameter is ordered"
        : `all ${numTunable} tunable parameters are ordered`,
    );
  }
  const counts =
    `${plural(numOrdered, "ordered parameter")} and ` +
    `${plural(numUnorderedValues, "value")} of unordered choice parameters`;
  if (numOrdered >= numUnorderedValues) {
    return bayesian(`there are ${counts}: the ordered parameters are at least as many`);
  }
  if (numOrdered > 0 && numUnorderedValues < MAX_ONE_HOT_ENCODINGS) {
    return bayesian(
      `there are ${counts}: at least one ordered parameter and fewer than ${MAX_ONE_HOT_ENCODINGS} ` +
        "unordered values to one-hot encode",
    );
  }
  return sobol(
    `the search space is dominated by unordered choice parameters (${counts}; Bayesian optimization ` +
      `needs at least one ordered parameter and fewer than ${MAX_ONE_HOT_ENCODINGS} unordered values, ` +
      "or more ordered parameters than unordered values). Mark ordered choices isOrdered: true, use " +
      "range parameters for numeric ones, or drop some unordered choices to get Bayesian optimization",
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function sobol(reason: string): GeneratorSuggestion {
  return { kind: "sobol", reason };
}

function bayesian(reason: string): GeneratorSuggestion {
  return { kind: "bayesian", reason };
}
