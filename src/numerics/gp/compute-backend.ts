/**
 * Where a GP's O(n²) and O(n³) loops run, chosen once per model size: TypeScript, or WebAssembly SIMD
 * above {@link SIMD_MIN_EXCLUSIVE_OBSERVATIONS} observations. The backend owns the memory: its user names
 * the regions it needs (a factor, right-hand sides, pairwise data), the backend lays them out one after
 * another in one buffer (a plain array, or WebAssembly memory) and runs the loops on them by offset, so
 * GP code reads the same on either path.
 */
import {
  backSolveUnrolled,
  type FourByTwoDots,
  forwardSolveUnrolled,
  ScalarDots,
  solveLowerRows,
} from "../linalg/index.js";
import { SimdWorkspace } from "../simd/index.js";
import type { CovarianceKernel } from "./kernels/covariance-kernel.js";
import { DEFAULT_KERNEL } from "./kernels/default-kernel.js";
import { matern52 } from "./kernels/matern52.js";

/**
 * Above this many observations the loops run in the WebAssembly SIMD workspace, about twice as fast from
 * a few hundred observations on (a fit's factorization and inverse at n = 400, 9 ms instead of 17; at
 * n = 1,000, 0.14 s instead of 0.28). Its sums are in another order and its exponential is its own, so
 * results agree with the TypeScript path to rounding only: at or below this size, which covers every fit
 * of up to 128 observations and every subset search of a larger one (see `DEFAULT_SUBSET_SIZE`), the
 * TypeScript path is kept and results are unchanged bit for bit.
 */
export const SIMD_MIN_EXCLUSIVE_OBSERVATIONS = 128;

/** Sizes in doubles of a workspace's named regions, laid out in key order; the first starts at 0. */
export type RegionSizes<K extends string> = Readonly<Record<K, number>>;

/**
 * A workspace and the loops that run on it. Offsets are in doubles into {@link ComputeBackend.memory};
 * the routines that take a factor L without an offset expect it at 0 (the first region).
 */
export abstract class ComputeBackend<K extends string> {
  /** The whole workspace. */
  readonly memory: Float64Array;
  /** The offset of each region. */
  readonly at: Readonly<Record<K, number>>;
  /** Eight dot products of four rows against two, over {@link ComputeBackend.memory}. */
  abstract readonly dots: FourByTwoDots;

  protected constructor(
    readonly kind: "typescript" | "simd",
    memory: Float64Array,
    at: Readonly<Record<K, number>>,
    private readonly sizes: RegionSizes<K>,
    /** The kernel of {@link ComputeBackend.covariancesWithRadial}. */
    readonly kernel: CovarianceKernel,
  ) {
    this.memory = memory;
    this.at = at;
  }

  /** The region `name` as a view of the memory. */
  region(name: K): Float64Array {
    const start = this.at[name];
    return this.memory.subarray(start, start + this.sizes[name]);
  }

  /** L·x = v in place: L n×n lower triangular at offset `l`, v (length n) at offset `v`. */
  abstract solveLower(l: number, n: number, v: number): void;
  /** U·x = v in place: U n×n upper triangular (row-major) at offset `u`, v at offset `v`. */
  abstract solveUpper(u: number, n: number, v: number): void;
  /** L·vᵣ = bᵣ in place for the mb rows (length n each) from offset `rows`, L at offset 0. */
  abstract solveLowerRows(n: number, rows: number, mb: number): void;
  /** M[y + k] += a·M[x + k] for k < len, in order. */
  abstract axpy(y: number, x: number, a: number, len: number): void;
  /** Σₖ M[a + k]·M[b + k] for k < len. */
  abstract dot(a: number, b: number, len: number): number;
  /** The kernel's covariances and radial factors at offsets k and g from the `count` r² at offset r2. */
  covariancesWithRadial(r2: number, k: number, g: number, count: number, outputscale: number): void {
    const M = this.memory;
    this.kernel.covariancesWithRadial(M, r2, M, k, M, g, count, outputscale);
  }
}

/** Offsets of the regions in key order, and the total size. */
function layOut<K extends string>(sizes: RegionSizes<K>): { at: Record<K, number>; size: number } {
  const at = {} as Record<K, number>;
  let size = 0;
  for (const name of Object.keys(sizes) as K[]) {
    at[name] = size;
    size += sizes[name];
  }
  return { at, size };
}

