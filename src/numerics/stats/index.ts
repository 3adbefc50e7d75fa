export { erf, erfc, erfcx } from "./error-function.js";
export { dLogH, logH } from "./log-h.js";
export { log1mexp, logsumexp, sigmoid, softplus } from "./log-space.js";
export {
  logNormalCdf,
  logNormalCdfDerivative,
  logNormalPdf,
  normalCdf,
  normalPdf,
} from "./normal.js";
export { normalQuantile } from "./normal-quantile.js";
export { quantileOfSorted } from "./quantile.js";
export { averageRanks, pearsonCorrelation, spearmanCorrelation } from "./rank-correlation.js";
export { type SliceSampleOptions, type SliceSampleResult, sliceSample } from "./slice-sampler.js";
export {
  fitYeoJohnsonLambda,
  YEO_JOHNSON_LAMBDA_RANGE,
  yeoJohnson,
  yeoJohnsonDerivative,
  yeoJohnsonImage,
  yeoJohnsonInverse,
  yeoJohnsonLogLikelihood,
} from "./yeo-johnson.js";
