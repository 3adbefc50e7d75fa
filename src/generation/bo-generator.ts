import { takenSignatures } from "../adapter/feasible-sampler.js";
import { encodeArms } from "../adapter/metric-datasets.js";
import type { OutcomeTransformOptions } from "../adapter/outcome-transforms/index.js";
import { SearchSpaceEncoding } from "../adapter/search-space-encoding.js";
import { Arm, armSignature } from "../core/arm.js";
import type { Experiment } from "../core/experiment.js";
import { GeneratorRun } from "../core/generator-run.js";
import type { JsonValue } from "../core/json.js";
import type { ParameterValue } from "../core/parameter-type.js";
import {
  DataRequiredError,
  GenerationStrategyError,
  SearchSpaceError,
  SearchSpaceExhaustedError,
} from "../errors.js";
import type { GpHyperparameters } from "../numerics/gp/index.js";
import { SOBOL_MAX_DIMENSION } from "../numerics/sobol/index.js";
import type { FittedConstraint } from "./bo/acquisition-builder.js";
import {
  BOTORCH_GENERATOR_NAME,
  type BoTorchGeneratorOptions,
  DEFAULT_BOTORCH_OPTIONS,
  mixSeed,
  parseBoTorchOptions,
  parseBoTorchState,
  serializeBoTorchState,
} from "./bo/botorch-options.js";
import { readBoTorchProblem, type SingleObjectiveProblem } from "./bo/botorch-problem.js";
import { drawRawSamples, optimizeAcquisition, type RankedCandidate } from "./bo/candidate-optimizer.js";
import type { CandidateProposer } from "./bo/candidate-proposer.js";
import { outcomeTransformsRan } from "./bo/candidate-proposer.js";
import { sampleSingleObjectiveFits } from "./bo/hyperparameter-ensemble.js";
import {
  fitMetricModels,
  isModelFailure,
  MetricModelFitter,
  type ModelDataset,
  warpableColumns,
} from "./bo/metric-models.js";
import { type MultiObjectiveProblem, ParEgoProposer } from "./bo/multi-objective.js";
import { SingleObjectiveProposer } from "./bo/single-objective.js";
import { sobolFallbackRun } from "./bo/sobol-fallback.js";
import { thompsonCandidates } from "./bo/thompson-step.js";
import {
  assertArmCount,
  type GenerateArgs,
  type Generator,
  type GeneratorCreateOptions,
  type GeneratorSpec,
} from "./generator.js";

export { coldFitRestarts } from "../numerics/gp/index.js";
export type { BoTorchGeneratorOptions, BoTorchGeneratorState } from "./bo/botorch-options.js";

const NAME = BOTORCH_GENERATOR_NAME;
/** Observations of the objective a GP needs before it can suggest anything. */
const MIN_OBSERVATIONS = 2;

/**
 * Observed arms that join the raw samples (as starts and fallbacks): the latest this many. With
 * thousands of observations every raw sample costs an O(n²) solve, and the old ones add nothing that
 * the Sobol points do not; experiments of up to this many observations keep all of them.
 */
const MAX_OBSERVED_RAW_SAMPLES = 128;

/** Salts of the seeds of one gen call, by purpose. */
const SALT = { acquisition: 101, rawSamples: 202, fallback: 404, thompson: 505 } as const;

/** The last `max` rows of a row-major matrix with `width` columns (all of them when there are fewer). */
function latestRows(A: Float64Array, width: number, max: number): Float64Array {
  const rows = A.length / width;
  return rows <= max ? A : A.subarray((rows - max) * width);
}

