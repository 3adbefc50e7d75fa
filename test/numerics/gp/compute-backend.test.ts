import { describe, expect, it } from "vitest";
import { backendFor, matern52, SIMD_MIN_EXCLUSIVE_OBSERVATIONS } from "../../../src/numerics/gp/index.js";
import {
  choleskyInPlace,
  solveLowerTriangular,
  solveUpperTriangularTransposed,
} from "../../../src/numerics/linalg/index.js";
import { randomGram } from "../linalg/helpers.js";
import { relativeError } from "./helpers.js";

const SMALL = SIMD_MIN_EXCLUSIVE_OBSERVATIONS;
const LARGE = SIMD_MIN_EXCLUSIVE_OBSERVATIONS + 1;

describe("backendFor", () => {
  it("runs TypeScript up to the threshold and SIMD above it", () => {
    expect(backendFor(SMALL, { L: 4 }).kind).toBe("typescript");
    expect(backendFor(LARGE, { L: 4 }).kind).toBe("simd");
  });

  it("lays the regions out in key order from offset 0, each of its size", () => {
    for (const n of [SMALL, LARGE]) {
      const backend = backendFor(n, { L: 9, k: 3, block: 5 });
      expect(backend.at).toEqual({ L: 0, k: 9, block: 12 });
      expect(backend.memory.length).toBe(17);
      backend.region("k").fill(7);
      expect(Array.from(backend.memory.subarray(8, 13))).toEqual([0, 7, 7, 7, 0]);
    }
  });
});

describe.each([SMALL, LARGE])("the backend for %i observations", (size) => {
  const n = 37;
  const L = randomGram(n, n + 2, 3, 0.1);
  expect(choleskyInPlace(L, n)).toBe(true);
  const b = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i));

  function loaded() {
    const backend = backendFor(size, { L: n * n, U: n * n, v: n, rows: 6 * n });
    backend.region("L").set(L);
    const U = backend.region("U");
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) U[j * n + i] = L[i * n + j]!;
    backend.region("v").set(b);
    return backend;
  }

  it("solves with L and with U = Lᵀ like the triangular solves", () => {
    const backend = loaded();
    backend.solveLower(backend.at.L, n, backend.at.v);
    const forward = solveLowerTriangular(L, n, b);
    expect(relativeError(backend.region("v"), forward)).toBeLessThan(1e-13);
    backend.solveUpper(backend.at.U, n, backend.at.v);
    expect(relativeError(backend.region("v"), solveUpperTriangularTransposed(L, n, forward))).toBeLessThan(
      1e-13,
    );
  });

  it("solves six stored rows at once (a block of four and two single ones)", () => {
    const backend = loaded();
    const rows = backend.region("rows");
    for (let i = 0; i < rows.length; i++) rows[i] = Math.sin(0.3 * i);
    const B = rows.slice();
    backend.solveLowerRows(n, backend.at.rows, 6);
    for (let r = 0; r < 6; r++) {
      const expected = solveLowerTriangular(L, n, B.slice(r * n, (r + 1) * n));
      expect(relativeError(rows.subarray(r * n, (r + 1) * n), expected)).toBeLessThan(1e-13);
    }
  });

  it("adds a·x exactly and takes dot products", () => {
    const backend = loaded();
    const M = backend.memory;
    const { v, rows } = backend.at;
    const expected = Array.from({ length: n }, (_, k) => M[v + k]! + 0.3 * M[k]!);
    backend.axpy(v, 0, 0.3, n);
    expect(Array.from(backend.region("v"))).toEqual(expected);
    let dot = 0;
    for (let k = 0; k < n; k++) dot += M[v + k]! * M[rows + k]!;
    expect(backend.dot(v, rows, n)).toBeCloseTo(dot, 12);
  });

  it("gives the Matérn-5/2 covariances and radial factors of the kernel to a few ulps", () => {
    const backend = backendFor(size, { r2: n, k: n, g: n }, matern52);
    const r2 = backend.region("r2");
    for (let i = 0; i < n; i++) r2[i] = (0.11 * i) ** 2;
    backend.covariancesWithRadial(backend.at.r2, backend.at.k, backend.at.g, n, 1.7);
    const k = new Float64Array(n);
    const g = new Float64Array(n);
    matern52.covariancesWithRadial(r2, 0, k, 0, g, 0, n, 1.7);
    expect(relativeError(backend.region("k"), k)).toBeLessThan(1e-15);
    expect(relativeError(backend.region("g"), g)).toBeLessThan(1e-15);
  });
});
