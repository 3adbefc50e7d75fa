export type { CovarianceKernel } from "./covariance-kernel.js";
export { DEFAULT_KERNEL } from "./default-kernel.js";
export {
  covarianceMatrixScaled,
  crossCovarianceScaled,
  crossWithRadialScaled,
  lengthscaleDerivativeScaled,
  lengthscaleTracesScaled,
  scaleInputs,
} from "./kernel-matrices.js";
export { matern32 } from "./matern32.js";
export { matern52 } from "./matern52.js";
export { rbf } from "./rbf.js";
