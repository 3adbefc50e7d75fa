/**
 * Just enough of the WebAssembly binary format to assemble the small SIMD kernels of this folder at run
 * time from readable instruction lists: no toolchain, no binary file in the repository. One module, one
 * imported memory ("env", "memory"), functions of i32/f64 parameters, all exported by name.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

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

/** Signed LEB128 (i32.const immediates). */
function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** Memory argument of a load or store: alignment hint 8 bytes, constant byte offset. */
const memarg = (offset: number) => [0x03, ...uleb(offset)];
const simd = (code: number) => [0xfd, ...uleb(code)];

/** The instructions the kernels use, each as its encoded bytes. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  call: (f: number) => [0x10, ...uleb(f)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  f64Load: (offset = 0) => [0x2b, ...memarg(offset)],
  f64Store: (offset = 0) => [0x39, ...memarg(offset)],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Div: [0xa3],
  f64Const: (v: number) => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)],
  i64Const: (v: number) => [0x42, ...sleb(v)],
  v128Load: (offset = 0) => [...simd(0x00), ...memarg(offset)],
  v128Store: (offset = 0) => [...simd(0x0b), ...memarg(offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  i64x2Splat: simd(0x12),
  f64x2Splat: simd(0x14),
  f64x2Lane: (lane: number) => [...simd(0x21), lane],
  f64x2Nearest: simd(0x94),
  i64x2ExtendLowI32x4S: simd(0xc7),
  i64x2Shl: simd(0xcb),
  i64x2Add: simd(0xce),
  f64x2Sqrt: simd(0xef),
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
  f64x2Max: simd(0xf5),
  i32x4TruncSatF64x2SZero: simd(0xfc),
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
};

/** One function: its export name, parameter, result and extra local types, and its instructions. */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  /** Types of the locals after the parameters, in order. */
  locals: number[];
  body: number[][];
}

/** The module's bytes: each function gets its own type, index = position in `functions`. */
export function assembleModule(functions: WasmFunction[]): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ]);
  const bodies = functions.map((f) => {
    const locals = vector(f.locals.map((t) => [...uleb(1), t]));
    const code = [...locals, ...f.body.flat(), ...op.end];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}

/**
 * Opens the main loop of a kernel over whole groups of `-mask` entries (mask −2 for pairs, −4 for
 * quadruples): end = (count & mask)·8 bytes into local `endOff`, then `block`, `loop` and the exit test
 * `off ≥ end`. The body ends with {@link closeStridedLoop}; the remaining entries are the caller's.
 */
export function openStridedLoop(count: number, mask: -2 | -4, off: number, endOff: number): number[][] {
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

/** local ← local + `bytes` (an i32 byte offset moved on). */
export function advance(local: number, bytes: number): number[][] {
  return [op.get(local), op.i32Const(bytes), op.i32Add, op.set(local)];
}

/** Closes a loop opened by {@link openStridedLoop}: `off` advanced by `bytes`, `br 0`, `end`, `end`. */
export function closeStridedLoop(off: number, bytes: number): number[][] {
  return [...advance(off, bytes), op.br(0), op.end, op.end];
}
