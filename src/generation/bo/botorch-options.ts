import {
  DEFAULT_OUTCOME_TRANSFORMS,
  POWER_TRANSFORMS,
  type PowerTransformKind,
} from "../../adapter/outcome-transforms/index.js";
import { isJsonObject, type JsonValue } from "../../core/json.js";
import { GenerationStrategyError } from "../../errors.js";
import type { GpHyperparameters, GpPriorKind, InputWarping } from "../../numerics/gp/index.js";

/** The name under which the BoTorch generator is registered (and stored in strategy states). */
export const BOTORCH_GENERATOR_NAME = "BoTorch";

/** Options of the BoTorch generator, also accepted as `GenerationStep.generatorKwargs`. */
export interface BoTorchGeneratorOptions {
  /** Scrambled Sobol points on which the acquisition is evaluated to pick starts (default 512). */
  numRawSamples?: number;
  /** Local optimizations of the acquisition, from the best raw samples (default 8). */
  numStarts?: number;
  /** L-BFGS-B iterations per start (default 100). */
  maxIterations?: number;
  /**
   * Winsorization of each metric's bad tail before fitting (see `WinsorizeTransform`). "auto" (default):
   * Ax's automatic winsorization, Tukey's 1.5 interquartile ranges on each metric's bad side (an
   * objective's worse tail, a constraint's infeasible tail anchored at its bound), with magnitudes
   * capped at 1e150. true: only the outlier guard, which clips observations no model can use (values
   * beyond 1,000 interquartile ranges, the same caps) and never changes ordinary data. false: the
   * models see the raw data, and a step whose models cannot be fitted falls back to Sobol.
   */
  winsorize?: boolean | "auto";
  /**
   * Model each outcome-constraint metric on the bilog scale around its bound (default true; see
   * `BilogTransform`): the region near the bound keeps its detail, far values are compressed.
   */
  bilog?: boolean;
  /**
   * Model each objective through a power transform fitted to its data (default "auto"):
   * "yeo-johnson" (λ by maximum likelihood, see `YeoJohnsonTransform`) or "log" (of the objective on
   * its own scale, shifted when needed; see `LogTransform`). For objectives whose values span decades.
   * "auto" picks one of the two from the data at every fit (`choosePowerTransform`): the logarithm of
   * a positive loss whose values span a decade or more, Yeo-Johnson otherwise.
   */
  powerTransform?: PowerTransformKind;
  /**
   * The GPs' hyperparameter priors (default "lognormal": the dimension-scaled LogNormal on every
   * lengthscale of current BoTorch, no outputscale prior); "gamma": Ax 0.4.1's Gamma(3, 6) lengthscales
   * and Gamma(2, 0.15) outputscale. See docs/bayesian-optimization.md for their measurements.
   */
  gpPrior?: GpPriorKind;
  /**
   * Every k-th gen call of the generator (by its call count: calls k−1, 2k−1, ...) proposes its first
   * arm by Thompson sampling instead of the acquisition: the argmax of one joint posterior draw of the
   * objective on 512 scrambled Sobol points and perturbations of the best observed points (see
   * `thompsonCandidates`). Single objective without outcome constraints only; 0 (the default) never.
   */
  thompsonEvery?: number;
  /**
   * Half the acquisition optimizer's starts from the best raw samples, the other half spread (max-min
   * distance) among the best quarter (see `spreadStarts`); default false (all from the best raw samples).
   * Spaces of FLOAT parameters only; the discrete search keeps its starts.
   */
  spreadStarts?: boolean;
  /**
   * Boundary-aware candidate rule (see `applyBoundaryRule`): an acquisition optimum on a bound leads only
   * when the objective's mean increases outward there or its acquisition beats the best interior
   * candidate by this many log units; null (the default) turns the rule off. Spaces of FLOAT parameters
   * only.
   */
  edgeMargin?: number | null;
  /**
   * Random prior draws added to the start of a cold GP fit (one with no previous hyperparameters of its
   * metric: the first model-based step, or a state without them). null (the default): 2 up to 64
   * observations, none above (see `coldFitRestarts`).
   */
  coldFitRestarts?: number | null;
  /**
   * Random prior draws added to the warm start of every later GP fit (default 0: the previous
   * hyperparameters alone, one local run per fit).
   */
  warmFitRestarts?: number;
  /**
   * Warp every continuous input of the GPs (FLOAT, INT and ordered-choice columns of the unit cube, not
   * one-hot columns) through a Kumaraswamy CDF whose two concentrations per input are fitted with the
   * other hyperparameters, as BoTorch's `Warp` input transform (see `fitGp`'s `warpedDimensions`): for
   * parameters whose effect is concentrated near a bound. Default false.
   */
  inputWarping?: boolean;
  /**
   * Hyperparameter sampling: 0 (the default) uses each metric's MAP GP; k in 2..64 also draws k samples
   * of every metric's hyperparameters from their posterior (a slice sampler started at the MAP, see
   * `sampleGpHyperparameters`) and averages the acquisition over them on the log scale (see
   * `EnsembleAcquisition`), at about k times the cost of a step. Single objective only; Thompson steps
   * keep the MAP model. See "Hyperparameter sampling" in docs/bayesian-optimization.md.
   */
  hyperparameterSamples?: number;
}

