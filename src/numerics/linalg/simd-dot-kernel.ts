/**
 * WebAssembly SIMD kernels for the O(n³) and O(n²) loops of large GPs: eight dot products of four rows
 * against two rows (the inner loop of the blocked factorizations), one dot product, and the forward and
 * back substitutions of one vector, two lanes (f64x2) at a time. V8 runs the plain TypeScript loops at
 * about 2.3 G multiply-adds per second; the four-by-two kernel, with one 128-bit load serving two
 * multiply-adds and no bounds checks, at about 4-5 G. The module (under a kilobyte) is assembled from the
 * instruction lists below (see wasm-encoding.ts), so no build step or binary file is involved.
 */

import { assembleModule, F64, I32, op, V128, type WasmFunction } from "./wasm-encoding.js";

/**
 * Opens the main loop of a kernel over whole groups of `-mask` entries (mask −2 for pairs, −4 for
 * quadruples): end = (count & mask)·8 bytes into local `endOff`, then `block`, `loop` and the exit test
 * `off ≥ end`. The body advances `off` and closes with `br 0`, `end`, `end`; the remaining entries are the
 * caller's.
 */
function openStridedLoop(count: number, mask: -2 | -4, off: number, endOff: number): number[][] {
  return [
    op.get(count),
    op.i32Const(mask),
    op.i32And,
    op.i32Const(3),
    op.i32Shl,
    op.set(endOff),
    op.block,
    op.loop,
    op.get(off),
    op.get(endOff),
    op.i32GeU,
    op.brIf(1),
  ];
}

/**
 * `dot4x2(x0, x1, x2, x3, y0, y1, len, out)`, all byte offsets into the memory: for r < 4,
 * out[r] = Σₖ xᵣ[k]·y0[k] and out[4 + r] = Σₖ xᵣ[k]·y1[k] over the first len − (len mod 2) entries, even
 * and odd k summed in separate lanes and added at the end (so the rounding is not that of a sequential
 * sum). The odd last entry, if any, is left to the caller.
 */
function dot4x2Function(): WasmFunction {
  // Locals: parameters 0-7 (x0 x1 x2 x3 y0 y1 len out), then 8 = byte offset k, 9 = end offset,
  // 10-17 = the eight v128 accumulators, 18-21 = the x lanes, 22-23 = the y lanes.
  const off = 8;
  const endOff = 9;
  const acc = 10;
  const x = 18;
  const y = 22;
  const body: number[][] = [];
  // The v128 accumulators start at zero, as locals do.
  body.push(...openStridedLoop(6, -2, off, endOff));
  for (let r = 0; r < 4; r++) body.push(op.get(r), op.get(off), op.i32Add, op.v128Load(), op.set(x + r));
  for (let c = 0; c < 2; c++) body.push(op.get(4 + c), op.get(off), op.i32Add, op.v128Load(), op.set(y + c));
  for (let c = 0; c < 2; c++) {
    for (let r = 0; r < 4; r++) {
      const a = acc + 4 * c + r;
      body.push(op.get(a), op.get(x + r), op.get(y + c), op.f64x2Mul, op.f64x2Add, op.set(a));
    }
  }
  body.push(op.get(off), op.i32Const(16), op.i32Add, op.set(off), op.br(0), op.end, op.end);
  for (let i = 0; i < 8; i++) {
    body.push(op.get(7), op.get(acc + i), op.f64x2Lane(0), op.get(acc + i), op.f64x2Lane(1), op.f64Add);
    body.push(op.f64Store(8 * i));
  }
  return {
    name: "dot4x2",
    params: new Array<number>(8).fill(I32),
    results: [],
    locals: [I32, I32, ...new Array<number>(14).fill(V128)],
    body,
  };
}

/** Index of {@link dotFunction} in the module, called by the solves. */
const DOT = 1;

/**
 * `dot(a, b, len) → Σₖ a[k]·b[k]` (byte offsets): four running sums (two f64x2 accumulators over
 * blocks of four entries), then a remaining pair and a remaining entry.
 */
