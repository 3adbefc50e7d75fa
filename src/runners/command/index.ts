/** Runs each trial as one process: `CommandRunner`, and `executeCommandTrial` for workers. */
export { type ArgvTemplate, formatArgValue, parseArgvTemplate, renderArgv } from "./argv-template.js";
export { type CommandOptions, DEFAULT_KILL_GRACE_SECONDS } from "./command-options.js";
export type { CommandRunMetadata } from "./command-run-metadata.js";
export { CommandRunner, type CommandRunnerOptions } from "./command-runner.js";
export type { CommandTrialOutcome } from "./command-trial.js";
export { type CommandTrialSpec, executeCommandTrial } from "./execute-command-trial.js";
export { safePathSegment, trialDirectory } from "./trial-dir.js";
