/**
 * Sobol low-discrepancy sequence with optional Owen/Matoušek scrambling (linear matrix scramble plus
 * digital shift), 32-bit direction numbers from the Joe & Kuo (2008) table, gray-code order.
 */
import { Rng } from "../../util/rng.js";
import { SOBOL_DIMENSIONS, SOBOL_MAX_DEGREE, SOBOL_POLY, SOBOL_VINIT } from "./direction-numbers.js";

/** Bits per coordinate; the sequence has at most 2^BITS points. */
const BITS = 32;
/** Number of points the engine can produce, 2^32. */
export const SOBOL_MAX_POINTS = 2 ** BITS;
/** Highest supported dimension (the size of the bundled direction-number table). */
export const SOBOL_MAX_DIMENSION: number = SOBOL_DIMENSIONS;
const SCALE = 2 ** -BITS;

/** Constructor options of {@link SobolEngine}. */
export interface SobolEngineOptions {
  /** Number of coordinates per point, 1 ≤ dimension ≤ {@link SOBOL_MAX_DIMENSION}. */
  dimension: number;
  /** Apply a random linear matrix scramble and digital shift (default true). */
  scramble?: boolean;
  /** Seed of the scrambling ({@link Rng}); default 0. Ignored, but kept in the state, when unscrambled. */
  seed?: number;
}

/** Everything needed to recreate a {@link SobolEngine} at the same position; plain JSON. */
export interface SobolEngineState {
  dimension: number;
  scramble: boolean;
  seed: number;
  /** Points produced (drawn or skipped) so far. */
  numGenerated: number;
}

/**
 * Sobol quasi-random points in [0, 1)^d.
 *
 * Unscrambled, the sequence is the classic one in gray-code order starting at the origin; for the first
 * 2^30 points it equals `scipy.stats.qmc.Sobol(d, scramble=False)` exactly. Scrambled, each dimension's
 * direction numbers are multiplied by a random lower-triangular binary matrix with unit diagonal and the
 * points are XORed with a random 32-bit shift (Owen 2003, "linear matrix scramble + digital shift"); the
 * result is a randomized (t, d)-sequence, so every power-of-two block keeps its net structure. Scrambled
 * coordinates are the centers of their 2^-32-wide cells, so they lie in the open interval (0, 1).
 *
 * The scrambling of dimension j depends only on the seed and j, so an engine of a higher dimension with the
 * same seed reproduces the lower-dimensional one in its leading columns.
 *
 * @example
 * const sobol = new SobolEngine({ dimension: 3, seed: 7 });
 * const X = sobol.draw(8); // Float64Array of 8 × 3, row-major
 */
export class SobolEngine {
  /** Number of coordinates per point. */
  readonly dimension: number;
  /** Whether the points are scrambled. */
  readonly scramble: boolean;
  /** Seed of the scrambling. */
  readonly seed: number;
  /** Direction numbers, shape [BITS, dimension]: bit-position-major so one gray-code step is contiguous. */
  private readonly directions: Uint32Array;
  /** Digital shift (all zero when unscrambled), shape [dimension]. */
  private readonly shift: Uint32Array;
  /** Current point as 32-bit integers, shape [dimension]; equals the point with index `count`. */
  private readonly state: Uint32Array;
  /** Added to the integer state before scaling: 0.5 (cell center) when scrambled, else 0. */
  private readonly offset: number;
  private count = 0;

  /**
   * @throws RangeError when the dimension is not an integer in [1, {@link SOBOL_MAX_DIMENSION}] or the
   * seed is not a finite number.
   */
  constructor(options: SobolEngineOptions) {
    const { dimension } = options;
    const scramble = options.scramble ?? true;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
      throw new RangeError(
        `SobolEngine: dimension must be an integer between 1 and ${SOBOL_MAX_DIMENSION} ` +
          `(the size of the Joe & Kuo direction-number table), got ${dimension}.`,
      );
    }
    if (typeof seed !== "number" || !Number.isFinite(seed)) {
      throw new RangeError(`SobolEngine: seed must be a finite number, got ${seed}.`);
    }
    this.dimension = dimension;
    this.scramble = scramble;
    this.seed = seed;
    this.directions = unscrambledDirections(dimension);
    this.shift = new Uint32Array(dimension);
    if (scramble) scrambleDirections(this.directions, this.shift, dimension, new Rng(seed));
    this.offset = scramble ? 0.5 : 0;
    this.state = this.shift.slice();
  }

  /** Points produced so far by {@link SobolEngine.draw} and {@link SobolEngine.fastForward}. */
  get numGenerated(): number {
    return this.count;
  }

  /**
   * The next `n` points.
   * @returns Float64Array of shape [n, dimension], row-major, every value in [0, 1).
   * @throws RangeError when `n` is not a non-negative integer or the 2^32 points would run out.
   */
  draw(n: number): Float64Array {
    this.checkCount(n, "draw");
    const d = this.dimension;
    const out = new Float64Array(n * d);
    const { state, directions, offset } = this;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let j = 0; j < d; j++) out[row + j] = (state[j]! + offset) * SCALE;
      const index = this.count + i;
      if (index + 1 < SOBOL_MAX_POINTS) {
        // Gray code: point index+1 differs from point index in the direction of index's lowest zero bit.
        const base = trailingOnes(index) * d;
        for (let j = 0; j < d; j++) state[j] = state[j]! ^ directions[base + j]!;
      }
    }
    this.count += n;
    return out;
  }

  /**
   * Skips `n` points in O(32 · dimension), as if they had been drawn and discarded.
   * @returns this engine, for chaining.
   * @throws RangeError when `n` is not a non-negative integer or the 2^32 points would run out.
   */
  fastForward(n: number): this {
    this.checkCount(n, "fastForward");
    const target = this.count + n;
    if (target < SOBOL_MAX_POINTS) {
      // The point with index k is shift XOR the direction numbers at the set bits of gray(k).
      const changed = (gray(this.count) ^ gray(target)) >>> 0;
      const d = this.dimension;
      for (let b = 0; b < BITS; b++) {
        if (((changed >>> b) & 1) === 0) continue;
        const base = b * d;
        for (let j = 0; j < d; j++) this.state[j] = this.state[j]! ^ this.directions[base + j]!;
      }
    }
    this.count = target;
    return this;
  }

  /** Goes back to the first point; the scrambling stays the same. @returns this engine. */
  reset(): this {
    this.state.set(this.shift);
    this.count = 0;
    return this;
  }

  /** The engine's state, for storage; see {@link SobolEngine.fromState}. */
  getState(): SobolEngineState {
    return { dimension: this.dimension, scramble: this.scramble, seed: this.seed, numGenerated: this.count };
  }

  /**
   * An engine that continues exactly where the one that produced `state` was: rebuilt from the seed and
   * fast-forwarded by `state.numGenerated`.
   * @throws RangeError on an invalid dimension, seed or `numGenerated`.
   */
  static fromState(state: SobolEngineState): SobolEngine {
    const engine = new SobolEngine({
      dimension: state.dimension,
      scramble: state.scramble,
      seed: state.seed,
    });
    return engine.fastForward(state.numGenerated);
  }

  private checkCount(n: number, method: string): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`SobolEngine.${method}: n must be a non-negative integer, got ${n}.`);
    }
    if (this.count + n > SOBOL_MAX_POINTS) {
      throw new RangeError(
        `SobolEngine.${method}(${n}): only ${SOBOL_MAX_POINTS - this.count} of the 2^32 points are left ` +
          `(${this.count} already generated).`,
      );
    }
  }
}