/**
 * The backend for a model of n observations with the given regions and covariance kernel: SIMD above
 * {@link SIMD_MIN_EXCLUSIVE_OBSERVATIONS} where WebAssembly SIMD and the memory can be had, TypeScript
 * otherwise.
 */
export function backendFor<K extends string>(
  n: number,
  sizes: RegionSizes<K>,
  kernel: CovarianceKernel = DEFAULT_KERNEL,
): ComputeBackend<K> {
  const { at, size } = layOut(sizes);
  if (n > SIMD_MIN_EXCLUSIVE_OBSERVATIONS) {
    const workspace = SimdWorkspace.create(size);
    if (workspace !== null) return new SimdBackend(workspace, at, sizes, kernel);
  }
  return new TypeScriptBackend(new Float64Array(size), at, sizes, kernel);
}

/** The loops in plain TypeScript, each in the form it was measured and fixed in (see each method). */
export class TypeScriptBackend<K extends string> extends ComputeBackend<K> {
  readonly dots: ScalarDots;

  constructor(
    memory: Float64Array,
    at: Readonly<Record<K, number>>,
    sizes: RegionSizes<K>,
    kernel: CovarianceKernel,
  ) {
    super("typescript", memory, at, sizes, kernel);
    this.dots = new ScalarDots(memory);
  }

  /** Four partial sums per row. */
  solveLower(l: number, n: number, v: number): void {
    forwardSolveUnrolled(this.memory, l, n, this.memory, v);
  }

  /** Four partial sums per row. */
  solveUpper(u: number, n: number, v: number): void {
    backSolveUnrolled(this.memory, u, n, this.memory, v);
  }

  /** Blocks of four right-hand sides, the rest one by one with four partial sums per row. */
  solveLowerRows(n: number, rows: number, mb: number): void {
    solveLowerRows(this.dots, n, rows, mb, unrolledSolve);
  }

  axpy(y: number, x: number, a: number, len: number): void {
    const M = this.memory;
    for (let k = 0; k < len; k++) M[y + k]! += a * M[x + k]!;
  }

  /** Two partial sums (even and odd k), added at the end. */
  dot(a: number, b: number, len: number): number {
    const M = this.memory;
    let s0 = 0;
    let s1 = 0;
    let k = 0;
    for (; k + 1 < len; k += 2) {
      s0 += M[a + k]! * M[b + k]!;
      s1 += M[a + k + 1]! * M[b + k + 1]!;
    }
    if (k < len) s0 += M[a + k]! * M[b + k]!;
    return s0 + s1;
  }
}

function unrolledSolve(M: Float64Array, n: number, o: number): void {
  forwardSolveUnrolled(M, 0, n, M, o);
}

/** The loops in the WebAssembly SIMD workspace (with its own exponential for the Matérn-5/2 kernel). */
export class SimdBackend<K extends string> extends ComputeBackend<K> {
  /** Whether the kernel is the one the SIMD module computes itself. */
  private readonly simdKernel: boolean;

  constructor(
    readonly dots: SimdWorkspace,
    at: Readonly<Record<K, number>>,
    sizes: RegionSizes<K>,
    kernel: CovarianceKernel,
  ) {
    super("simd", dots.matrix, at, sizes, kernel);
    this.simdKernel = kernel === matern52;
  }

  solveLower(l: number, n: number, v: number): void {
    this.dots.solveLower(l, n, v);
  }

  solveUpper(u: number, n: number, v: number): void {
    this.dots.solveUpper(u, n, v);
  }

  /** Blocks of four right-hand sides, the rest one by one by sequential sums. */
  solveLowerRows(n: number, rows: number, mb: number): void {
    solveLowerRows(this.dots, n, rows, mb);
  }

  axpy(y: number, x: number, a: number, len: number): void {
    this.dots.axpy(y, x, a, len);
  }

  dot(a: number, b: number, len: number): number {
    return this.dots.dot(a, b, len);
  }

  /** Matérn-5/2 in SIMD; other kernels by their own TypeScript loop on the workspace. */
  override covariancesWithRadial(r2: number, k: number, g: number, count: number, outputscale: number): void {
    if (this.simdKernel) this.dots.matern52(r2, k, g, count, outputscale);
    else super.covariancesWithRadial(r2, k, g, count, outputscale);
  }
}
