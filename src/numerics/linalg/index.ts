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
export {
  solveLowerTriangular,
  solveLowerTriangularInPlace,
  solveUpperTriangularTransposed,
  solveUpperTriangularTransposedInPlace,
} from "./triangular-solve.js";
