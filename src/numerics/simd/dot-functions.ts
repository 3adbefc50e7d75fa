/**
 * The dot-product kernels of the SIMD module as WebAssembly instruction lists: eight dot products of four
 * rows against two (the inner loop of the blocked factorizations and solves), one dot product, and
 * y += a·x. Two lanes (f64x2) at a time; one 128-bit load serves two multiply-adds.
 */
import {
  advance,
  closeStridedLoop,
  F64,
  I32,
  op,
  openStridedLoop,
  V128,
  type WasmFunction,
} from "./wasm-encoding.js";

/**
 * `dot4x2(x0, x1, x2, x3, y0, y1, len, out)`, all byte offsets into the memory: for r < 4,
 * out[r] = Σₖ xᵣ[k]·y0[k] and out[4 + r] = Σₖ xᵣ[k]·y1[k] over the first len − (len mod 2) entries, even
 * and odd k summed in separate lanes and added at the end (so the rounding is not that of a sequential
 * sum). The odd last entry, if any, is left to the caller.
 */
export function dot4x2Function(): WasmFunction {
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
  body.push(...closeStridedLoop(off, 16));
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

/**
 * `dot(a, b, len) → Σₖ a[k]·b[k]` (byte offsets): four running sums (two f64x2 accumulators over
 * blocks of four entries), then a remaining pair and a remaining entry.
 */
export function dotFunction(): WasmFunction {
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
    ...closeStridedLoop(off, 32),
    op.get(len),
    op.i32Const(2),
    op.i32And,
    op.if,
    ...madd(acc0, 0),
    ...advance(off, 16),
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
 * `axpy(y, x, a, len)`: y[k] += a·x[k] for k < len (byte offsets), two lanes at a time, the odd last
 * entry alone.
 */
export function axpyFunction(): WasmFunction {
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
    ...closeStridedLoop(off, 16),
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
