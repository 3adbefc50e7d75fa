/**
 * The SIMD module: its functions in their fixed order (the solves call `dot` by index), its bytes, and
 * its compilation on first use (null where the engine has no WebAssembly SIMD).
 */
import { axpyFunction, dot4x2Function, dotFunction } from "./dot-functions.js";
import { maternFunction } from "./matern-function.js";
import { solveLowerFunction, solveUpperFunction } from "./solve-functions.js";
import { assembleModule } from "./wasm-encoding.js";

/** Index of `dot` in the module, called by the solves. */
const DOT = 1;

function moduleBytes(): Uint8Array {
  return assembleModule([
    dot4x2Function(),
    dotFunction(),
    solveLowerFunction(DOT),
    solveUpperFunction(DOT),
    axpyFunction(),
    maternFunction(),
  ]);
}

/**
 * The part of the WebAssembly API used here, typed locally: the project's type libraries declare no
 * WebAssembly global (it is present in every Node version the project supports).
 */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

/** The compiled module with the API that compiled it. */
export interface CompiledSimdModule {
  api: WasmApi;
  module: object;
}

/** The compiled module, or null where WebAssembly SIMD is unavailable; built on first use. */
let compiled: CompiledSimdModule | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (compiled once, on first call). */
export function compiledSimdModule(): CompiledSimdModule | null {
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

/** Signatures of the exported functions (byte offsets, see their builders). */
export interface SimdExports {
  dot4x2: (
    x0: number,
    x1: number,
    x2: number,
    x3: number,
    y0: number,
    y1: number,
    len: number,
    out: number,
  ) => void;
  dot: (a: number, b: number, len: number) => number;
  solveLower: (matrix: number, n: number, v: number) => void;
  solveUpper: (matrix: number, n: number, v: number) => void;
  axpy: (y: number, x: number, a: number, len: number) => void;
  matern52: (r2: number, k: number, g: number, count: number, s2: number) => void;
}
