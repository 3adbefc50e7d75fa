/**
 * The triangular solves of one vector in the SIMD module, as WebAssembly instruction lists: each row's
 * sum is a call of the module's `dot` function (its index in the module is passed in).
 */
import { advance, I32, op, type WasmFunction } from "./wasm-encoding.js";

/**
 * `solveLower(L, n, v)`: L·x = v in place by forward substitution, L n×n row-major lower triangular
 * (byte offsets): xᵢ = (vᵢ − dot(L[i, :i], x[:i]))/L[i, i].
 */
export function solveLowerFunction(dotIndex: number): WasmFunction {
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
    op.call(dotIndex),
    op.f64Sub,
    op.get(row),
    op.get(i),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.f64Load(),
    op.f64Div,
    op.f64Store(),
    ...advance(i, 1),
    op.get(row),
    op.get(n),
    op.i32Const(3),
    op.i32Shl,
    op.i32Add,
    op.set(row),
    ...advance(vi, 8),
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
export function solveUpperFunction(dotIndex: number): WasmFunction {
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
    op.call(dotIndex),
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
