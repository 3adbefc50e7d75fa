export {
  type FitMetricModelsOptions,
  fitMetricModels,
  type MetricModel,
  MetricModelFitter,
  type MetricModelFitterOptions,
  predictMetric,
} from "./bo/metric-models.js";
export {
  type BoTorchModelOptions,
  boTorchHyperparameters,
  boTorchModelOptions,
  boTorchOutcomeTransforms,
} from "./bo/warm-start.js";
export {
  BoTorchGenerator,
  type BoTorchGeneratorOptions,
  type BoTorchGeneratorState,
  boTorchGeneratorSpec,
} from "./bo-generator.js";
export {
  type ChooseGenerationStrategyOptions,
  chooseGenerationStrategy,
  DEFAULT_BAYESIAN_PARALLELISM,
  defaultNumInitializationTrials,
} from "./choose-generation-strategy.js";
export { GenerationStep, type GenerationStepOptions, type GenerationStepState } from "./generation-step.js";
export {
  GenerationStrategy,
  type GenerationStrategyGenArgs,
  type GenerationStrategyOptions,
  type GenerationStrategyState,
  type GenForTrialsArgs,
} from "./generation-strategy.js";
export {
  type GenerateArgs,
  type Generator,
  type GeneratorCreateOptions,
  type GeneratorSpec,
  isGenerator,
} from "./generator.js";
export {
  Generators,
  getGeneratorSpec,
  registeredGeneratorNames,
  registerGenerator,
  unregisterGenerator,
} from "./generators.js";
export {
  SobolGenerator,
  type SobolGeneratorOptions,
  type SobolGeneratorState,
  sobolGeneratorSpec,
} from "./sobol-generator.js";
export {
  type GeneratorSuggestion,
  MAX_ONE_HOT_ENCODINGS,
  profileSearchSpace,
  type SearchSpaceProfile,
  suggestGenerator,
} from "./suggest-generator.js";
export {
  UniformGenerator,
  type UniformGeneratorOptions,
  type UniformGeneratorState,
  uniformGeneratorSpec,
} from "./uniform-generator.js";
