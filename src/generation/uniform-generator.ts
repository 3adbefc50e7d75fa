import { DEFAULT_MAX_DRAWS_PER_POINT, sampleFeasible, takenSignatures } from "../adapter/feasible-sampler.js";
import { SearchSpaceEncoding } from "../adapter/search-space-encoding.js";
import { Arm } from "../core/arm.js";
import { GeneratorRun } from "../core/generator-run.js";
import type { JsonValue } from "../core/json.js";
import { GenerationStrategyError } from "../errors.js";
import { Rng } from "../util/rng.js";
import {
  assertArmCount,
  type GenerateArgs,
  type Generator,
  type GeneratorCreateOptions,
  type GeneratorSpec,
} from "./generator.js";

const NAME = "Uniform";

/** Options of {@link UniformGenerator}, also accepted as `GenerationStep.generatorKwargs`. */
export interface UniformGeneratorOptions {
  /** Rejection-sampling budget per requested arm (default 10,000). */
  maxDrawsPerArm?: number;
}

/** Serialized state of a {@link UniformGenerator}. */
export interface UniformGeneratorState {
  /** The Rng's four 32-bit words (`Rng.getState`). */
  rng: [number, number, number, number];
  /** Points drawn so far, accepted or not. */
  numDrawn: number;
}

/**
 * Independent uniform random arms: each searched parameter uniform on its unit-cube image (log-uniform
 * on log scale, each integer and each choice value equally likely), through
 * `SearchSpaceEncoding.decodeFromUniform`.
 *
 * Deterministic under a seed; `getState()` records the Rng state, so a generator created again with that
 * state continues the exact same stream. Constraints and finite spaces are handled as by the Sobol
 * generator (bounded rejection, no repeated arm in a fully discrete space).
 * @example
 * const uniform = new UniformGenerator({ searchSpace, seed: 1 });
 * const run = await uniform.gen({ experiment, n: 3, pendingArms: experiment.pendingArms });
 */
export class UniformGenerator implements Generator {
  readonly name = NAME;
  readonly encoding: SearchSpaceEncoding;
  private readonly rng: Rng;
  private readonly seed: number;
  private readonly maxDrawsPerArm: number;
  private drawnSoFar: number;

  constructor(options: GeneratorCreateOptions) {
    this.encoding = new SearchSpaceEncoding(options.searchSpace);
    this.maxDrawsPerArm =
      parseUniformOptions(options.options ?? {}).maxDrawsPerArm ?? DEFAULT_MAX_DRAWS_PER_POINT;
    this.seed = options.seed;
    const saved = options.state == null ? null : parseUniformState(options.state);
    this.rng = saved ? Rng.fromState(saved.rng) : new Rng(options.seed);
    this.drawnSoFar = saved?.numDrawn ?? 0;
  }

  /** Number of points drawn so far (accepted or rejected). */
  get numDrawn(): number {
    return this.drawnSoFar;
  }

  /**
   * Proposes `n` unnamed arms.
   * @throws GenerationStrategyError when `n` is not a positive integer.
   * @throws ParameterConstraintError when the constraints leave (almost) no feasible region.
   * @throws SearchSpaceExhaustedError when a finite space has no unused point left.
   */
  async gen(args: GenerateArgs): Promise<GeneratorRun> {
    assertArmCount(NAME, args.n);
    const start = this.drawnSoFar;
    // One column at least, so that a space of fixed parameters still advances the stream per draw.
    const stride = Math.max(1, this.encoding.samplingDimension);
    const result = sampleFeasible({
      encoding: this.encoding,
      n: args.n,
      draw: (m) => this.draw(m, stride),
      stride,
      isTaken: takenSignatures(args.experiment, args.pendingArms),
      maxDrawsPerPoint: this.maxDrawsPerArm,
    });
    return new GeneratorRun({
      arms: result.points.map((p) => new Arm({ parameters: p.parameters })),
      generatorName: NAME,
      candidateMetadata: result.points.map((p) => ({
        drawIndex: start + p.drawIndex,
        ...(p.pickedFromRemaining ? { pickedFromRemaining: true } : {}),
      })),
      metadata: {
        seed: this.seed,
        numDraws: result.numDraws,
        numInfeasible: result.numInfeasible,
        numDuplicates: result.numDuplicates,
      },
      timeCreated: args.experiment.clock.now(),
    });
  }

  /** The Rng state and draw count; pass it back as `state` to continue the stream. */
  getState(): JsonValue {
    return { rng: this.rng.getState(), numDrawn: this.drawnSoFar };
  }

  private draw(m: number, stride: number): Float64Array {
    const U = new Float64Array(m * stride);
    for (let i = 0; i < U.length; i++) U[i] = this.rng.next();
    this.drawnSoFar += m;
    return U;
  }
}

/** The registry entry of {@link UniformGenerator} (`Generators.UNIFORM`). */
export const uniformGeneratorSpec: GeneratorSpec = {
  name: NAME,
  create: (options) => new UniformGenerator(options),
  checkOptions: (options) => void parseUniformOptions(options),
};

function parseUniformOptions(options: Readonly<Record<string, JsonValue>>): UniformGeneratorOptions {
  const out: UniformGeneratorOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === "maxDrawsPerArm" && typeof value === "number" && Number.isInteger(value) && value >= 1) {
      out.maxDrawsPerArm = value;
    } else {
      throw new GenerationStrategyError(
        `Invalid Uniform generator option ${key}=${JSON.stringify(value)}: accepted is maxDrawsPerArm (positive integer).`,
      );
    }
  }
  return out;
}

function parseUniformState(state: JsonValue): UniformGeneratorState {
  if (typeof state === "object" && state !== null && !Array.isArray(state)) {
    const { rng, numDrawn } = state;
    const words = Array.isArray(rng) ? rng.filter((w): w is number => typeof w === "number") : [];
    if (words.length === 4 && typeof numDrawn === "number" && Number.isInteger(numDrawn) && numDrawn >= 0) {
      return { rng: [words[0]!, words[1]!, words[2]!, words[3]!], numDrawn };
    }
  }
  throw new GenerationStrategyError(
    `Invalid Uniform generator state ${JSON.stringify(state)}: expected { rng: [4 integers], numDrawn }.`,
  );
}
