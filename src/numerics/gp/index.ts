export { backendFor, SIMD_MIN_EXCLUSIVE_OBSERVATIONS } from "./compute-backend.js";
export {
  computeOutcomeTransform,
  type GpDataset,
  MIN_FIXED_NOISE,
  type OutcomeTransform,
} from "./dataset.js";
export {
  coldFitRestarts,
  DEFAULT_REFINE_ITERATIONS,
  DEFAULT_SUBSET_SIZE,
  type FitGpInput,
  type FitGpOptions,
  fitGp,
  LARGE_FIT_OBSERVATIONS,
} from "./fit.js";
export { type CreateGpInput, createGp, type GpFitDiagnostics, GpModel } from "./gp-model.js";
export {
  DEFAULT_HYPERPARAMETER_BURN_IN,
  DEFAULT_HYPERPARAMETER_THIN,
  type SampleGpHyperparametersInput,
  sampleGpHyperparameters,
} from "./hyperparameter-samples.js";
export {
  GAMMA_PRIORS,
  GP_BOUNDS,
  type GpHyperparameters,
  type GpPriorKind,
  lengthscalePrior,
  NOISE_PRIOR,
} from "./hyperparameters.js";
export {
  type InputWarping,
  kumaraswamyWarp,
  WARP_BOUNDS,
  WARP_EPSILON,
  WARP_PRIOR,
} from "./input-warping.js";
export {
  matern52Cross,
  matern52CrossGradient,
  matern52DLogLengthscale,
  matern52LengthscaleTraces,
  matern52Matrix,
  scaleInputs,
} from "./kernel.js";
export { type CovarianceKernel, DEFAULT_KERNEL, matern32, matern52, rbf } from "./kernels/index.js";
export { type LeaveOneOutPredictions, leaveOneOut } from "./leave-one-out.js";
export { type LikelihoodValue, MarginalLikelihood } from "./marginal-likelihood.js";
export { type NoiseEvidenceData, noiseLikelihoodGain } from "./noise-evidence.js";
export {
  type JointPosterior,
  MIN_VARIANCE,
  type PosteriorMarginals,
  type PosteriorWithGradient,
  type PredictOptions,
} from "./posterior.js";
export { type JointPosteriorSource, samplePosteriorJointly, thompsonOrder } from "./posterior-sample.js";
