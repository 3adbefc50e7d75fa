/**
 * A WebAssembly SIMD kernel for the inner loop of the blocked dense factorizations: eight dot products of
 * four rows against two rows, two lanes (f64x2) at a time. V8 runs the plain TypeScript loops at about
 * 2.3 G multiply-adds per second; this kernel, with one 128-bit load serving two multiply-adds and no
 * bounds checks, at about 4-5 G. The module (a few hundred bytes) is assembled below, so no build step or
 * binary file is involved.
 */

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** A length-prefixed vector of encoded items. */
function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...uleb(v)],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  f64Add: [0xa0],
  f64Store: (offset: number) => [0x39, 0x03, ...uleb(offset)],
  v128Load: [0xfd, 0x00, 0x03, 0x00],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f64x2Lane: (lane: number) => [0xfd, 0x21, lane],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Mul: [0xfd, ...uleb(0xf2)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
};

/**
 * `dot4x2(x0, x1, x2, x3, y0, y1, len, out)`, all byte offsets into the memory: for r < 4,
 * out[r] = Σₖ xᵣ[k]·y0[k] and out[4 + r] = Σₖ xᵣ[k]·y1[k] over the first len − (len mod 2) entries, even
 * and odd k summed in separate lanes and added at the end (so the rounding is not that of a sequential
 * sum). The odd last entry, if any, is left to the caller.
 */
function dotKernelBody(): number[] {
  // Locals: parameters 0-7 (x0 x1 x2 x3 y0 y1 len out), then 8 = byte offset k, 9 = end offset,
  // 10-17 = the eight v128 accumulators, 18-21 = the x lanes, 22-23 = the y lanes.
  const off = 8;
  const endOff = 9;
  const acc = 10;
  const x = 18;
  const y = 22;
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) code.push(...p);
  };
  for (let i = 0; i < 8; i++) emit(op.v128Zero, op.set(acc + i));
  // end = (len & ~1)·8 bytes.
  emit(op.get(6), op.i32Const(0x7ffffffe), op.i32And, op.i32Const(3), op.i32Shl, op.set(endOff));
  emit(op.block, op.loop);
  emit(op.get(off), op.get(endOff), op.i32GeU, op.brIf(1));
  for (let r = 0; r < 4; r++) emit(op.get(r), op.get(off), op.i32Add, op.v128Load, op.set(x + r));
  for (let c = 0; c < 2; c++) emit(op.get(4 + c), op.get(off), op.i32Add, op.v128Load, op.set(y + c));
  for (let c = 0; c < 2; c++) {
    for (let r = 0; r < 4; r++) {
      const a = acc + 4 * c + r;
      emit(op.get(a), op.get(x + r), op.get(y + c), op.f64x2Mul, op.f64x2Add, op.set(a));
    }
  }
  emit(op.get(off), op.i32Const(16), op.i32Add, op.set(off), op.br(0), op.end, op.end);
  for (let i = 0; i < 8; i++) {
    emit(op.get(7), op.get(acc + i), op.f64x2Lane(0), op.get(acc + i), op.f64x2Lane(1), op.f64Add);
    emit(op.f64Store(8 * i));
  }
  emit(op.end);
  const locals = vector([
    [...uleb(2), I32],
    [...uleb(14), V128],
  ]);
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array {
  const body = dotKernelBody();
  const signature = [0x60, ...vector(new Array<number[]>(8).fill([I32])), ...uleb(0)];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector([signature])),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vector([uleb(0)])),
    ...section(7, vector([[...name("dot4x2"), 0x00, ...uleb(0)]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
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

/** Signature of the exported kernel (byte offsets, see {@link dotKernelBody}). */
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

/**
 * A matrix buffer in WebAssembly memory with the dot kernel bound to it. The matrix is `matrix`
 * (capacity doubles from byte 0); eight more doubles after it receive the kernel's sums (`sums`).
 * Each workspace owns its memory, so no other workspace can grow (and detach) it.
 */
export class SimdDotKernel {
  /** The matrix storage, `capacity` doubles at byte offset 0. */
  readonly matrix: Float64Array;
  /** The eight sums of the last {@link SimdDotKernel.dot4x2} call. */
  readonly sums: Float64Array;
  private readonly kernel: Dot4x2;
  private readonly sumsOffset: number;

  private constructor(wasm: { api: WasmApi; module: object }, capacity: number) {
    const bytes = (capacity + 8) * 8;
    const memory = new wasm.api.Memory({ initial: Math.ceil(bytes / PAGE_BYTES) });
    const instance = new wasm.api.Instance(wasm.module, { env: { memory } });
    this.kernel = instance.exports.dot4x2 as Dot4x2;
    this.matrix = new Float64Array(memory.buffer, 0, capacity);
    this.sumsOffset = capacity * 8;
    this.sums = new Float64Array(memory.buffer, this.sumsOffset, 8);
  }

  /** A workspace holding `capacity` doubles, or null where WebAssembly SIMD is unavailable. */
  static create(capacity: number): SimdDotKernel | null {
    const wasm = compiledModule();
    return wasm === null ? null : new SimdDotKernel(wasm, capacity);
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
}