function dotFunction(): WasmFunction {
  // Locals: 0 a, 1 b, 2 len, 3 byte offset, 4 end of the blocks of four, 5-6 accumulators, 7 sum.
  const [a, b, len, off, endOff, acc0, acc1, sum] = [0, 1, 2, 3, 4, 5, 6, 7];
  const madd = (accumulator: number, offset: number) => [
    op.get(accumulator),
    op.get(a),
    op.get(off),
    op.i32Add,
    op.v128Load(offset),
    op.get(b),
    op.get(off),
    op.i32Add,
    op.v128Load(offset),
    op.f64x2Mul,
    op.f64x2Add,
    op.set(accumulator),
  ];
  const body: number[][] = [
    ...openStridedLoop(len, -4, off, endOff),
    ...madd(acc0, 0),
    ...madd(acc1, 16),
    op.get(off),
    op.i32Const(32),
    op.i32Add,
    op.set(off),
    op.br(0),
    op.end,
    op.end,
    op.get(len),
    op.i32Const(2),
    op.i32And,
    op.if,
    ...madd(acc0, 0),
    op.get(off),
    op.i32Const(16),
    op.i32Add,
    op.set(off),
    op.end,
    op.get(acc0),
    op.f64x2Lane(0),
    op.get(acc1),
    op.f64x2Lane(0),
    op.f64Add,
    op.get(acc0),
    op.f64x2Lane(1),
    op.get(acc1),
    op.f64x2Lane(1),
    op.f64Add,
    op.f64Add,
    op.set(sum),
    op.get(len),
    op.i32Const(1),
    op.i32And,
    op.if,
    op.get(sum),
    op.get(a),
    op.get(off),
    op.i32Add,
    op.f64Load(),
    op.get(b),
    op.get(off),
    op.i32Add,
    op.f64Load(),
    op.f64Mul,
    op.f64Add,
    op.set(sum),
    op.end,
    op.get(sum),
  ];
  return { name: "dot", params: [I32, I32, I32], results: [F64], locals: [I32, I32, V128, V128, F64], body };
}

/**
 * `solveLower(L, n, v)`: L·x = v in place by forward substitution, L n×n row-major lower triangular
 * (byte offsets): xᵢ = (vᵢ − dot(L[i, :i], x[:i]))/L[i, i].
 */
function solveLowerFunction(): WasmFunction {
  // Locals: 0 L, 1 n, 2 v, 3 i, 4 row i of L, 5 v + 8i.
  const [L, n, v, i, row, vi] = [0, 1, 2, 3, 4, 5];
  const body: number[][] = [
    op.get(L),
    op.set(row),
    op.get(v),
    op.set(vi),
    op.block,
    op.loop,
    op.get(i),
    op.get(n),
    op.i32GeU,
    op.brIf(1),
    op.get(vi),
    op.get(vi),
    op.f64Load(),
    op.get(row),
    op.get(v),
    op.get(i),
    op.call(DOT),
    op.f64Sub,
    op.get(row),
    op.get(i),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.f64Load(),
    op.f64Div,
    op.f64Store(),
    op.get(i),
    op.i32Const(1),
    op.i32Add,
    op.set(i),
    op.get(row),
    op.get(n),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.set(row),
    op.get(vi),
    op.i32Const(8),
    op.i32Add,
    op.set(vi),
    op.br(0),
    op.end,
    op.end,
  ];
  return { name: "solveLower", params: [I32, I32, I32], results: [], locals: [I32, I32, I32], body };
}

/**
 * `solveUpper(U, n, v)`: U·x = v in place by back substitution, U n×n row-major upper triangular (byte
 * offsets): xᵢ = (vᵢ − dot(U[i, i+1:], x[i+1:]))/U[i, i], i from n − 1 down.
 */
function solveUpperFunction(): WasmFunction {
  // Locals: 0 U, 1 n, 2 v, 3 i, 4 address of U[i, i], 5 address of vᵢ.
  const [U, n, v, i, diag, vi] = [0, 1, 2, 3, 4, 5];
  const body: number[][] = [
    op.get(n),
    op.set(i),
    op.block,
    op.loop,
    op.get(i),
    op.i32Eqz,
    op.brIf(1),
    op.get(i),
    op.i32Const(1),
    op.i32Sub,
    op.set(i),
    op.get(U),
    op.get(i),
    op.get(n),
    op.i32Mul,
    op.get(i),
    op.i32Add,
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.set(diag),
    op.get(v),
    op.get(i),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.set(vi),
    op.get(vi),
    op.get(vi),
    op.f64Load(),
    op.get(diag),
    op.i32Const(8),
    op.i32Add,
    op.get(vi),
    op.i32Const(8),
    op.i32Add,
    op.get(n),
    op.i32Const(1),
    op.i32Sub,
    op.get(i),
    op.i32Sub,
    op.call(DOT),
    op.f64Sub,
    op.get(diag),
    op.f64Load(),
    op.f64Div,
    op.f64Store(),
    op.br(0),
    op.end,
    op.end,
  ];
  return { name: "solveUpper", params: [I32, I32, I32], results: [], locals: [I32, I32, I32], body };
}

