export {
  type CholeskyOptions,
  type CholeskyResult,
  cholesky,
  choleskyInPlace,
  forwardSolveFourRows,
} from "./cholesky.js";
export { choleskyAppend } from "./cholesky-append.js";
export {
  type CholeskyInverseOptions,
  choleskyInverse,
  choleskySolve,
  choleskySolveInPlace,
  logDetFromCholesky,
} from "./cholesky-solve.js";
export { dot, gramLower, matMul, matVec, symmetricFromLower, transpose } from "./dense.js";
export { simdCholeskyInPlace, simdCholeskyInverseLower } from "./simd-cholesky.js";
export { SimdDotKernel } from "./simd-dot-kernel.js";
export { simdSolveLowerRows } from "./simd-triangular-solve.js";
export {
  solveLowerTriangular,
  solveLowerTriangularInPlace,
  solveUpperTriangularTransposed,
  solveUpperTriangularTransposedInPlace,
} from "./triangular-solve.js";
