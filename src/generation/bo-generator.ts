import { takenSignatures } from "../adapter/feasible-sampler.js";
import { buildMetricDatasets, encodeArms, type MetricDataset } from "../adapter/metric-datasets.js";
import { SearchSpaceEncoding } from "../adapter/search-space-encoding.js";
import { Arm, armSignature } from "../core/arm.js";
import type { Experiment } from "../core/experiment.js";
import { GeneratorRun } from "../core/generator-run.js";
import { isJsonObject, type JsonValue } from "../core/json.js";
import type { OutcomeConstraint } from "../core/outcome-constraint.js";
import type { ParameterValue } from "../core/parameter-type.js";
import {
  DataRequiredError,
  GenerationStrategyError,
  SearchSpaceError,
  SearchSpaceExhaustedError,
} from "../errors.js";
import { fitGp, type GpHyperparameters, type GpModel } from "../numerics/gp/index.js";
import { SOBOL_MAX_DIMENSION } from "../numerics/sobol/index.js";
import { Rng } from "../util/rng.js";
import type { FittedConstraint } from "./bo/acquisition-builder.js";
import { drawRawSamples, optimizeAcquisition, type RankedCandidate } from "./bo/candidate-optimizer.js";
import type { CandidateProposer } from "./bo/candidate-proposer.js";
import { boTorchLimitation } from "./bo/limitations.js";
import { type MultiObjectiveProblem, ParEgoProposer } from "./bo/multi-objective.js";
import { type SingleObjectiveFit, SingleObjectiveProposer } from "./bo/single-objective.js";
import {
  assertArmCount,
  type GenerateArgs,
  type Generator,
  type GeneratorCreateOptions,
  type GeneratorSpec,
} from "./generator.js";

const NAME = "BoTorch";
/** Observations of the objective a GP needs before it can suggest anything. */
const MIN_OBSERVATIONS = 2;
/**
 * Above this many observations a cold fit (no previous hyperparameters) starts only from the prior
 * mode: with that much data the marginal likelihood outweighs the prior and has one dominant optimum,
 * so random restarts triple the O(n³) work for nothing (BoTorch fits from a single start at any n).
 * Below it, where several optima of the likelihood are common, two prior draws are added.
 */
const COLD_RESTARTS_MAX_OBSERVATIONS = 64;

/**
 * Observed arms that join the raw samples (as starts and fallbacks): the latest this many. With
 * thousands of observations every raw sample costs an O(n²) solve, and the old ones add nothing that
 * the Sobol points do not; experiments of up to this many observations keep all of them.
 */
const MAX_OBSERVED_RAW_SAMPLES = 128;

/** The last `max` rows of a row-major matrix with `width` columns (all of them when there are fewer). */
function latestRows(A: Float64Array, width: number, max: number): Float64Array {
  const rows = A.length / width;
  return rows <= max ? A : A.subarray((rows - max) * width);
}

/** Random restarts of a cold GP fit on n observations (see {@link COLD_RESTARTS_MAX_OBSERVATIONS}). */
export function coldFitRestarts(n: number): number {
  return n > COLD_RESTARTS_MAX_OBSERVATIONS ? 0 : 2;
}

/** Options of {@link BoTorchGenerator}, also accepted as `GenerationStep.generatorKwargs`. */
export interface BoTorchGeneratorOptions {
  /** Scrambled Sobol points on which the acquisition is evaluated to pick starts (default 512). */
  numRawSamples?: number;
  /** Local optimizations of the acquisition, from the best raw samples (default 8). */
  numStarts?: number;
  /** L-BFGS-B iterations per start (default 100). */
  maxIterations?: number;
}

/** Serialized state of a {@link BoTorchGenerator}. */
export interface BoTorchGeneratorState {
  seed: number;
  /** Number of `gen` calls so far; seeds of a call derive from it. */
  numGenerated: number;
  /** Hyperparameters of each metric's last GP (warm start of the next fit). */
  hyperparameters: Record<string, GpHyperparameters>;
}

/** The single-objective problem a gen call solves, read from the experiment's optimization config. */
interface Problem {
  objectiveName: string;
  minimize: boolean;
  constraints: { metricName: string; op: "LEQ" | "GEQ"; bound: number }[];
}

