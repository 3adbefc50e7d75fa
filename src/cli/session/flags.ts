import { type Command, InvalidArgumentError } from "commander";
import { addStorageOption } from "../storage-option.js";

/**
 * Adds the flags every running command takes: `--storage`, `--quiet`, `--verbose`. Kept free of heavy
 * imports: command files register at start-up, and `ascent --help` must stay fast.
 */
export function addRunFlags(command: Command): Command {
  return addStorageOption(command)
    .option("-q, --quiet", "print no progress, only the result and errors")
    .option("--verbose", "print every trial event and the Scheduler's log");
}

/** Parses a positive integer flag value. @throws InvalidArgumentError otherwise. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected an integer ≥ 1.");
  return n;
}

/** Parses a number of seconds ≥ 0. @throws InvalidArgumentError otherwise. */
export function nonNegativeSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number of seconds ≥ 0.");
  return n;
}

/** Parses `min,max` milliseconds. @throws InvalidArgumentError otherwise. */
export function msRange(value: string): { minMs: number; maxMs: number } {
  const [min, max] = value.split(",").map(Number);
  if (min === undefined || max === undefined || !(min >= 0) || !(max >= min)) {
    throw new InvalidArgumentError("expected min,max in milliseconds, e.g. 10,50.");
  }
  return { minMs: min, maxMs: max };
}
