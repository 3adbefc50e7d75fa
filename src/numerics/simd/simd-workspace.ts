/**
 * A buffer in WebAssembly memory with the SIMD module's functions bound to it: V8 runs plain TypeScript
 * loops at about 2.3 G multiply-adds per second; the four-by-two dot products here, with one 128-bit load
 * serving two multiply-adds and no bounds checks, at about 4-5 G. The module is assembled at run time from
 * the instruction lists of this folder (see wasm-encoding.ts), so no build step or binary file is involved.
 */
import type { FourByTwoDots } from "../linalg/block-dots.js";
import { type CompiledSimdModule, compiledSimdModule, type SimdExports } from "./simd-module.js";

const PAGE_BYTES = 65536;
const MAX_MEMORY_BYTES = 65536 * PAGE_BYTES;
const SQRT5 = Math.sqrt(5);

/**
 * `matrix` (capacity doubles from byte 0), which its owner lays out as it needs (a factor, its transpose,
 * right-hand sides, pairwise data), and eight doubles after it for the sums of
 * {@link SimdWorkspace.dot4x2}. Each workspace owns its memory, fixed in size, so no other workspace can
 * grow (and detach) it. Offsets are in doubles. Its sums run in another order than the TypeScript
 * routines' (even and odd terms apart), so results agree with them to rounding, not bit for bit.
 */
export class SimdWorkspace implements FourByTwoDots {
  /** The storage, `capacity` doubles at byte offset 0. */
  readonly matrix: Float64Array;
  /** The eight sums of the last {@link SimdWorkspace.dot4x2} call. */
  readonly sums: Float64Array;
  private readonly exports: SimdExports;
  private readonly sumsOffset: number;

  private constructor(wasm: CompiledSimdModule, capacity: number) {
    const bytes = (capacity + 8) * 8;
    const memory = new wasm.api.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
    const instance = new wasm.api.Instance(wasm.module, { env: { memory } });
    this.exports = instance.exports as unknown as SimdExports;
    this.matrix = new Float64Array(memory.buffer, 0, capacity);
    this.sumsOffset = capacity * 8;
    this.sums = new Float64Array(memory.buffer, this.sumsOffset, 8);
  }

  /**
   * A workspace holding `capacity` doubles, or null where WebAssembly SIMD is unavailable or the memory
   * cannot be had (callers then use the TypeScript routines).
   */
  static create(capacity: number): SimdWorkspace | null {
    const wasm = compiledSimdModule();
    // A 32-bit memory holds at most 4 GiB; callers fall back to the TypeScript routines beyond it, or
    // when the engine refuses the allocation.
    if (wasm === null || (capacity + 8) * 8 > MAX_MEMORY_BYTES) return null;
    try {
      return new SimdWorkspace(wasm, capacity);
    } catch {
      return null;
    }
  }

  /**
   * sums[r] = Σₖ M[x_r + k]·M[y0 + k], sums[4 + r] = Σₖ M[x_r + k]·M[y1 + k] for k < len, M =
   * {@link SimdWorkspace.matrix}. Even and odd k are summed separately; the odd last entry here.
   */
  dot4x2(x0: number, x1: number, x2: number, x3: number, y0: number, y1: number, len: number): void {
    const { sums } = this;
    this.exports.dot4x2(x0 * 8, x1 * 8, x2 * 8, x3 * 8, y0 * 8, y1 * 8, len, this.sumsOffset);
    if ((len & 1) === 1) {
      const M = this.matrix;
      const k = len - 1;
      const a = M[y0 + k]!;
      const b = M[y1 + k]!;
      const v0 = M[x0 + k]!;
      const v1 = M[x1 + k]!;
      const v2 = M[x2 + k]!;
      const v3 = M[x3 + k]!;
      sums[0]! += v0 * a;
      sums[1]! += v1 * a;
      sums[2]! += v2 * a;
      sums[3]! += v3 * a;
      sums[4]! += v0 * b;
      sums[5]! += v1 * b;
      sums[6]! += v2 * b;
      sums[7]! += v3 * b;
    }
  }

  /** Σₖ M[a + k]·M[b + k] for k < len, in four running sums. */
  dot(a: number, b: number, len: number): number {
    return this.exports.dot(a * 8, b * 8, len);
  }

  /** L·x = v in place: L n×n lower triangular at `matrix` (lower triangle read), v (length n) at `v`. */
  solveLower(matrix: number, n: number, v: number): void {
    this.exports.solveLower(matrix * 8, n, v * 8);
  }

  /** U·x = v in place: U n×n upper triangular at `matrix` (upper triangle read), v (length n) at `v`. */
  solveUpper(matrix: number, n: number, v: number): void {
    this.exports.solveUpper(matrix * 8, n, v * 8);
  }

  /** M[y + k] += a·M[x + k] for k < len. */
  axpy(y: number, x: number, a: number, len: number): void {
    this.exports.axpy(y * 8, x * 8, a, len);
  }

  /**
   * The Matérn-5/2 covariance and radial factor from squared scaled distances, for k < count: with
   * r = √M[r2 + k] and e = s2·exp(−√5r), M[kOut + k] = (1 + √5r + 5r²/3)·e and
   * M[gOut + k] = (5/3)(1 + √5r)·e. Equal to the TypeScript formulas to a few ulps (the exponential is
   * the module's own); below about 3e-308 (r > 316) the covariances are not exact but tiny.
   */
  matern52(r2: number, kOut: number, gOut: number, count: number, s2: number): void {
    this.exports.matern52(r2 * 8, kOut * 8, gOut * 8, count, s2);
    if ((count & 1) === 1) {
      const M = this.matrix;
      const i = count - 1;
      const q = M[r2 + i]!;
      const r = Math.sqrt(q);
      const e = s2 * Math.exp(-SQRT5 * r);
      M[kOut + i] = (1 + SQRT5 * r + (5 / 3) * q) * e;
      M[gOut + i] = (5 / 3) * (1 + SQRT5 * r) * e;
    }
  }
}
