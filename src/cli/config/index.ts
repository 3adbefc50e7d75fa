/**
 * Experiment config files for the `ascent` command: load, check and resolve a YAML or JSON file into
 * what `ascent run` builds the experiment, runner, Scheduler options, strategy and store from.
 */
export type {
  CommandRunnerConfig,
  ExperimentConfigInput,
  FunctionRunnerConfig,
  GenerationStepConfig,
  ParameterConfig,
  QueueRunnerConfig,
  RunnerConfig,
  SchedulerConfig,
} from "./config-schema.js";
export { experimentConfigSchema } from "./config-schema.js";
export { createRunner, DEFAULT_WORK_DIR, type ResolvedRunnerConfig } from "./config-to-runner.js";
export { createGenerationStrategy, type StrategyConfig } from "./config-to-scheduler.js";
export { ExperimentConfig, type ExperimentConfigParts } from "./experiment-config.js";
export {
  CONFIG_SCHEMA_FILE,
  experimentConfigJsonSchema,
  experimentConfigJsonSchemaText,
} from "./json-schema.js";
export {
  configError,
  formatProblem,
  loadExperimentConfig,
  type ParseExperimentConfigOptions,
  parseExperimentConfig,
} from "./load-config.js";
export { DEFAULT_STORAGE_URL, resolveStorageUrl } from "./storage-url.js";