/**
 * Direction numbers V_k (k = 1..32) of the first `dimension` dimensions as 32-bit integers,
 * V_k = m_k · 2^(32-k), extended past the initial m_1..m_s by the Bratley–Fox recurrence
 * V_k = a_1 V_{k-1} ⊕ … ⊕ a_{s-1} V_{k-s+1} ⊕ V_{k-s} ⊕ (V_{k-s} >> s).
 * @returns Uint32Array of shape [32, dimension]; entry [k-1, j] is V_k of dimension j.
 */
function unscrambledDirections(dimension: number): Uint32Array {
  const v = new Uint32Array(BITS * dimension);
  const col = new Uint32Array(BITS);
  for (let j = 0; j < dimension; j++) {
    const poly = SOBOL_POLY[j]!;
    const s = 31 - Math.clz32(poly); // degree; 0 for the first (van der Corput) dimension
    if (s === 0) {
      for (let k = 0; k < BITS; k++) col[k] = 2 ** (BITS - 1 - k);
    } else {
      for (let k = 0; k < s; k++) col[k] = SOBOL_VINIT[j * SOBOL_MAX_DEGREE + k]! * 2 ** (BITS - 1 - k);
      for (let k = s; k < BITS; k++) {
        let x = col[k - s]!;
        x ^= x >>> s;
        for (let i = 1; i < s; i++) if ((poly >>> (s - i)) & 1) x ^= col[k - i]!;
        col[k] = x >>> 0;
      }
    }
    for (let k = 0; k < BITS; k++) v[k * dimension + j] = col[k]!;
  }
  return v;
}

/**
 * Applies a linear matrix scramble to `directions` in place and fills `shift` with a digital shift, both
 * drawn from `rng` dimension by dimension (31 words for the matrix, then 1 for the shift).
 *
 * Digit t of a 32-bit integer (t = 0 the most significant, weight 2^-1) is bit 31-t. The matrix L of a
 * dimension is lower triangular with unit diagonal: output digit t is the parity of input digits u ≤ t
 * selected by row t, so the leading digits of a point depend only on its own leading digits and
 * every elementary interval keeps its point count.
 */
function scrambleDirections(directions: Uint32Array, shift: Uint32Array, dimension: number, rng: Rng): void {
  const rows = new Uint32Array(BITS);
  for (let j = 0; j < dimension; j++) {
    rows[0] = 0x80000000;
    for (let t = 1; t < BITS; t++) {
      const below = (0xffffffff << (BITS - t)) >>> 0; // digits 0..t-1
      rows[t] = ((rng.nextUint32() & below) | (1 << (BITS - 1 - t))) >>> 0;
    }
    for (let k = 0; k < BITS; k++) {
      const idx = k * dimension + j;
      const x = directions[idx]!;
      let y = 0;
      for (let t = 0; t < BITS; t++) y |= parity(rows[t]! & x) << (BITS - 1 - t);
      directions[idx] = y >>> 0;
    }
    shift[j] = rng.nextUint32();
  }
}

/** 1 when `x` has an odd number of set bits, else 0. */
function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** Number of trailing one bits of `i`, for 0 ≤ i < 2^32 - 1. */
function trailingOnes(i: number): number {
  const z = ~i; // lowest set bit of ~i = lowest zero bit of i
  return 31 - Math.clz32(z & -z);
}

/** Gray code of an index in [0, 2^32), as an unsigned 32-bit integer. */
function gray(i: number): number {
  return (i ^ (i >>> 1)) >>> 0;
}
