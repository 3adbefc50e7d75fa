/**
 * Configurations of `npm run bench -- bo-suite`: a name → the BoTorch generator's `generatorKwargs`.
 * The harness passes the kwargs through untouched, so any option the generator accepts can be tried
 * (`--config-json name='{"numStarts":16}'`) and compared with the defaults in the same table.
 *
 * Two names are not BoTorch kwargs: `sobol` (Sobol for the whole budget) and `tpe` (Optuna's TPE, read
 * from scripts/bo-suite-optuna.json, never run by Node).
 */
import type { JsonValue } from "../../src/index.js";

export type GeneratorKwargs = Readonly<Record<string, JsonValue>>;

/** A configuration the harness can run. */
export type SuiteConfig =
  | { name: string; kind: "botorch"; kwargs: GeneratorKwargs }
  | { name: "sobol"; kind: "sobol" };

/** Named BoTorch configurations; `default` is the product's defaults (no kwargs). */
export const BOTORCH_CONFIGS: Readonly<Record<string, GeneratorKwargs>> = {
  default: {},
  /** More local optimizations of the acquisition (the default is 8). */
  "starts-16": { numStarts: 16 },
};

/** The name of the Optuna reference, whose figures come from its committed JSON. */
export const TPE = "tpe";

/**
 * The runnable configuration of a name, with ad-hoc ones from `--config-json` taking precedence.
 * @throws Error for an unknown name, listing the known ones.
 */
export function configByName(
  name: string,
  adHoc: Readonly<Record<string, GeneratorKwargs>> = {},
): SuiteConfig {
  if (name === "sobol") return { name, kind: "sobol" };
  const kwargs = adHoc[name] ?? BOTORCH_CONFIGS[name];
  if (kwargs === undefined) {
    const known = ["sobol", TPE, ...Object.keys(BOTORCH_CONFIGS), ...Object.keys(adHoc)];
    throw new Error(
      `Unknown configuration ${name} in --configs; known: ${known.join(", ")}. ` +
        `Define a new one with --config-json ${name}='{"numStarts":16}'.`,
    );
  }
  return { name, kind: "botorch", kwargs };
}

/**
 * Parses `--config-json name={...}` arguments (the flag may repeat).
 * @throws Error when an argument is not `name=<JSON object>`.
 */
export function parseConfigJson(args: readonly string[]): Record<string, GeneratorKwargs> {
  const out: Record<string, GeneratorKwargs> = {};
  args.forEach((arg, i) => {
    if (arg !== "--config-json") return;
    const spec = args[i + 1] ?? "";
    const eq = spec.indexOf("=");
    const name = spec.slice(0, eq);
    let kwargs: unknown;
    try {
      kwargs = JSON.parse(spec.slice(eq + 1));
    } catch {
      kwargs = undefined;
    }
    if (
      eq <= 0 ||
      typeof kwargs !== "object" ||
      kwargs === null ||
      Array.isArray(kwargs) ||
      name === "sobol" ||
      name === TPE
    )
      throw new Error(
        `--config-json ${spec}: expected name='{"option":value}' with a JSON object and a name other than sobol and tpe, ` +
          `e.g. --config-json starts16='{"numStarts":16}'.`,
      );
    out[name] = kwargs as GeneratorKwargs;
  });
  return out;
}