/**
 * Bayesian optimization, Ax's default model after the Sobol initialization: one GP per metric (Matérn-5/2
 * ARD, MAP hyperparameters warm-started from the previous call) on the data of COMPLETED trials in the
 * unit-cube encoding, and an acquisition maximized by multi-start L-BFGS-B from the best of 512 scrambled
 * Sobol points, within the linear parameter constraints.
 *
 * - Noiseless objective (every sem known and 0): LogEI over the best feasible observation, pending arms
 *   as kriging-believer fantasies. Otherwise (some sem null or > 0): qLogNEI with the observed arms as
 *   baseline and the pending ones added to it.
 * - Absolute outcome constraints multiply in the probability of feasibility (LogPF alone until a feasible
 *   arm was observed).
 * - n > 1: sequential greedy, each chosen arm becoming pending for the next.
 * - Every arm is in the search space (decoded, checked, and replaced by the next-best candidate when
 *   not); in a noiseless problem never an arm already evaluated, and never a pending arm.
 * - Deterministic for a seed; `getState()` keeps the seed, the call count and the last hyperparameters.
 * - Several objectives: ParEGO random scalarization (see `ParEgoProposer`): per arm, random weights on
 *   the simplex, an augmented Chebyshev scalarization of the objectives normalized by the reference
 *   point (the objective thresholds, or inferred from the observed front) and one GP on it; given
 *   objective thresholds weight the acquisition by their probability of feasibility.
 *
 * Each arm's candidate metadata holds the acquisition value and the model's predicted mean and sem of
 * the objective (original scale and sign); with several objectives, the scalarization weights and the
 * predicted mean and sem of each objective, by metric name.
 *
 * @throws GenerationStrategyError from `gen` for relative outcome constraints or objective thresholds.
 * @throws DataRequiredError from `gen` with fewer than 2 observations of the objective (of every
 * objective), or none of a constraint metric (its `stepIndex` is -1: a generator does not know its step).
 * @example
 * new GenerationStep({ generator: Generators.BOTORCH, numTrials: -1 })
 */
export class BoTorchGenerator implements Generator {
  readonly name = NAME;
  readonly encoding: SearchSpaceEncoding;
  readonly seed: number;
  private numGenerated: number;
  private readonly hyperparameters: Map<string, GpHyperparameters>;
  private readonly options: Required<BoTorchGeneratorOptions>;

  /** @throws SearchSpaceError when the space has more unit-cube columns than Sobol supports. */
  constructor(options: GeneratorCreateOptions) {
    this.encoding = new SearchSpaceEncoding(options.searchSpace);
    if (this.encoding.dimension > SOBOL_MAX_DIMENSION) {
      throw new SearchSpaceError(
        `BoTorch supports at most ${SOBOL_MAX_DIMENSION} unit-cube columns, the search space has ${this.encoding.dimension}.`,
      );
    }
    const kwargs = parseOptions(options.options ?? {});
    this.options = { numRawSamples: 512, numStarts: 8, maxIterations: 100, ...kwargs };
    const saved = options.state == null ? null : parseState(options.state);
    this.seed = saved?.seed ?? options.seed;
    this.numGenerated = saved?.numGenerated ?? 0;
    this.hyperparameters = new Map(Object.entries(saved?.hyperparameters ?? {}));
  }

  /**
   * Proposes `n` arms (see the class documentation).
   * @throws GenerationStrategyError when `n` is not a positive integer, or for an unsupported config.
   * @throws DataRequiredError when there are too few observations to fit the models.
   * @throws SearchSpaceExhaustedError when no new arm of the search space can be found.
   */
  async gen(args: GenerateArgs): Promise<GeneratorRun> {
    assertArmCount(NAME, args.n);
    const { experiment } = args;
    const problem = readProblem(experiment);
    const call = this.numGenerated;
    const run =
      this.encoding.dimension === 0
        ? this.genFixed(args)
        : this.genModel(args, this.proposerFor(experiment, problem, call), call);
    this.numGenerated = call + 1;
    return run;
  }

  /** Seed, call count and the last GP hyperparameters per metric. */
  getState(): JsonValue {
    const hyperparameters: Record<string, JsonValue> = {};
    for (const [name, h] of this.hyperparameters) {
      hyperparameters[name] = {
        lengthscales: [...h.lengthscales],
        outputscale: h.outputscale,
        constantMean: h.constantMean,
        noiseVariance: h.noiseVariance,
      };
    }
    return { seed: this.seed, numGenerated: this.numGenerated, hyperparameters };
  }

