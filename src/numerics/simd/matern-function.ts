/**
 * The Matérn-5/2 covariance of the SIMD module as a WebAssembly instruction list, with its own vectorized
 * exponential (no WebAssembly instruction computes one).
 */
import { closeStridedLoop, F64, I32, op, openStridedLoop, V128, type WasmFunction } from "./wasm-encoding.js";

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
export function maternFunction(): WasmFunction {
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
    ...closeStridedLoop(off, 16),
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