/** The options with their defaults filled in. */
export const DEFAULT_BOTORCH_OPTIONS: Required<BoTorchGeneratorOptions> = {
  numRawSamples: 512,
  numStarts: 8,
  maxIterations: 100,
  ...DEFAULT_OUTCOME_TRANSFORMS,
  gpPrior: "lognormal",
  thompsonEvery: 0,
  spreadStarts: false,
  edgeMargin: null,
  coldFitRestarts: null,
  warmFitRestarts: 0,
  inputWarping: false,
  hyperparameterSamples: 0,
};

/** Serialized state of the BoTorch generator. */
export interface BoTorchGeneratorState {
  seed: number;
  /** Number of `gen` calls so far; seeds of a call derive from it. */
  numGenerated: number;
  /** Hyperparameters of each metric's last GP (warm start of the next fit). */
  hyperparameters: Record<string, GpHyperparameters>;
}

const COUNT_KEYS = ["numRawSamples", "numStarts", "maxIterations"] as const;

/**
 * Generator kwargs, checked.
 * @throws GenerationStrategyError for an unknown key, a count that is not a positive integer, a
 * `winsorize` that is neither a boolean nor "auto", a `bilog`, `spreadStarts` or `inputWarping` that is
 * not a boolean, a `powerTransform` that is not one of "none", "yeo-johnson", "log", "auto", a `thompsonEvery` that is not a
 * non-negative integer, an `edgeMargin` that is not null or a finite number ≥ 0, fit restarts
 * (`coldFitRestarts`, `warmFitRestarts`) that are not integers from 0 to 64 (null too for the cold ones), or a
 * `hyperparameterSamples` that is not 0 or an integer from 2 to 64.
 */
export function parseBoTorchOptions(options: Readonly<Record<string, JsonValue>>): BoTorchGeneratorOptions {
  const out: BoTorchGeneratorOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === "winsorize" || key === "bilog" || key === "powerTransform") {
      parseTransformOption(key, value, out);
      continue;
    }
    if (key === "gpPrior" && (value === "lognormal" || value === "gamma")) {
      out.gpPrior = value;
      continue;
    }
    if (key === "spreadStarts" && typeof value === "boolean") {
      out.spreadStarts = value;
      continue;
    }
    if (key === "inputWarping" && typeof value === "boolean") {
      out.inputWarping = value;
      continue;
    }
    if (key === "thompsonEvery" && typeof value === "number" && Number.isInteger(value) && value >= 0) {
      out.thompsonEvery = value;
      continue;
    }
    if (
      key === "edgeMargin" &&
      (value === null || (typeof value === "number" && value >= 0 && Number.isFinite(value)))
    ) {
      out.edgeMargin = value;
      continue;
    }
    if (key === "coldFitRestarts" || key === "warmFitRestarts") {
      parseFitRestarts(key, value, out);
      continue;
    }
    if (key === "hyperparameterSamples") {
      out.hyperparameterSamples = parseHyperparameterSamples(value);
      continue;
    }
    const known = (COUNT_KEYS as readonly string[]).includes(key);
    if (!known || typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new GenerationStrategyError(
        `Invalid BoTorch generator option ${key}=${JSON.stringify(value)}: accepted are ${COUNT_KEYS.join(", ")} ` +
          '(positive integers), winsorize (boolean or "auto"), bilog, spreadStarts and inputWarping (booleans), ' +
          'powerTransform ("none", "yeo-johnson", "log", "auto"), thompsonEvery (an integer ≥ 0), gpPrior ("lognormal" or "gamma"), edgeMargin ' +
          "(null or a number ≥ 0), coldFitRestarts (null or an integer ≥ 0), warmFitRestarts (an integer ≥ 0) " +
          "and hyperparameterSamples (0 or an integer from 2 to 64).",
      );
    }
    out[key as (typeof COUNT_KEYS)[number]] = value;
  }
  return out;
}