/**
 * `axpy(y, x, a, len)`: y[k] += a·x[k] for k < len (byte offsets), two lanes at a time, the odd last
 * entry alone.
 */
function axpyFunction(): WasmFunction {
  // Locals: 0 y, 1 x, 2 a, 3 len, 4 byte offset, 5 end of the pairs, 6 a in both lanes.
  const [y, x, a, len, off, endOff, av] = [0, 1, 2, 3, 4, 5, 6];
  const body: number[][] = [
    op.get(a),
    op.f64x2Splat,
    op.set(av),
    ...openStridedLoop(len, -2, off, endOff),
    op.get(y),
    op.get(off),
    op.i32Add,
    op.get(y),
    op.get(off),
    op.i32Add,
    op.v128Load(),
    op.get(av),
    op.get(x),
    op.get(off),
    op.i32Add,
    op.v128Load(),
    op.f64x2Mul,
    op.f64x2Add,
    op.v128Store(),
    op.get(off),
    op.i32Const(16),
    op.i32Add,
    op.set(off),
    op.br(0),
    op.end,
    op.end,
    op.get(len),
    op.i32Const(1),
    op.i32And,
    op.if,
    op.get(y),
    op.get(off),
    op.i32Add,
    op.get(y),
    op.get(off),
    op.i32Add,
    op.f64Load(),
    op.get(a),
    op.get(x),
    op.get(off),
    op.i32Add,
    op.f64Load(),
    op.f64Mul,
    op.f64Add,
    op.f64Store(),
    op.end,
  ];
  return { name: "axpy", params: [I32, I32, F64, I32], results: [], locals: [I32, I32, V128], body };
}

/** Degree of the Taylor polynomial of e^r on |r| ≤ ln(2)/2: the first omitted term is below 4e-18. */
const EXP_DEGREE = 13;
/** ln 2 in two parts (the high part exact in 32 bits), for the argument reduction of exp. */
const LN2_HIGH = 0.6931471803691238;
const LN2_LOW = 1.9082149292705877e-10;
/** Below this, e^x is replaced by e^this (about 3e-308): covariances that small are zero for the GP. */
const EXP_FLOOR = -708;

/**
 * `matern52(r2, k, g, count, s2)`, byte offsets, pairs of entries only (the odd last one is the
 * caller's): with r = √r2[p] and e = s2·exp(−√5r), k[p] = (1 + √5r + 5r²/3)·e (the Matérn-5/2
 * covariance) and g[p] = (5/3)(1 + √5r)·e (its radial derivative factor). exp(x) = 2ʲ·e^t with
 * j = round(x/ln 2), t = x − j·ln 2 and e^t by its Taylor polynomial (relative error about 2e-16).
 */
