/** test/fixtures/stats-reference.json (scripts/fixtures/stats-reference.py) and comparison helpers. */
import { readFileSync } from "node:fs";

/** A fixture number: non-finite values are stored as the strings "Infinity", "-Infinity", "NaN". */
export type FixtureNumber = number | string;

interface ScipyReference {
  x: number[];
  ndtr: FixtureNumber[];
  logNdtr: FixtureNumber[];
  normPdf: FixtureNumber[];
  normLogPdf: FixtureNumber[];
  erf: FixtureNumber[];
  erfc: FixtureNumber[];
  erfcxX: number[];
  erfcx: FixtureNumber[];
  p: number[];
  ndtri: FixtureNumber[];
  softplusX: number[];
  softplus: FixtureNumber[];
  expit: FixtureNumber[];
  logsumexp: { values: FixtureNumber[]; result: FixtureNumber }[];
}

/** mpmath at 80 digits, rounded once to double. */
interface ExactReference {
  x: number[];
  ndtr: FixtureNumber[];
  logNdtr: FixtureNumber[];
  normPdf: FixtureNumber[];
  erf: FixtureNumber[];
  erfc: FixtureNumber[];
  erfcx: FixtureNumber[];
  inverseMills: FixtureNumber[];
  p: number[];
  ndtri: FixtureNumber[];
  z: number[];
  logH: FixtureNumber[];
  dLogH: FixtureNumber[];
  log1mexpX: number[];
  log1mexp: FixtureNumber[];
}

export const statsReference = JSON.parse(
  readFileSync(new URL("../../fixtures/stats-reference.json", import.meta.url), "utf8"),
) as { scipy: ScipyReference; exact: ExactReference };

export const toNumber = (v: FixtureNumber): number => (typeof v === "string" ? Number(v) : v);

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Relative error |a − b|/|b|; 0 when a and b are identical (also ±Infinity), and 0 when both are below the
 * smallest normal number: subnormals carry fewer than 53 significant bits, and scipy flushes them to zero
 * (ndtr(−38) = 0 there, 2.9e-316 here).
 */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (Math.abs(actual) < MIN_NORMAL && Math.abs(expected) < MIN_NORMAL) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Largest relative error of fn over the grid, with the argument where it occurs (for failure messages). */
export function worstRelativeError(
  args: readonly number[],
  expected: readonly FixtureNumber[],
  fn: (x: number) => number,
): { error: number; at: number; actual: number; expected: number } {
  let worst = { error: 0, at: Number.NaN, actual: Number.NaN, expected: Number.NaN };
  args.forEach((x, i) => {
    const e = toNumber(expected[i]!);
    const a = fn(x);
    const error = Number.isNaN(e) && Number.isNaN(a) ? 0 : relativeError(a, e);
    if (!(error <= worst.error)) worst = { error, at: x, actual: a, expected: e };
  });
  return worst;
}

/** Central difference (f(x + h) − f(x − h))/(2h). */
export function centralDifference(f: (x: number) => number, x: number, h: number): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}
