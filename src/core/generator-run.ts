import type { Arm } from "./arm.js";
import type { JsonValue } from "./json.js";

/** Constructor options of {@link GeneratorRun}. */
export interface GeneratorRunOptions {
  arms: readonly Arm[];
  /** Relative weights of the arms (default 1 each); used by BatchTrial. */
  weights?: readonly number[];
  /** Which generator produced the arms, e.g. "Sobol", "BoTorch", "Manual". */
  generatorName: string;
  /** Index of the generation step that produced the arms, when a GenerationStrategy did. */
  generationStepIndex?: number | null;
  /** Per-arm metadata (e.g. predicted mean/sem, acquisition value), aligned with `arms`. */
  candidateMetadata?: readonly (Readonly<Record<string, JsonValue>> | null)[];
  /** Metadata of the whole run. */
  metadata?: Readonly<Record<string, JsonValue>>;
  timeCreated?: number;
}

/** The output of one generator call: arms, their weights, and where they came from (Ax's GeneratorRun). */
export class GeneratorRun {
  readonly arms: readonly Arm[];
  readonly weights: readonly number[];
  readonly generatorName: string;
  readonly generationStepIndex: number | null;
  readonly candidateMetadata: readonly (Readonly<Record<string, JsonValue>> | null)[];
  readonly metadata: Readonly<Record<string, JsonValue>>;
  readonly timeCreated: number;

  constructor(options: GeneratorRunOptions) {
    this.arms = [...options.arms];
    this.weights = options.weights ? [...options.weights] : this.arms.map(() => 1);
    if (this.weights.length !== this.arms.length) {
      throw new RangeError(`GeneratorRun: ${this.weights.length} weights for ${this.arms.length} arms.`);
    }
    this.generatorName = options.generatorName;
    this.generationStepIndex = options.generationStepIndex ?? null;
    this.candidateMetadata = options.candidateMetadata
      ? [...options.candidateMetadata]
      : this.arms.map(() => null);
    this.metadata = options.metadata ?? {};
    this.timeCreated = options.timeCreated ?? Date.now();
  }

  /** A generator run for arms the user chose by hand, made at `timeCreated` (default: now). */
  static manual(arms: readonly Arm[], weights?: readonly number[], timeCreated?: number): GeneratorRun {
    return new GeneratorRun({
      arms,
      ...(weights ? { weights } : {}),
      generatorName: "Manual",
      ...(timeCreated === undefined ? {} : { timeCreated }),
    });
  }
}