function maternFunction(): WasmFunction {
  // Locals: 0 r2, 1 k, 2 g, 3 count, 4 s2, 5 byte offset, 6 end, 7 q, 8 r, 9 x, 10 j, 11 p.
  const [r2, kOut, gOut, count, s2, off, endOff, q, r, x, j, p] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const constant = (v: number) => [op.f64Const(v), op.f64x2Splat];
  const address = (base: number) => [op.get(base), op.get(off), op.i32Add];
  const body: number[][] = [
    ...openStridedLoop(count, -2, off, endOff),
    ...address(r2),
    op.v128Load(),
    op.set(q),
    op.get(q),
    op.f64x2Sqrt,
    op.set(r),
    // x = max(−√5·r, floor); j = round(x/ln 2); x ← (x − j·ln2_hi) − j·ln2_lo.
    ...constant(-Math.sqrt(5)),
    op.get(r),
    op.f64x2Mul,
    ...constant(EXP_FLOOR),
    op.f64x2Max,
    op.set(x),
    op.get(x),
    ...constant(1 / Math.LN2),
    op.f64x2Mul,
    op.f64x2Nearest,
    op.set(j),
    op.get(x),
    op.get(j),
    ...constant(LN2_HIGH),
    op.f64x2Mul,
    op.f64x2Sub,
    op.get(j),
    ...constant(LN2_LOW),
    op.f64x2Mul,
    op.f64x2Sub,
    op.set(x),
    ...constant(1 / factorial(EXP_DEGREE)),
    op.set(p),
  ];
  for (let i = EXP_DEGREE - 1; i >= 0; i--) {
    body.push(op.get(p), op.get(x), op.f64x2Mul, ...constant(1 / factorial(i)), op.f64x2Add, op.set(p));
  }
  body.push(
    // p ← s2·e^t·2ʲ, 2ʲ built as the bits (j + 1023) << 52.
    op.get(p),
    op.get(j),
    op.i32x4TruncSatF64x2SZero,
    op.i64x2ExtendLowI32x4S,
    op.i64Const(1023),
    op.i64x2Splat,
    op.i64x2Add,
    op.i32Const(52),
    op.i64x2Shl,
    op.f64x2Mul,
    op.get(s2),
    op.f64x2Splat,
    op.f64x2Mul,
    op.set(p),
    // r ← 1 + √5·r
    op.get(r),
    ...constant(Math.sqrt(5)),
    op.f64x2Mul,
    ...constant(1),
    op.f64x2Add,
    op.set(r),
    ...address(kOut),
    op.get(r),
    ...constant(5 / 3),
    op.get(q),
    op.f64x2Mul,
    op.f64x2Add,
    op.get(p),
    op.f64x2Mul,
    op.v128Store(),
    ...address(gOut),
    ...constant(5 / 3),
    op.get(r),
    op.f64x2Mul,
    op.get(p),
    op.f64x2Mul,
    op.v128Store(),
    op.get(off),
    op.i32Const(16),
    op.i32Add,
    op.set(off),
    op.br(0),
    op.end,
    op.end,
  );
  return {
    name: "matern52",
    params: [I32, I32, I32, I32, F64],
    results: [],
    locals: [I32, I32, V128, V128, V128, V128, V128],
    body,
  };
}

function factorial(m: number): number {
  let f = 1;
  for (let i = 2; i <= m; i++) f *= i;
  return f;
}

function moduleBytes(): Uint8Array {
  return assembleModule([
    dot4x2Function(),
    dotFunction(),
    solveLowerFunction(),
    solveUpperFunction(),
    axpyFunction(),
    maternFunction(),
  ]);
}

/**
 * The part of the WebAssembly API used here, typed locally: the project's type libraries declare no
 * WebAssembly global (it is present in every Node version the project supports).
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** The compiled module, or null where WebAssembly SIMD is unavailable; built on first use. */
let compiled: { api: WasmApi; module: object } | null | undefined;

