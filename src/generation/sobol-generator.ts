import { DEFAULT_MAX_DRAWS_PER_POINT, sampleFeasible, takenSignatures } from "../adapter/feasible-sampler.js";
import { SearchSpaceEncoding } from "../adapter/search-space-encoding.js";
import { Arm } from "../core/arm.js";
import { GeneratorRun } from "../core/generator-run.js";
import { isJsonObject, type JsonValue } from "../core/json.js";
import { GenerationStrategyError, SearchSpaceError } from "../errors.js";
import { SOBOL_MAX_DIMENSION, SobolEngine, type SobolEngineState } from "../numerics/sobol/index.js";
import {
  assertArmCount,
  type GenerateArgs,
  type Generator,
  type GeneratorCreateOptions,
  type GeneratorSpec,
} from "./generator.js";

const NAME = "Sobol";

/** Options of {@link SobolGenerator}, also accepted as `GenerationStep.generatorKwargs`. */
export interface SobolGeneratorOptions {
  /** Scramble the sequence (default true); unscrambled Sobol starts at the cube's corner. */
  scramble?: boolean;
  /** Rejection-sampling budget per requested arm (default 10,000). */
  maxDrawsPerArm?: number;
}

/** Serialized state of a {@link SobolGenerator}: its engine's position. */
export interface SobolGeneratorState {
  engine: SobolEngineState;
}

/**
 * Quasi-random (scrambled Sobol) arms, Ax's usual initialization: points spread evenly over the unit-cube
 * image of the search space, one coordinate per searched parameter (see
 * `SearchSpaceEncoding.decodeFromUniform`).
 *
 * Deterministic under a seed; `getState()` records the position in the sequence, so a generator
 * created again with that state continues the exact same stream. Parameter constraints are handled by
 * rejection (bounded; see `sampleFeasible`), and a fully discrete space never repeats an arm of the
 * experiment, its pending arms or the batch.
 *
 * @throws SearchSpaceError from the constructor when the space has more searched parameters than the
 * Sobol direction-number table supports.
 * @example
 * const sobol = new SobolGenerator({ searchSpace, seed: 0 });
 * const run = await sobol.gen({ experiment, n: 5, pendingArms: [] });
 */
export class SobolGenerator implements Generator {
  readonly name = NAME;
  readonly encoding: SearchSpaceEncoding;
  private readonly engine: SobolEngine;
  private readonly maxDrawsPerArm: number;

  constructor(options: GeneratorCreateOptions) {
    this.encoding = new SearchSpaceEncoding(options.searchSpace);
    const kwargs = parseSobolOptions(options.options ?? {});
    this.maxDrawsPerArm = kwargs.maxDrawsPerArm ?? DEFAULT_MAX_DRAWS_PER_POINT;
    // Sobol needs one column at least; a space of fixed parameters simply ignores it.
    const dimension = Math.max(1, this.encoding.samplingDimension);
    if (dimension > SOBOL_MAX_DIMENSION) {
      throw new SearchSpaceError(
        `Sobol supports at most ${SOBOL_MAX_DIMENSION} searched parameters, the search space has ${dimension}; ` +
          "use the Uniform generator instead.",
      );
    }
    const saved = options.state == null ? null : parseSobolState(options.state);
    this.engine = saved
      ? restoreEngine(saved.engine, dimension)
      : new SobolEngine({ dimension, scramble: kwargs.scramble ?? true, seed: options.seed });
  }

  /** Number of Sobol points consumed so far (accepted or rejected). */
  get numGenerated(): number {
    return this.engine.numGenerated;
  }

  /**
   * Proposes `n` unnamed arms, the next points of the sequence that satisfy the constraints (and, in a
   * finite space, are new).
   * @throws GenerationStrategyError when `n` is not a positive integer.
   * @throws ParameterConstraintError when the constraints leave (almost) no feasible region.
   * @throws SearchSpaceExhaustedError when a finite space has no unused point left.
   */
  async gen(args: GenerateArgs): Promise<GeneratorRun> {
    assertArmCount(NAME, args.n);
    const start = this.engine.numGenerated;
    const stride = this.engine.dimension;
    const result = sampleFeasible({
      encoding: this.encoding,
      n: args.n,
      draw: (m) => this.engine.draw(m),
      stride,
      isTaken: takenSignatures(args.experiment, args.pendingArms),
      maxDrawsPerPoint: this.maxDrawsPerArm,
    });
    return new GeneratorRun({
      arms: result.points.map((p) => new Arm({ parameters: p.parameters })),
      generatorName: NAME,
      candidateMetadata: result.points.map((p) => ({
        sobolIndex: start + p.drawIndex,
        ...(p.pickedFromRemaining ? { pickedFromRemaining: true } : {}),
      })),
      metadata: {
        seed: this.engine.seed,
        scramble: this.engine.scramble,
        numDraws: result.numDraws,
        numInfeasible: result.numInfeasible,
        numDuplicates: result.numDuplicates,
      },
      timeCreated: args.experiment.clock.now(),
    });
  }

  /** The engine's position; pass it back as `state` to continue the stream. */
  getState(): JsonValue {
    return { engine: { ...this.engine.getState() } };
  }
}

/** The registry entry of {@link SobolGenerator} (`Generators.SOBOL`). */
export const sobolGeneratorSpec: GeneratorSpec = {
  name: NAME,
  create: (options) => new SobolGenerator(options),
  checkOptions: (options) => void parseSobolOptions(options),
};

/**
 * An engine at the saved position. When the number of searched parameters changed since the state was
 * saved, the sequence restarts in the new dimension at the same position and with the same seed.
 */
function restoreEngine(saved: SobolEngineState, dimension: number): SobolEngine {
  if (saved.dimension === dimension) return SobolEngine.fromState(saved);
  return SobolEngine.fromState({ ...saved, dimension });
}

function parseSobolOptions(options: Readonly<Record<string, JsonValue>>): SobolGeneratorOptions {
  const out: SobolGeneratorOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === "scramble" && typeof value === "boolean") out.scramble = value;
    else if (key === "maxDrawsPerArm" && isPositiveInteger(value)) out.maxDrawsPerArm = value;
    else {
      throw new GenerationStrategyError(
        `Invalid Sobol generator option ${key}=${JSON.stringify(value)}: accepted are scramble (boolean) ` +
          "and maxDrawsPerArm (positive integer).",
      );
    }
  }
  return out;
}

function parseSobolState(state: JsonValue): SobolGeneratorState {
  const engine = isJsonObject(state) ? state.engine : undefined;
  if (
    isJsonObject(engine) &&
    isPositiveInteger(engine.dimension) &&
    typeof engine.scramble === "boolean" &&
    typeof engine.seed === "number" &&
    typeof engine.numGenerated === "number" &&
    Number.isInteger(engine.numGenerated) &&
    engine.numGenerated >= 0
  ) {
    return {
      engine: {
        dimension: engine.dimension,
        scramble: engine.scramble,
        seed: engine.seed,
        numGenerated: engine.numGenerated,
      },
    };
  }
  throw new GenerationStrategyError(
    `Invalid Sobol generator state ${JSON.stringify(state)}: expected { engine: { dimension, scramble, seed, numGenerated } }.`,
  );
}

function isPositiveInteger(value: JsonValue | undefined): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}