/**
 * Bayesian optimization, Ax's default model after the Sobol initialization: one GP per metric (Matérn-5/2
 * ARD, MAP hyperparameters warm-started from the previous call) on the data of COMPLETED (and
 * EARLY_STOPPED) trials in the unit-cube encoding, and an acquisition maximized by multi-start L-BFGS-B
 * from the best of 512 scrambled Sobol points, within the linear parameter constraints.
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
 * - Outcome constraints and objective thresholds relative to the status quo (`"latency <= 5%"`) are
 *   made absolute with the status quo's observed values (see `absoluteBound`).
 *
 * @throws GenerationStrategyError from `gen` for relative outcome constraints or objective thresholds
 * when the experiment has no status quo; DataRequiredError when the status quo has no observation yet.
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
    const kwargs = parseBoTorchOptions(options.options ?? {});
    this.options = { ...DEFAULT_BOTORCH_OPTIONS, ...kwargs };
    const saved = options.state == null ? null : parseBoTorchState(options.state);
    this.seed = saved?.seed ?? options.seed;
    this.numGenerated = saved?.numGenerated ?? 0;
    this.hyperparameters = new Map(Object.entries(saved?.hyperparameters ?? {}));
  }

  /**
   * Proposes `n` arms (see the class documentation). When the models cannot be fitted or their
   * numerics fail (`ModelFittingError`, `NumericalError`), this step's arms are scrambled Sobol points
   * instead, the run named "Sobol" with `fallbackFrom` and `fallbackReason` in its metadata; the next
   * call tries the models again.
   * @throws GenerationStrategyError when `n` is not a positive integer, or for an unsupported config.
   * @throws DataRequiredError when there are too few observations to fit the models.
   * @throws SearchSpaceExhaustedError when no new arm of the search space can be found.
   */
  async gen(args: GenerateArgs): Promise<GeneratorRun> {
    assertArmCount(NAME, args.n);
    const { experiment } = args;
    const problem = readBoTorchProblem(experiment);
    const call = this.numGenerated;
    const run =
      this.encoding.dimension === 0 ? this.genFixed(args) : await this.genOrFallBack(args, problem, call);
    this.numGenerated = call + 1;
    return run;
  }

  /** Seed, call count and the last GP hyperparameters per metric. */
  getState(): JsonValue {
    return serializeBoTorchState(this.seed, this.numGenerated, this.hyperparameters);
  }

  private async genOrFallBack(
    args: GenerateArgs,
    problem: SingleObjectiveProblem | MultiObjectiveProblem,
    call: number,
  ): Promise<GeneratorRun> {
    try {
      return this.genModel(args, this.proposerFor(args.experiment, problem, call), call);
    } catch (error) {
      if (!isModelFailure(error)) throw error;
      return sobolFallbackRun(args, this.encoding.searchSpace, mixSeed(this.seed, call, SALT.fallback), {
        from: NAME,
        reason: error,
        metadata: { seed: this.seed, call },
      });
    }
  }

  /** Fits of gen call `call`: warm-started from (and saving) each metric's last hyperparameters. */
  private fitterFor(call: number): MetricModelFitter {
    return new MetricModelFitter({
      hyperparameters: this.hyperparameters,
      seedFor: (salt) => mixSeed(this.seed, call, salt),
      prior: this.options.gpPrior,
      restarts: { cold: this.options.coldFitRestarts, warm: this.options.warmFitRestarts },
      ...(this.options.inputWarping && { warpedDimensions: warpableColumns(this.encoding) }),
    });
  }

  private proposerFor(
    experiment: Experiment,
    problem: SingleObjectiveProblem | MultiObjectiveProblem,
    call: number,
  ): CandidateProposer {
    const fitter = this.fitterFor(call);
    if ("objectives" in problem) {
      if (this.options.hyperparameterSamples > 0) {
        throw new GenerationStrategyError(
          `BoTorch: hyperparameterSamples=${this.options.hyperparameterSamples} supports one objective only, ` +
            `the optimization config has ${problem.objectives.length}; remove hyperparameterSamples from ` +
            "the generator kwargs of this multi-objective experiment.",
        );
      }
      return new ParEgoProposer({
        experiment,
        encoding: this.encoding,
        problem,
        fit: (dataset, salt) => fitter.fit(dataset, salt),
        transforms: this.transformOptions(),
        seedFor: (salt) => mixSeed(this.seed, call, salt),
      });
    }
    const names = [problem.objectiveName, ...problem.constraints.map((c) => c.metricName)];
    const models = fitMetricModels(experiment, {
      metricNames: names,
      signs: new Map([[problem.objectiveName, problem.minimize ? -1 : 1]]),
      encoding: this.encoding,
      ...this.transformOptions(),
      fitter,
      beforeFit: (datasets) => requireObservations(problem, datasets),
    });
    const objective = models.get(problem.objectiveName)!;
    const constraints: FittedConstraint[] = problem.constraints.map((c) => {
      const { dataset, model, transforms } = models.get(c.metricName)!;
      // The acquisition works on the model's scale: the bound goes there too.
      return { dataset, model, op: c.op, bound: transforms.transformBound(c.bound) };
    });
    const mapFit = {
      objective: objective.dataset,
      objectiveModel: objective.model,
      objectiveTransforms: objective.transforms,
      constraints,
    };
    const samples = this.options.hyperparameterSamples;
    const fit =
      samples === 0
        ? mapFit
        : {
            ...mapFit,
            sampledFits: sampleSingleObjectiveFits(mapFit, {
              count: samples,
              prior: this.options.gpPrior,
              seedFor: (salt) => mixSeed(this.seed, call, salt),
            }),
          };
    const numClipped = [...models.values()].reduce((sum, m) => sum + m.numClipped, 0);
    return new SingleObjectiveProposer(fit, problem.minimize, mixSeed(this.seed, call, SALT.acquisition), {
      numClipped,
      outcomeTransforms: outcomeTransformsRan(models),
    });
  }

  /** The outcome-transform options of this generator (see `fitOutcomeTransforms`). */
  private transformOptions(): OutcomeTransformOptions {
    const { winsorize, bilog, powerTransform } = this.options;
    return { winsorize, bilog, powerTransform };
  }

  private genModel(args: GenerateArgs, proposer: CandidateProposer, call: number): GeneratorRun {
    const { experiment } = args;
    const raw = drawRawSamples(
      this.encoding,
      this.options.numRawSamples,
      mixSeed(this.seed, call, SALT.rawSamples),
      latestRows(proposer.observedX, this.encoding.dimension, MAX_OBSERVED_RAW_SAMPLES),
    );
    const pendingTaken = new Set(args.pendingArms.map((a) => a.signature));
    const evaluated = proposer.noiseless ? takenSignatures(experiment, []) : () => false;
    const batch: Arm[] = [];
    const metadata: Record<string, JsonValue>[] = [];
    for (let i = 0; i < args.n; i++) {
      const pending = encodeArms(this.encoding, [...args.pendingArms, ...batch]);
      const acquisition = proposer.acquisition(i, pending);
      const thompson = i === 0 ? this.thompsonStep(proposer, pending, call) : null;
      const candidates =
        thompson ??
        optimizeAcquisition({
          acquisition,
          encoding: this.encoding,
          rawSamples: raw,
          numStarts: this.options.numStarts,
          maxIterations: this.options.maxIterations,
          // The discrete search steps past taken arms instead of stopping on one.
          isTaken: (s) => pendingTaken.has(s) || evaluated(s),
          spreadStarts: this.options.spreadStarts,
          ...this.boundaryRule(proposer),
        });
      const chosen = this.firstUsable(candidates, (s) => pendingTaken.has(s) || evaluated(s));
      if (chosen === null) {
        throw new SearchSpaceExhaustedError(
          `BoTorch found no new arm of the search space among ${candidates.length} candidates` +
            (proposer.noiseless ? " (a noiseless problem never repeats an evaluated arm)." : "."),
        );
      }
      const described = proposer.describe(i, this.encoding.encode(chosen), acquisition);
      metadata.push(thompson ? { ...described, suggestedBy: "ThompsonSampling" } : described);
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

  /**
   * Candidates of a Thompson-sampling step when call `call` is one (every `thompsonEvery`-th call, the
   * first at call k−1 so that a run's first model-chosen arm still comes from the acquisition), else null.
   */
  private thompsonStep(
    proposer: CandidateProposer,
    pending: Float64Array,
    call: number,
  ): RankedCandidate[] | null {
    const k = this.options.thompsonEvery;
    if (k === 0 || (call + 1) % k !== 0) return null;
    const surrogate = proposer.thompsonSurrogate?.(pending) ?? null;
    if (surrogate === null) return null;
    return thompsonCandidates(surrogate, this.encoding, mixSeed(this.seed, call, SALT.thompson));
  }

  /** The boundary rule's options for `optimizeAcquisition` when `edgeMargin` is set. */
  private boundaryRule(proposer: CandidateProposer) {
    const margin = this.options.edgeMargin;
    if (margin === null) return {};
    const meanGradient = proposer.meanGradient?.bind(proposer) ?? null;
    return { boundaryRule: { margin, meanGradient } };
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
  checkOptions: (options) => void parseBoTorchOptions(options),
};

/**
 * Refuses a single-objective step without enough data, before anything is fitted.
 * @throws DataRequiredError with fewer than 2 observations of the objective or none of a constraint
 * metric (its `stepIndex` is -1: a generator does not know its step).
 */
function requireObservations(
  problem: SingleObjectiveProblem,
  datasets: ReadonlyMap<string, ModelDataset>,
): void {
  const objective = datasets.get(problem.objectiveName)!.dataset;
  if (objective.n < MIN_OBSERVATIONS) {
    throw new DataRequiredError(
      `BoTorch needs at least ${MIN_OBSERVATIONS} observations of objective "${problem.objectiveName}" from ` +
        `COMPLETED or EARLY_STOPPED trials, found ${objective.n}; complete more trials (e.g. from a Sobol ` +
        "step) first.",
      { stepIndex: -1 },
    );
  }
  for (const c of problem.constraints) {
    if (datasets.get(c.metricName)!.dataset.n === 0) {
      throw new DataRequiredError(
        `BoTorch needs observations of constrained metric "${c.metricName}" from COMPLETED or ` +
          "EARLY_STOPPED trials, found none; report it along with the objective.",
        { stepIndex: -1 },
      );
    }
  }
}