  private proposerFor(
    experiment: Experiment,
    problem: Problem | MultiObjectiveProblem,
    call: number,
  ): CandidateProposer {
    if ("objectives" in problem) {
      return new ParEgoProposer({
        experiment,
        encoding: this.encoding,
        problem,
        fit: (dataset, salt) => this.fitMetric(dataset, call, salt),
        seedFor: (salt) => mixSeed(this.seed, call, salt),
      });
    }
    const fitted = this.fitModels(experiment, problem, call);
    return new SingleObjectiveProposer(fitted, problem.minimize, mixSeed(this.seed, call, 101));
  }

  /** A GP on one metric's data, warm-started from (and saving) that metric's last hyperparameters. */
  private fitMetric(dataset: MetricDataset, call: number, salt: number): GpModel {
    const warm = this.hyperparameters.get(dataset.metricName) ?? null;
    const model = fitGp({
      X: dataset.X,
      n: dataset.n,
      d: dataset.d,
      Y: dataset.Y,
      Yvar: dataset.Yvar,
      options: {
        restarts: warm ? 1 : coldFitRestarts(dataset.n),
        warmStart: warm,
        rng: new Rng(mixSeed(this.seed, call, salt)),
      },
    });
    this.hyperparameters.set(dataset.metricName, model.hyperparameters);
    return model;
  }

  private fitModels(experiment: Experiment, problem: Problem, call: number): SingleObjectiveFit {
    const names = [problem.objectiveName, ...problem.constraints.map((c) => c.metricName)];
    const signs = new Map<string, 1 | -1>([[problem.objectiveName, problem.minimize ? -1 : 1]]);
    const datasets = buildMetricDatasets(experiment, this.encoding, names, signs);
    const objective = datasets.get(problem.objectiveName)!;
    if (objective.n < MIN_OBSERVATIONS) {
      throw new DataRequiredError(
        `BoTorch needs at least ${MIN_OBSERVATIONS} observations of objective "${problem.objectiveName}" from ` +
          `COMPLETED trials, found ${objective.n}; complete more trials (e.g. from a Sobol step) first.`,
        { stepIndex: -1 },
      );
    }
    const fitMetric = (dataset: MetricDataset, salt: number) => this.fitMetric(dataset, call, salt);
    const constraints: FittedConstraint[] = problem.constraints.map((c, i) => {
      const dataset = datasets.get(c.metricName)!;
      if (dataset.n === 0) {
        throw new DataRequiredError(
          `BoTorch needs observations of constrained metric "${c.metricName}" from COMPLETED trials, found none; ` +
            "report it along with the objective.",
          { stepIndex: -1 },
        );
      }
      return { dataset, model: fitMetric(dataset, i + 1), op: c.op, bound: c.bound };
    });
    return { objective, objectiveModel: fitMetric(objective, 0), constraints };
  }

  private genModel(args: GenerateArgs, proposer: CandidateProposer, call: number): GeneratorRun {
    const { experiment } = args;
    const raw = drawRawSamples(
      this.encoding,
      this.options.numRawSamples,
      mixSeed(this.seed, call, 202),
      latestRows(proposer.observedX, this.encoding.dimension, MAX_OBSERVED_RAW_SAMPLES),
    );
    const pendingTaken = new Set(args.pendingArms.map((a) => a.signature));
    const evaluated = proposer.noiseless ? takenSignatures(experiment, []) : () => false;
    const batch: Arm[] = [];
    const metadata: Record<string, JsonValue>[] = [];
    for (let i = 0; i < args.n; i++) {
      const acquisition = proposer.acquisition(i, encodeArms(this.encoding, [...args.pendingArms, ...batch]));
      const candidates = optimizeAcquisition({
        acquisition,
        encoding: this.encoding,
        rawSamples: raw,
        numStarts: this.options.numStarts,
        maxIterations: this.options.maxIterations,
        // The discrete search steps past taken arms instead of stopping on one.
        isTaken: (s) => pendingTaken.has(s) || evaluated(s),
      });
      const chosen = this.firstUsable(candidates, (s) => pendingTaken.has(s) || evaluated(s));
      if (chosen === null) {
        throw new SearchSpaceExhaustedError(
          `BoTorch found no new arm of the search space among ${candidates.length} candidates` +
            (proposer.noiseless ? " (a noiseless problem never repeats an evaluated arm)." : "."),
        );
      }
      metadata.push(proposer.describe(i, this.encoding.encode(chosen), acquisition));
      const arm = new Arm({ parameters: chosen });
      batch.push(arm);
      pendingTaken.add(arm.signature);
    }
    return new GeneratorRun({
      arms: batch,
      generatorName: NAME,
      candidateMetadata: metadata,
      metadata: { seed: this.seed, call, ...proposer.runMetadata() },
      timeCreated: experiment.clock.now(),
    });
  }

