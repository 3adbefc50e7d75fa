import {
  AscentError,
  ConfigError,
  ExperimentExistsError,
  ExperimentLockedError,
  ExperimentNotFoundError,
  StorageError,
} from "../../errors.js";
import { RUN_FAILED_EXIT_CODE, STORAGE_EXIT_CODE, USAGE_EXIT_CODE } from "../cli-context.js";

/**
 * The exit code for an error a command ends with: a config with problems, an experiment name that is
 * taken or not stored, or an experiment another process runs now, are usage errors (2); other storage errors mean the store is unreachable or
 * refused (3); any other error of the library during a run (too many failed trials, a strategy that
 * cannot generate) means the run failed (1).
 * @returns the code, or null for an error that is not the library's (a bug: thrown, with its stack).
 * @example exitCodeOf(new StorageError("connection refused")) // 3
 */
export function exitCodeOf(error: unknown): number | null {
  const usage = [ConfigError, ExperimentExistsError, ExperimentLockedError, ExperimentNotFoundError];
  if (usage.some((kind) => error instanceof kind)) return USAGE_EXIT_CODE;
  if (error instanceof StorageError) return STORAGE_EXIT_CODE;
  if (error instanceof AscentError) return RUN_FAILED_EXIT_CODE;
  return null;
}
