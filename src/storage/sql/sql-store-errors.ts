import { ExperimentExistsError, StorageError } from "../../errors.js";

/** Creating an experiment whose name is taken. @internal */
export function experimentExistsError(name: string, path: string): ExperimentExistsError {
  return new ExperimentExistsError(
    `An experiment named "${name}" is already stored at ${path}; nothing was written. Load it to resume ` +
      "it, delete it to start over, or choose another name.",
    { experimentName: name, path },
  );
}

/** Saving parts of an experiment that was never saved. @internal */
export function notSavedError(name: string, path: string): StorageError {
  return new StorageError(`Experiment "${name}" was never saved to ${path}; call saveExperiment first.`, {
    path,
  });
}

/** A write to a store opened read-only. @internal */
export function readOnlyError(action: string, path: string): StorageError {
  return new StorageError(
    `${action}: the store ${path} is open read-only (its file or directory cannot be written), so nothing ` +
      "can be saved there. Load and read it only, or copy it somewhere writable.",
    { path },
  );
}