  /** The first candidate that decodes to a member of the search space whose signature is not taken. */
  private firstUsable(
    candidates: readonly RankedCandidate[],
    isTaken: (signature: string) => boolean,
  ): Record<string, ParameterValue> | null {
    const tried = new Set<string>();
    for (const c of candidates) {
      const parameters = this.encoding.decode(c.x);
      const signature = armSignature(parameters);
      if (tried.has(signature)) continue;
      tried.add(signature);
      if (!isTaken(signature) && this.encoding.searchSpace.checkMembership(parameters)) return parameters;
    }
    return null;
  }

  /** A search space of fixed parameters has one arm: propose it once. */
  private genFixed(args: GenerateArgs): GeneratorRun {
    const parameters = this.encoding.decode(new Float64Array(0));
    const isTaken = takenSignatures(args.experiment, args.pendingArms);
    if (args.n > 1 || isTaken(armSignature(parameters))) {
      throw new SearchSpaceExhaustedError(
        "Every parameter of the search space is fixed and its only arm is already used.",
      );
    }
    return new GeneratorRun({
      arms: [new Arm({ parameters })],
      generatorName: NAME,
      timeCreated: args.experiment.clock.now(),
    });
  }
}

/** The registry entry of {@link BoTorchGenerator} (`Generators.BOTORCH`). */
export const boTorchGeneratorSpec: GeneratorSpec = {
  name: NAME,
  create: (options) => new BoTorchGenerator(options),
};

function readProblem(experiment: Experiment): Problem | MultiObjectiveProblem {
  const config = experiment.requireOptimizationConfig();
  const limitation = boTorchLimitation(config);
  if (limitation !== null) {
    throw new GenerationStrategyError(
      `The BoTorch generator cannot optimize this experiment: ${limitation}.`,
    );
  }
  const absolute = (c: OutcomeConstraint) => ({ metricName: c.metric.name, op: c.op, bound: c.bound });
  const constraints = config.outcomeConstraints.map(absolute);
  if (config.isMultiObjective) {
    const thresholds = new Map(config.objectiveThresholds.map((t) => [t.metric.name, t.bound]));
    const objectives = config.objectives.map((o) => ({
      metricName: o.metric.name,
      minimize: o.minimize,
      threshold: thresholds.get(o.metric.name) ?? null,
    }));
    return { objectives, constraints };
  }
  const objective = config.objectives[0]!;
  return { objectiveName: objective.metric.name, minimize: objective.minimize, constraints };
}

/** A 32-bit seed from the generator seed, the call number and a purpose. */
function mixSeed(seed: number, call: number, salt: number): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (call + 0x632be59b), 0xc2b2ae35);
  h = Math.imul(h ^ (salt + 0x27d4eb2f), 0x165667b1);
  return (h ^ (h >>> 15)) >>> 0;
}

const OPTION_KEYS = ["numRawSamples", "numStarts", "maxIterations"] as const;

function parseOptions(options: Readonly<Record<string, JsonValue>>): BoTorchGeneratorOptions {
  const out: BoTorchGeneratorOptions = {};
  for (const [key, value] of Object.entries(options)) {
    const known = (OPTION_KEYS as readonly string[]).includes(key);
    if (!known || typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new GenerationStrategyError(
        `Invalid BoTorch generator option ${key}=${JSON.stringify(value)}: accepted are ${OPTION_KEYS.join(", ")} ` +
          "(positive integers).",
      );
    }
    out[key as (typeof OPTION_KEYS)[number]] = value;
  }
  return out;
}

function parseState(state: JsonValue): BoTorchGeneratorState {
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

/** Hyperparameters from JSON, or null when malformed (the next fit then starts cold). */
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
  return { lengthscales, outputscale, constantMean, noiseVariance };
}
