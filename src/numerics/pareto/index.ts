/**
 * Pareto fronts of outcome vectors, all in the maximization convention (negate a minimized objective):
 * non-dominated filtering, exact hypervolume with respect to a reference point, and Ax's inference of a
 * reference point from an observed front when no objective thresholds are given.
 */
export { hypervolume } from "./hypervolume.js";
export { dominates, nonDominatedIndices, nonDominatedMask } from "./non-dominated.js";
export { type InferReferencePointOptions, inferReferencePoint } from "./reference-point.js";