/** The largest number of random restarts a GP fit accepts: each one is a full local optimization. */
const MAX_FIT_RESTARTS = 64;

/** `coldFitRestarts` (null or an integer ≥ 0) or `warmFitRestarts` (an integer ≥ 0) into `out`, checked. */
function parseFitRestarts(
  key: "coldFitRestarts" | "warmFitRestarts",
  value: JsonValue,
  out: BoTorchGeneratorOptions,
): void {
  if (key === "coldFitRestarts" && value === null) {
    out.coldFitRestarts = null;
    return;
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_FIT_RESTARTS) {
    const accepted = key === "coldFitRestarts" ? "null (automatic) or an integer" : "an integer";
    throw new GenerationStrategyError(
      `Invalid BoTorch generator option ${key}=${JSON.stringify(value)}: accepted is ${accepted} from 0 to ` +
        `${MAX_FIT_RESTARTS}; fix the generator kwargs of the BoTorch generation step.`,
    );
  }
  out[key] = value;
}

/** Most posterior draws of `hyperparameterSamples`: each one costs a GP and an acquisition per step. */
export const MAX_HYPERPARAMETER_SAMPLES = 64;

/**
 * `hyperparameterSamples`, checked: 0 (MAP only) or an integer from 2 to 64 (one draw would be a
 * single random model, not an average).
 * @throws GenerationStrategyError otherwise.
 */
function parseHyperparameterSamples(value: JsonValue): number {
  const ok =
    typeof value === "number" &&
    Number.isInteger(value) &&
    (value === 0 || (value >= 2 && value <= MAX_HYPERPARAMETER_SAMPLES));
  if (!ok) {
    throw new GenerationStrategyError(
      `Invalid BoTorch generator option hyperparameterSamples=${JSON.stringify(value)}: accepted are 0 ` +
        `(the MAP model) or an integer from 2 to ${MAX_HYPERPARAMETER_SAMPLES} (posterior draws per ` +
        "metric model); fix the generator kwargs of the BoTorch generation step.",
    );
  }
  return value;
}

/** One outcome-transform option into `out`, checked. */
function parseTransformOption(
  key: "winsorize" | "bilog" | "powerTransform",
  value: JsonValue,
  out: BoTorchGeneratorOptions,
): void {
  if (key === "winsorize" && (typeof value === "boolean" || value === "auto")) {
    out.winsorize = value;
  } else if (key === "bilog" && typeof value === "boolean") {
    out.bilog = value;
  } else if (key === "powerTransform" && (POWER_TRANSFORMS as readonly JsonValue[]).includes(value)) {
    out.powerTransform = value as PowerTransformKind;
  } else {
    const accepted = {
      winsorize: 'true, false or "auto"',
      bilog: "true or false",
      powerTransform: POWER_TRANSFORMS.map((p) => JSON.stringify(p)).join(", "),
    }[key];
    throw new GenerationStrategyError(
      `Invalid BoTorch generator option ${key}=${JSON.stringify(value)}: accepted values are ${accepted}; ` +
        "fix the generator kwargs of the BoTorch generation step.",
    );
  }
}

