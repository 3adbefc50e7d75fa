import { ExperimentExistsError, ExperimentLockedError, StorageError } from "../errors.js";

/*
 * The errors every store raises for the same situations, worded once: `path` is where a SQL store
 * lives; without one the store is the process's MemoryStore.
 */
const MEMORY = "this MemoryStore";

/** Creating an experiment whose name is taken. @internal */
export function experimentExistsError(name: string, path?: string): ExperimentExistsError {
  return new ExperimentExistsError(
    `An experiment named "${name}" is already stored ${path === undefined ? `in ${MEMORY}` : `at ${path}`}; ` +
      "nothing was written. Load it to resume it, delete it to start over, or choose another name.",
    { experimentName: name, ...(path === undefined ? {} : { path }) },
  );
}

/** Saving parts of an experiment that was never saved. @internal */
export function notSavedError(name: string, path?: string): StorageError {
  return new StorageError(
    `Experiment "${name}" was never saved to ${path ?? MEMORY}; call saveExperiment first.`,
    path === undefined ? {} : { path },
  );
}

/** The error for a lease held by another Scheduler. @internal */
export function lockedError(
  name: string,
  owner: string,
  expiresAt: number,
  path?: string,
): ExperimentLockedError {
  return new ExperimentLockedError(
    `Experiment "${name}" is being run by another Scheduler (${owner}) until ` +
      `${new Date(expiresAt).toISOString()}. Stop that Scheduler first, or wait for its lease to expire.`,
    { experimentName: name, owner, expiresAt, ...(path === undefined ? {} : { path }) },
  );
}

/** A write to a store opened read-only. @internal */
export function readOnlyError(action: string, path: string): StorageError {
  return new StorageError(
    `${action}: the store ${path} is open read-only (its file or directory cannot be written), so nothing ` +
      "can be saved there. Load and read it only, or copy it somewhere writable.",
    { path },
  );
}
