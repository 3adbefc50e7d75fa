export {
  blockedCholeskyInPlace,
  blockedInverseLower,
  type FourByTwoDots,
  ScalarDots,
  solveLowerRows,
} from "./block-dots.js";
export { type CholeskyOptions, type CholeskyResult, cholesky, choleskyInPlace } from "./cholesky.js";
export { choleskyAppend } from "./cholesky-append.js";
export {
  type CholeskyInverseOptions,
  choleskyInverse,
  choleskySolve,
  choleskySolveInPlace,
  logDetFromCholesky,
} from "./cholesky-solve.js";
export { dot, gramLower, matMul, matVec, symmetricFromLower, transpose } from "./dense.js";
export { backSolveUnrolled, dotUnrolled, forwardSolveUnrolled } from "./row-solves.js";
export { smallCholeskyInPlace, smallCholeskySolveInPlace } from "./small-cholesky.js";
export {
  solveLowerTriangular,
  solveLowerTriangularInPlace,
  solveUpperTriangularTransposed,
  solveUpperTriangularTransposedInPlace,
} from "./triangular-solve.js";