function compiledModule(): { api: WasmApi; module: object } | null {
  if (compiled === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      compiled = api === undefined ? null : { api, module: new api.Module(moduleBytes()) };
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Signatures of the exported functions (byte offsets, see their builders above). */
type Solve = (matrix: number, n: number, v: number) => void;
type Axpy = (y: number, x: number, a: number, len: number) => void;
type Matern = (r2: number, k: number, g: number, count: number, s2: number) => void;
type Dot = (a: number, b: number, len: number) => number;
type Dot4x2 = (
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  y0: number,
  y1: number,
  len: number,
  out: number,
) => void;

const PAGE_BYTES = 65536;
const MAX_MEMORY_BYTES = 65536 * PAGE_BYTES;

/**
 * A buffer in WebAssembly memory with the kernels bound to it: `matrix` (capacity doubles from byte 0),
 * which callers lay out as they need (a factor, its transpose, right-hand sides), and eight doubles
 * after it for the sums of {@link SimdDotKernel.dot4x2}. Each workspace owns its memory, fixed in size,
 * so no other workspace can grow (and detach) it.
 */
export class SimdDotKernel {
  /** The matrix storage, `capacity` doubles at byte offset 0. */
  readonly matrix: Float64Array;
  /** The eight sums of the last {@link SimdDotKernel.dot4x2} call. */
  readonly sums: Float64Array;
  private readonly kernel: Dot4x2;
  private readonly dotExport: Dot;
  private readonly solveLowerExport: Solve;
  private readonly solveUpperExport: Solve;
  private readonly axpyExport: Axpy;
  private readonly maternExport: Matern;
  private readonly sumsOffset: number;

  private constructor(wasm: { api: WasmApi; module: object }, capacity: number) {
    const bytes = (capacity + 8) * 8;
    const memory = new wasm.api.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
    const instance = new wasm.api.Instance(wasm.module, { env: { memory } });
    this.kernel = instance.exports.dot4x2 as Dot4x2;
    this.dotExport = instance.exports.dot as Dot;
    this.solveLowerExport = instance.exports.solveLower as Solve;
    this.solveUpperExport = instance.exports.solveUpper as Solve;
    this.axpyExport = instance.exports.axpy as Axpy;
    this.maternExport = instance.exports.matern52 as Matern;
    this.matrix = new Float64Array(memory.buffer, 0, capacity);
    this.sumsOffset = capacity * 8;
    this.sums = new Float64Array(memory.buffer, this.sumsOffset, 8);
  }

  /**
   * A workspace holding `capacity` doubles, or null where WebAssembly SIMD is unavailable or the
   * memory cannot be had (callers then use the TypeScript routines).
   */
  static create(capacity: number): SimdDotKernel | null {
    const wasm = compiledModule();
    // A 32-bit memory holds at most 4 GiB; callers fall back to the TypeScript routines beyond it, or
    // when the engine refuses the allocation.
    if (wasm === null || (capacity + 8) * 8 > MAX_MEMORY_BYTES) return null;
    try {
      return new SimdDotKernel(wasm, capacity);
    } catch {
      return null;
    }
  }

  /**
   * sums[r] = Σₖ M[x_r + k]·M[y0 + k], sums[4 + r] = Σₖ M[x_r + k]·M[y1 + k] for k < len, M =
   * {@link SimdDotKernel.matrix}, offsets in doubles. Even and odd k are summed separately.
   */
  dot4x2(x0: number, x1: number, x2: number, x3: number, y0: number, y1: number, len: number): void {
    const { sums } = this;
    this.kernel(x0 * 8, x1 * 8, x2 * 8, x3 * 8, y0 * 8, y1 * 8, len, this.sumsOffset);
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

  /** Σₖ M[a + k]·M[b + k] for k < len (offsets in doubles), in four running sums. */
  dot(a: number, b: number, len: number): number {
    return this.dotExport(a * 8, b * 8, len);
  }

  /**
   * L·x = v in place: L n×n lower triangular at double offset `matrix` (only its lower triangle read),
   * v of length n at double offset `v`.
   */
  solveLower(matrix: number, n: number, v: number): void {
    this.solveLowerExport(matrix * 8, n, v * 8);
  }

  /**
   * U·x = v in place: U n×n upper triangular at double offset `matrix` (only its upper triangle read),
   * v of length n at double offset `v`.
   */
  solveUpper(matrix: number, n: number, v: number): void {
    this.solveUpperExport(matrix * 8, n, v * 8);
  }

  /** M[y + k] += a·M[x + k] for k < len (offsets in doubles). */
  axpy(y: number, x: number, a: number, len: number): void {
    this.axpyExport(y * 8, x * 8, a, len);
  }

  /**
   * The Matérn-5/2 covariance and radial factor from squared scaled distances, for k < count (offsets in
   * doubles): with r = √M[r2 + k] and e = s2·exp(−√5r), M[kOut + k] = (1 + √5r + 5r²/3)·e and
   * M[gOut + k] = (5/3)(1 + √5r)·e. Equal to the TypeScript formulas to a few ulps (the exponential is
   * the kernel's own); below about 3e-308 (r > 316) the covariances are not exact but tiny.
   */
  matern52(r2: number, kOut: number, gOut: number, count: number, s2: number): void {
    this.maternExport(r2 * 8, kOut * 8, gOut * 8, count, s2);
    if ((count & 1) === 1) {
      const M = this.matrix;
      const i = count - 1;
      const q = M[r2 + i]!;
      const r = Math.sqrt(q);
      const e = s2 * Math.exp(-Math.sqrt(5) * r);
      M[kOut + i] = (1 + Math.sqrt(5) * r + (5 / 3) * q) * e;
      M[gOut + i] = (5 / 3) * (1 + Math.sqrt(5) * r) * e;
    }
  }
}