/**
 * A saved generator state, checked; malformed hyperparameters of a metric are dropped (its next fit
 * then starts cold).
 * @throws GenerationStrategyError when the state is not `{ seed, numGenerated, hyperparameters }`.
 */
export function parseBoTorchState(state: JsonValue): BoTorchGeneratorState {
  if (
    isJsonObject(state) &&
    typeof state.seed === "number" &&
    typeof state.numGenerated === "number" &&
    Number.isInteger(state.numGenerated) &&
    state.numGenerated >= 0 &&
    isJsonObject(state.hyperparameters)
  ) {
    const hyperparameters: Record<string, GpHyperparameters> = {};
    for (const [name, h] of Object.entries(state.hyperparameters)) {
      const parsed = parseHyperparameters(h);
      if (parsed) hyperparameters[name] = parsed;
    }
    return { seed: state.seed, numGenerated: state.numGenerated, hyperparameters };
  }
  throw new GenerationStrategyError(
    `Invalid BoTorch generator state ${JSON.stringify(state)}: expected { seed, numGenerated, hyperparameters }.`,
  );
}

/** The state's JSON form. */
export function serializeBoTorchState(
  seed: number,
  numGenerated: number,
  hyperparameters: ReadonlyMap<string, GpHyperparameters>,
): JsonValue {
  const out: Record<string, JsonValue> = {};
  for (const [name, h] of hyperparameters) {
    out[name] = {
      lengthscales: [...h.lengthscales],
      outputscale: h.outputscale,
      constantMean: h.constantMean,
      noiseVariance: h.noiseVariance,
    };
    const w = h.inputWarping;
    if (w != null) out[name].inputWarping = { dimensions: [...w.dimensions], a: [...w.a], b: [...w.b] };
  }
  return { seed, numGenerated, hyperparameters: out };
}

/**
 * Hyperparameters from JSON, or null when malformed (the next fit then starts cold). `inputWarping` is
 * optional (states saved without it load unwarped); a malformed one makes the whole entry malformed.
 */
function parseHyperparameters(h: JsonValue | undefined): GpHyperparameters | null {
  if (!isJsonObject(h) || !Array.isArray(h.lengthscales)) return null;
  const lengthscales = h.lengthscales.filter((v): v is number => typeof v === "number");
  const { outputscale, constantMean, noiseVariance } = h;
  if (
    lengthscales.length !== h.lengthscales.length ||
    typeof outputscale !== "number" ||
    typeof constantMean !== "number" ||
    (noiseVariance !== null && typeof noiseVariance !== "number")
  ) {
    return null;
  }
  if (h.inputWarping === undefined || h.inputWarping === null) {
    return { lengthscales, outputscale, constantMean, noiseVariance };
  }
  const inputWarping = parseInputWarping(h.inputWarping, lengthscales.length);
  return inputWarping && { lengthscales, outputscale, constantMean, noiseVariance, inputWarping };
}

/** A saved input warping, or null unless it warps increasing dimensions below d with positive a and b. */
function parseInputWarping(w: JsonValue, d: number): InputWarping | null {
  if (!isJsonObject(w)) return null;
  const numbers = (v: JsonValue | undefined): number[] | null =>
    Array.isArray(v) && v.every((e) => typeof e === "number" && Number.isFinite(e)) ? (v as number[]) : null;
  const dimensions = numbers(w.dimensions);
  const a = numbers(w.a);
  const b = numbers(w.b);
  if (dimensions === null || a === null || b === null) return null;
  const ok =
    a.length === dimensions.length &&
    b.length === dimensions.length &&
    dimensions.every(
      (i, k) => Number.isInteger(i) && i >= 0 && i < d && (k === 0 || i > dimensions[k - 1]!),
    ) &&
    [...a, ...b].every((v) => v > 0);
  return ok ? { dimensions: [...dimensions], a: [...a], b: [...b] } : null;
}

/** A 32-bit seed from the generator seed, the call number and a purpose. */
export function mixSeed(seed: number, call: number, salt: number): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (call + 0x632be59b), 0xc2b2ae35);
  h = Math.imul(h ^ (salt + 0x27d4eb2f), 0x165667b1);
  return (h ^ (h >>> 15)) >>> 0;
}
